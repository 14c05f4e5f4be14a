package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real hosts over TCP + Noise + Yamux on loopback, each with a DHT. */
@Timeout(120)
class KadDhtTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static final KadConfig CONFIG =
      KadConfig.defaults().withRequestTimeout(Duration.ofSeconds(5));

  private Host host() throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    closeables.add(h);
    return h;
  }

  private KadDht dht(Host h, boolean server) {
    KadDht d = new KadDht(h, CONFIG).start();
    d.setServerMode(server);
    closeables.add(d);
    return d;
  }

  /** n server-mode nodes, each bootstrapped from the first. */
  private List<KadDht> servers(int n) throws IOException {
    List<KadDht> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KadDht d = dht(host(), true);
      if (i > 0) {
        d.setBootstrapPeers(List.of(first(out.get(0))));
        d.bootstrap();
      }
      out.add(d);
    }
    return out;
  }

  private static Multiaddr first(KadDht d) {
    return hostOf(d).listenAddresses().get(0);
  }

  private static Host hostOf(KadDht d) {
    return d.host();
  }

  @Test
  void aClientFindsAnotherClientByPeerIdThroughItsProviderRecord() throws Exception {
    List<KadDht> servers = servers(6);
    Host a = host();
    Host b = host();
    KadDht da = dht(a, false);
    KadDht db = dht(b, false);
    da.setBootstrapPeers(List.of(first(servers.get(2))));
    db.setBootstrapPeers(List.of(first(servers.get(4))));
    assertTrue(da.bootstrap() >= 5, "A learnt the servers");
    assertTrue(db.bootstrap() >= 5);
    assertTrue(da.publishSelf() >= 5, "the record went to the closest servers");

    // Neither client is in anyone's routing table: client mode is not advertised.
    for (KadDht s : servers) {
      assertFalse(s.routingTable().contains(a.peerId()));
      assertFalse(s.routingTable().contains(b.peerId()));
    }
    assertFalse(a.protocols().contains(KadDht.PROTOCOL));

    Connection c = db.connect(a.peerId());
    assertEquals(a.peerId(), c.remotePeer());
    assertTrue(
        b.peerStore().get(a.peerId()).orElseThrow().addresses().stream()
            .anyMatch(x -> a.listenAddresses().contains(x.withPeerId(a.peerId()))),
        "the address that worked is remembered");
  }

  @Test
  void findNodeFindsAServer() throws Exception {
    List<KadDht> servers = servers(8);
    KadDht client = dht(host(), false);
    client.setBootstrapPeers(List.of(first(servers.get(0))));
    client.bootstrap();
    PeerId wanted = hostOf(servers.get(7)).peerId();
    Optional<KadPeer> found = client.findNode(wanted);
    assertTrue(found.isPresent());
    assertTrue(found.get().addrs().contains(first(servers.get(7)).withoutPeerId()));
    assertTrue(client.lastLookup().found());
  }

  @Test
  void anUnknownPeerIsNotFoundAndSaysSo() throws Exception {
    List<KadDht> servers = servers(3);
    KadDht client = dht(host(), false);
    client.setBootstrapPeers(List.of(first(servers.get(0))));
    client.bootstrap();
    IOException e = assertThrows(IOException.class, () -> client.connect(KadTestPeers.peer(4242)));
    assertTrue(e.getMessage().contains("not found in the DHT"), e.getMessage());
  }

  @Test
  void aForgedProviderRecordIsNotStored() throws Exception {
    KadDht server = servers(1).get(0);
    Host mallory = host();
    PeerId alice = KadTestPeers.peer(1);
    byte[] key = KadKeys.peerKey(alice);
    try (Stream s = mallory.dial(first(server)).newStream(KadDht.PROTOCOL)) {
      KadMessage.addProvider(
              key, new KadPeer(alice, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/6666"))))
          .write(s.outputStream());
      // A PING on the same stream: once answered, the ADD_PROVIDER before it was handled.
      new KadMessage(KadMessage.Type.PING, new byte[0], new byte[0], List.of(), List.of(), 0)
          .write(s.outputStream());
      assertEquals(KadMessage.Type.PING, KadMessage.read(s.inputStream()).type());
    }
    assertEquals(0, server.providerStore().size(), "Mallory cannot speak for Alice");
  }

  @Test
  void anOversizedRequestResetsTheStreamAndTheServerGoesOn() throws Exception {
    KadDht server = servers(1).get(0);
    Host attacker = host();
    try (Stream s = attacker.dial(first(server)).newStream(KadDht.PROTOCOL)) {
      s.outputStream().write(UnsignedVarint.encode(KadMessage.MAX_SIZE + 1));
      s.outputStream().flush();
      s.setReadTimeout(5000);
      assertThrows(IOException.class, () -> s.inputStream().read());
    }
    KadDht client = dht(host(), false);
    client.setBootstrapPeers(List.of(first(server)));
    assertEquals(1, client.bootstrap(), "the server still serves others");
  }

  @Test
  void aClientServesNothing() throws Exception {
    KadDht client = dht(host(), false);
    Host other = host();
    Connection c = other.dial(hostOf(client).listenAddresses().get(0));
    assertThrows(IOException.class, () -> c.newStream(KadDht.PROTOCOL));
  }

  @Test
  void turningServerModeOnAdvertisesItAndPeersAddTheNode() throws Exception {
    KadDht server = servers(1).get(0);
    Host h = host();
    KadDht d = dht(h, false);
    d.setBootstrapPeers(List.of(first(server)));
    d.bootstrap();
    assertFalse(server.routingTable().contains(h.peerId()));
    d.setServerMode(true);
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!server.routingTable().contains(h.peerId()) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertTrue(server.routingTable().contains(h.peerId()), "identify push told the server");
    d.setServerMode(false);
    until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.routingTable().contains(h.peerId()) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertFalse(server.routingTable().contains(h.peerId()), "and that it stopped serving");
  }

  private static void awaitRecord(KadDht server, byte[] key, Multiaddr address)
      throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ProviderStore.Provider> got = List.of();
    while (System.nanoTime() < until) {
      got = server.providerStore().get(key, System.currentTimeMillis());
      if (got.size() == 1 && got.get(0).addresses().contains(address)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no record with " + address + ": " + got);
  }

  @Test
  void aChangedAddressIsRepublished() throws Exception {
    KadDht server = servers(1).get(0);
    Host a = host();
    KadDht da = dht(a, false);
    da.setBootstrapPeers(List.of(first(server)));
    da.bootstrap();
    da.publishSelf();
    byte[] key = KadKeys.peerKey(a.peerId());
    // ADD_PROVIDER has no answer: the server stores the record a moment after it was sent.
    awaitRecord(server, key, a.listenAddresses().get(0).withoutPeerId());
    Multiaddr moved = Multiaddr.parse("/ip4/127.0.0.2/tcp/5555");
    a.setExternalAddresses(List.of(moved));
    da.republishDue(); // what the timer runs every few seconds
    awaitRecord(server, key, moved);
    assertNotNull(da.status());
    assertEquals(1, da.status().providedKeys());
    assertEquals(1, da.status().bootstrapConnected());
  }

  @Test
  void hostConnectAsksTheDhtWhenTheKnownAddressesFail() throws Exception {
    List<KadDht> servers = servers(3);
    Host a = host();
    Host b = host();
    KadDht da = dht(a, false);
    KadDht db = dht(b, false);
    da.setBootstrapPeers(List.of(first(servers.get(0))));
    db.setBootstrapPeers(List.of(first(servers.get(1))));
    da.bootstrap();
    db.bootstrap();
    da.publishSelf();
    // B knows only an address A left (nothing listens there any more).
    b.peerStore().addAddresses(a.peerId(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9")));
    assertThrows(IOException.class, () -> b.connect(a.peerId()), "no peer routing yet");
    b.setPeerRouting(db.peerRouting());
    assertEquals(a.peerId(), b.connect(a.peerId()).remotePeer());
    assertTrue(
        b.peerStore()
            .get(a.peerId())
            .orElseThrow()
            .addresses()
            .contains(a.listenAddresses().get(0).withoutPeerId()),
        "the address found is remembered");
  }

  @Test
  void aPeerNotFoundIsNotLookedUpAgainAtOnce() throws Exception {
    List<KadDht> servers = servers(2);
    KadDht d = dht(host(), false);
    d.setBootstrapPeers(List.of(first(servers.get(0))));
    d.bootstrap();
    PeerId nobody = KadTestPeers.peer(31337);
    assertEquals(List.of(), d.peerRouting().findPeer(nobody));
    long sent = d.requestsSent();
    assertTrue(sent > 0);
    assertEquals(List.of(), d.peerRouting().findPeer(nobody));
    assertEquals(sent, d.requestsSent(), "the miss is remembered");
  }

  /**
   * A node whose bootstrap peer was not up when it started (so its routing table stayed empty)
   * dials the bootstrap peers before a lookup or a publication, instead of asking nobody.
   */
  @Test
  void aLookupWithNoServerKnownBootstrapsFirst() throws Exception {
    KadDht server = servers(1).get(0);
    Host a = host();
    Host b = host();
    KadDht da = dht(a, false);
    KadDht db = dht(b, false);
    da.setBootstrapPeers(List.of(first(server))); // bootstrap() not called: as if it had failed
    db.setBootstrapPeers(List.of(first(server)));
    assertEquals(0, da.routingTable().size());
    assertTrue(da.publishSelf() > 0, "the publication dialled the bootstrap peer first");
    awaitRecord(server, KadKeys.peerKey(a.peerId()), a.listenAddresses().get(0).withoutPeerId());
    assertEquals(0, db.routingTable().size());
    assertEquals(a.peerId(), db.findPeer(a.peerId()).orElseThrow().id());
    assertEquals(1, db.routingTable().size());
  }

  @Test
  void aRecordNoServerTookIsPublishedOnceAServerIsKnown() throws Exception {
    Host a = host();
    KadDht da = dht(a, false);
    assertEquals(0, da.publishSelf(), "no server known yet");
    KadDht server = servers(1).get(0);
    da.setBootstrapPeers(List.of(first(server)));
    da.bootstrap();
    da.republishDue(); // what the timer runs every few seconds
    awaitRecord(server, KadKeys.peerKey(a.peerId()), a.listenAddresses().get(0).withoutPeerId());
  }

  @Test
  void aRecordFullOfDeadAddressesCostsAtMostFourDials() throws Exception {
    KadDht server = servers(1).get(0);
    // Mallory publishes a record of its own (servers take no one else's) naming 16 addresses where
    // nothing listens.
    Host mallory = host();
    List<Multiaddr> dead = new ArrayList<>();
    for (int port = 1; port <= 16; port++) {
      dead.add(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port));
    }
    try (Stream s = mallory.dial(first(server)).newStream(KadDht.PROTOCOL)) {
      KadMessage.addProvider(KadKeys.peerKey(mallory.peerId()), new KadPeer(mallory.peerId(), dead))
          .write(s.outputStream());
      s.closeWrite();
      s.setReadTimeout(5000);
      assertEquals(-1, s.inputStream().read(), "the server closes once it has the record");
    }
    mallory.close();
    java.util.concurrent.atomic.AtomicInteger dials =
        new java.util.concurrent.atomic.AtomicInteger();
    Host b =
        Host.builder()
            .listen("/ip4/127.0.0.1/tcp/0")
            .gater(
                new org.dure.net.host.ConnectionGater() {
                  @Override
                  public boolean allowDial(PeerId peer, Multiaddr address) {
                    if (mallory.peerId().equals(peer)) {
                      dials.incrementAndGet();
                    }
                    return true;
                  }
                })
            .build()
            .start();
    closeables.add(b);
    KadDht db = dht(b, false);
    db.setBootstrapPeers(List.of(first(server)));
    db.bootstrap();
    assertThrows(IOException.class, () -> db.connect(mallory.peerId()));
    assertEquals(CONFIG.maxAddressesTried(), dials.get());
  }
}
