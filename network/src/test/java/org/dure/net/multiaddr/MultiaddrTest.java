package org.dure.net.multiaddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.dure.identity.PeerId;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
  private static final String PEER = "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB";

  @Test
  void ip4TcpHasSpecBinaryForm() {
    Multiaddr m = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    // 04 7f000001 06 0fa1
    assertArrayEquals(HexFormat.of().parseHex("047f000001060fa1"), m.toBytes());
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
  }

  @Test
  void roundTripsTextAndBytes() {
    for (String s :
        new String[] {
          "/ip4/1.2.3.4/tcp/0/p2p/" + PEER,
          "/ip6/::1/tcp/80",
          "/dns4/example.com/tcp/443",
          "/dns/example.com/tcp/1/p2p/" + PEER + "/p2p-circuit/p2p/" + PEER,
          "/dns6/h/udp/9/quic-v1",
        }) {
      Multiaddr m = Multiaddr.parse(s);
      Multiaddr back = Multiaddr.fromBytes(m.toBytes());
      assertEquals(m, back);
      assertEquals(m, Multiaddr.parse(back.toString()));
    }
  }

  @Test
  void peerIdHelpers() {
    Multiaddr m = Multiaddr.parse("/ip4/1.2.3.4/tcp/5/ipfs/" + PEER);
    assertEquals(PeerId.parse(PEER), m.peerId());
    assertEquals("/ip4/1.2.3.4/tcp/5", m.withoutPeerId().toString());
    assertEquals("/ip4/1.2.3.4/tcp/5/p2p/" + PEER, m.toString());
  }

  @Test
  void rejectsMalformedText() {
    for (String s :
        new String[] {
          "",
          "ip4/1.2.3.4",
          "/ip4/1.2.3",
          "/ip4/256.0.0.1",
          "/tcp/70000",
          "/tcp",
          "/foo/1",
          "/ip6/1.2.3.4",
          "/p2p/notapeer",
          "/ip4/1.2.3.4/tcp/-1"
        }) {
      assertThrows(MultiaddrFormatException.class, () -> Multiaddr.parse(s), s);
    }
  }

  @Test
  void rejectsMalformedBytes() {
    assertThrows(MultiaddrFormatException.class, () -> Multiaddr.fromBytes(new byte[] {4, 1}));
    assertThrows(
        MultiaddrFormatException.class, () -> Multiaddr.fromBytes(new byte[] {(byte) 0xa5, 3, 50}));
    assertThrows(
        MultiaddrFormatException.class, () -> Multiaddr.fromBytes(new byte[] {0x35, 100, 1}));
    assertThrows(MultiaddrFormatException.class, () -> Multiaddr.fromBytes(new byte[0]));
  }
}
