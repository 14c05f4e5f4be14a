package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class KadEngineTest {
  private static final PeerId SELF = KadTestPeers.peer(0);
  private static final PeerId ALICE = KadTestPeers.peer(1);
  private static final PeerId MALLORY = KadTestPeers.peer(2);
  private static final Multiaddr LOOP = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
  private static final Multiaddr LAN = Multiaddr.parse("/ip4/192.168.1.9/tcp/4001");
  private static final Multiaddr NET = Multiaddr.parse("/ip4/8.8.4.4/tcp/4001");

  private final KadConfig config = KadConfig.defaults();
  private final RoutingTable table = new RoutingTable(SELF, 20);
  private final ProviderStore store = new ProviderStore(config);
  private final KadEngine engine = new KadEngine(SELF, table, store, config);

  @Test
  void storesAProviderRecordOnlyForTheSender() throws Exception {
    byte[] key = KadKeys.peerKey(ALICE);
    KadMessage forged = KadMessage.addProvider(key, new KadPeer(ALICE, List.of(NET)));
    assertNull(engine.handle(MALLORY, AddressScope.PUBLIC, forged, 0));
    assertEquals(0, store.size(), "Mallory cannot make Alice a provider");
    assertNull(engine.handle(ALICE, AddressScope.PUBLIC, forged, 0));
    KadMessage got = engine.handle(MALLORY, AddressScope.PUBLIC, KadMessage.getProviders(key), 1);
    assertEquals(List.of(new KadPeer(ALICE, List.of(NET))), got.providerPeers());
  }

  @Test
  void keepsOnlyAddressesReachableFromTheSender() throws Exception {
    byte[] key = KadKeys.peerKey(ALICE);
    KadMessage add = KadMessage.addProvider(key, new KadPeer(ALICE, List.of(LOOP, LAN, NET)));
    engine.handle(ALICE, AddressScope.PUBLIC, add, 0);
    assertEquals(List.of(NET), store.get(key, 0).get(0).addresses());
    engine.handle(ALICE, AddressScope.PRIVATE, add, 0);
    assertEquals(List.of(LAN, NET), store.get(key, 0).get(0).addresses());
    engine.handle(ALICE, AddressScope.LOOPBACK, add, 0);
    assertEquals(List.of(LOOP, LAN, NET), store.get(key, 0).get(0).addresses());
  }

  @Test
  void aProviderWithoutUsableAddressesIsNotStored() throws Exception {
    byte[] key = KadKeys.peerKey(ALICE);
    engine.handle(
        ALICE,
        AddressScope.PUBLIC,
        KadMessage.addProvider(key, new KadPeer(ALICE, List.of(LOOP))),
        0);
    assertEquals(0, store.size());
  }

  @Test
  void findNodeAnswersTheClosestButNotTheAsker() throws Exception {
    for (PeerId p : KadTestPeers.peers(10, 50)) {
      table.add(p, List.of(LOOP), 0);
    }
    PeerId asker = KadTestPeers.peer(10);
    KadMessage r =
        engine.handle(asker, AddressScope.LOOPBACK, KadMessage.findNode(asker.toBytes()), 0);
    assertEquals(20, r.closerPeers().size());
    assertTrue(r.closerPeers().stream().noneMatch(p -> p.id().equals(asker)));
    assertEquals(KadMessage.Type.FIND_NODE, r.type());
  }

  @Test
  void refusesPutValueAndRequestsWithoutAKey() {
    assertThrows(
        ProtocolViolationException.class,
        () ->
            engine.handle(
                ALICE,
                AddressScope.PUBLIC,
                new KadMessage(
                    KadMessage.Type.PUT_VALUE,
                    new byte[] {1},
                    new byte[] {2},
                    List.of(),
                    List.of(),
                    0),
                0));
    assertThrows(
        ProtocolViolationException.class,
        () -> engine.handle(ALICE, AddressScope.PUBLIC, KadMessage.getProviders(new byte[0]), 0));
  }

  @Test
  void getValueIsAnsweredWithoutARecord() throws Exception {
    table.add(KadTestPeers.peer(20), List.of(NET), 0);
    KadMessage r =
        engine.handle(
            ALICE,
            AddressScope.PUBLIC,
            new KadMessage(
                KadMessage.Type.GET_VALUE, new byte[] {9}, new byte[0], List.of(), List.of(), 0),
            0);
    assertEquals(0, r.record().length);
    assertEquals(1, r.closerPeers().size());
  }
}
