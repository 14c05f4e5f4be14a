package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.dure.identity.Identity;
import org.junit.jupiter.api.Test;

/** Dialling a peer right after closing the connection to it gives a new, working connection. */
class RedialTest {

  @Test
  void aClosingConnectionIsNotReusedByTheNextDial() throws Exception {
    try (Host server =
            Host.builder()
                .identity(Identity.generateEd25519())
                .listen("/ip4/127.0.0.1/tcp/0")
                .build()
                .start();
        Host client = Host.builder().identity(Identity.generateEd25519()).build().start()) {
      server.setHandler(
          "/echo-once",
          s -> {
            byte[] m = s.readMessage(64);
            s.writeMessage(m);
            s.close();
          });
      for (int round = 0; round < 5; round++) {
        Connection first = client.dial(server.listenAddresses().get(0));
        first.close(); // GoAway sent; the TCP connection lingers while it shuts down
        assertFalse(first.acceptsNewStreams());
        Connection second = client.dial(server.listenAddresses().get(0));
        assertNotSame(first, second);
        try (Stream s = second.newStream("/echo-once")) {
          s.writeMessage(new byte[] {1, 2, 3});
          assertArrayEquals(new byte[] {1, 2, 3}, s.readMessage(64));
        }
        second.close();
      }
    }
  }
}
