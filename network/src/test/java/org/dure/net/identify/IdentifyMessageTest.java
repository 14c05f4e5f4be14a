package org.dure.net.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.protocol.LengthPrefixed;
import org.junit.jupiter.api.Test;

class IdentifyMessageTest {
  @Test
  void roundTripsAllFields() throws Exception {
    IdentifyMessage m =
        new IdentifyMessage(
            "ipfs/0.1.0",
            "dure/0.1.0",
            new byte[] {8, 1},
            List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")),
            Multiaddr.parse("/ip4/10.0.0.1/tcp/2"),
            List.of("/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"));
    assertEquals(m, IdentifyMessage.decode(m.encode()));
  }

  @Test
  void skipsUnknownAddressesAndFields() throws Exception {
    byte[] enc =
        new org.dure.net.base.ProtoWriter()
            .bytes(2, new byte[] {(byte) 0xff, 0x7f})
            .uint64(99, 5)
            .string(6, "x")
            .toByteArray();
    IdentifyMessage m = IdentifyMessage.decode(enc);
    assertEquals(List.of(), m.listenAddrs());
    assertEquals("x", m.agentVersion());
  }

  @Test
  void lengthPrefixedReadRejectsOversizedDeclaredLength() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LengthPrefixed.write(out, new byte[IdentifyMessage.MAX_SIZE + 1]);
    assertThrows(
        ProtocolViolationException.class,
        () ->
            LengthPrefixed.read(
                new ByteArrayInputStream(out.toByteArray()), IdentifyMessage.MAX_SIZE));
  }
}
