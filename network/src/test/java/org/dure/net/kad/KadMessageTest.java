package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class KadMessageTest {
  private static final PeerId A = KadTestPeers.peer(1);
  private static final PeerId B = KadTestPeers.peer(2);

  @Test
  void getProvidersAnswerRoundTrips() throws Exception {
    byte[] key = KadKeys.peerKey(A);
    KadMessage m =
        KadMessage.getProviders(key)
            .reply(
                List.of(
                    new KadPeer(
                        B,
                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")),
                        KadPeer.ConnectionType.CONNECTED)),
                List.of(
                    new KadPeer(
                        A,
                        List.of(
                            Multiaddr.parse("/ip4/192.168.1.2/tcp/4001"),
                            Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + B + "/p2p-circuit")))));
    KadMessage back = KadMessage.decode(m.encode());
    assertEquals(m, back);
    assertEquals(KadMessage.Type.GET_PROVIDERS, back.type());
    assertArrayEquals(key, back.key());
    assertEquals(KadPeer.ConnectionType.CONNECTED, back.closerPeers().get(0).connection());
    assertEquals(2, back.providerPeers().get(0).addrs().size());
  }

  @Test
  void writesAndReadsLengthPrefixed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KadMessage m = KadMessage.findNode(A.toBytes());
    m.write(out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertEquals(m, KadMessage.read(in));
    assertNull(KadMessage.read(in), "clean end of stream");
  }

  @Test
  void absentTypeIsPutValueAsProto3Says() throws Exception {
    assertEquals(KadMessage.Type.PUT_VALUE, KadMessage.decode(new byte[0]).type());
  }

  @Test
  void skipsUnknownFieldsAndAddressesOfUnknownTransports() throws Exception {
    byte[] unknownAddr = {(byte) 0xCC, 0x03, 1, 2}; // protocol code 460 not known here
    byte[] peer =
        new ProtoWriter()
            .bytes(1, A.toBytes())
            .bytes(2, unknownAddr)
            .bytes(2, Multiaddr.parse("/ip4/127.0.0.1/tcp/5").toBytes())
            .uint64(3, 9) // unknown connection type: no information
            .uint64(7, 1)
            .toByteArray();
    byte[] msg =
        new ProtoWriter()
            .uint64(1, 4)
            .bytes(2, A.toBytes())
            .bytes(8, peer)
            .uint64(99, 5)
            .toByteArray();
    KadMessage m = KadMessage.decode(msg);
    assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/5")), m.closerPeers().get(0).addrs());
    assertEquals(KadPeer.ConnectionType.NOT_CONNECTED, m.closerPeers().get(0).connection());
  }

  @Test
  void keepsOnlyTheFirstPeersAndAddresses() throws Exception {
    ProtoWriter w = new ProtoWriter().uint64(1, 4);
    for (int i = 0; i < KadMessage.MAX_PEERS + 10; i++) {
      ProtoWriter p = new ProtoWriter().bytes(1, KadTestPeers.peer(i % 3).toBytes());
      for (int j = 0; j < KadPeer.MAX_ADDRESSES + 4; j++) {
        p.bytes(2, Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (j + 1)).toBytes());
      }
      w.bytes(8, p.toByteArray());
    }
    KadMessage m = KadMessage.decode(w.toByteArray());
    assertEquals(KadMessage.MAX_PEERS, m.closerPeers().size());
    assertEquals(KadPeer.MAX_ADDRESSES, m.closerPeers().get(0).addrs().size());
  }

  @Test
  void refusesWhatBreaksTheRules() {
    assertThrows(
        ProtocolViolationException.class,
        () -> KadMessage.decode(new ProtoWriter().uint64(1, 6).toByteArray()),
        "unknown type");
    assertThrows(
        ProtocolViolationException.class,
        () ->
            KadMessage.decode(
                new ProtoWriter().bytes(2, new byte[KadMessage.MAX_KEY + 1]).toByteArray()),
        "key too long");
    assertThrows(
        ProtocolViolationException.class,
        () ->
            KadMessage.decode(
                new ProtoWriter()
                    .bytes(8, new ProtoWriter().bytes(2, new byte[] {4}).toByteArray())
                    .toByteArray()),
        "peer without id");
    assertThrows(
        ProtocolViolationException.class,
        () ->
            KadMessage.decode(
                new ProtoWriter()
                    .bytes(9, new ProtoWriter().bytes(1, new byte[] {1, 2, 3}).toByteArray())
                    .toByteArray()),
        "peer id not a multihash");
    assertThrows(
        ProtocolViolationException.class,
        () -> KadMessage.decode(new byte[KadMessage.MAX_SIZE + 1]),
        "too large");
  }

  @Test
  void refusesADeclaredLengthOverTheLimitBeforeReadingIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UnsignedVarint.write(KadMessage.MAX_SIZE + 1, out);
    // No body follows: a reader that allocated and read first would report a truncated stream.
    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class,
            () -> KadMessage.read(new ByteArrayInputStream(out.toByteArray())));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void listsAreCopied() {
    List<KadPeer> peers = new ArrayList<>(List.of(new KadPeer(A, List.of())));
    KadMessage m = KadMessage.findNode(new byte[] {1}).reply(peers, List.of());
    peers.clear();
    assertEquals(1, m.closerPeers().size());
  }
}
