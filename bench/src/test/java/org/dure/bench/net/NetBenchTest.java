package org.dure.bench.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.dure.identity.Identity;
import org.dure.net.host.Host;
import org.junit.jupiter.api.Test;

/** The harness measures only complete transfers: the sink's acknowledged count must match. */
class NetBenchTest {

  @Test
  void aTransferIsAcknowledgedByteForByte() throws Exception {
    try (Host server =
            Host.builder()
                .identity(Identity.generateEd25519())
                .listen("/ip4/127.0.0.1/tcp/0")
                .build()
                .start();
        Host client = NetBench.clientHost(8)) {
      server.setHandler(NetBench.SINK, NetBench::serveSink);
      String address = server.listenAddresses().get(0).toString();
      assertTrue(NetBench.transfer(client, address, (4 << 20) + 123) > 0);

      // A sink that acknowledges one byte less: the harness refuses the measurement.
      server.setHandler(
          NetBench.SINK,
          s -> {
            long n = s.inputStream().transferTo(java.io.OutputStream.nullOutputStream());
            s.outputStream().write(java.nio.ByteBuffer.allocate(8).putLong(n - 1).array());
            s.close();
          });
      assertThrows(IOException.class, () -> NetBench.transfer(client, address, 1 << 20));
    }
  }
}
