package org.dure.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.net.kad.KadKeys;
import org.dure.net.kad.KadPeer;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kademlia DHT between Dure and js-libp2p 3 ({@code @libp2p/kad-dht} 16.4.5, {@code
 * dht-peer.mjs}), on loopback only: Dure clients meet through a js DHT server, and a js client uses
 * a Dure DHT server.
 */
@Tag("interop")
@Timeout(180)
class KadInteropTest {
  private static final Duration T = Duration.ofSeconds(60);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void nodeInstalled() {
    if (Boolean.getBoolean("dure.skipInterop")) {
      assumeTrue(false, "interop disabled with -Ddure.skipInterop=true");
    }
    JsPeer.checkAvailable();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private KadDht dure(boolean server, List<Multiaddr> bootstrap) throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    closeables.add(h);
    KadDht d = new KadDht(h, KadConfig.defaults()).start();
    closeables.add(d);
    d.setServerMode(server);
    d.setBootstrapPeers(bootstrap);
    d.bootstrap();
    return d;
  }

  private JsPeer js(String... args) {
    JsPeer p = JsPeer.listenScript("dht-peer.mjs", args);
    closeables.add(p);
    return p;
  }

  @Test
  void dureClientsFindEachOtherByPeerIdThroughAJsServer() throws Exception {
    JsPeer server = js("server");
    Multiaddr at = Multiaddr.parse(server.multiaddr());
    KadDht a = dure(false, List.of(at));
    KadDht b = dure(false, List.of(at));
    assertEquals(
        1, a.routingTable().size(), "the js server advertises the DHT: " + server.diagnostics());
    assertEquals(1, a.publishSelf(), "the js server took A's record");

    PeerId aId = selfOf(a);
    Connection c = b.connect(aId);
    assertEquals(aId, c.remotePeer());
  }

  @Test
  void aJsClientFindsProvidersThroughADureServerAndDureFindsJsProviders() throws Exception {
    KadDht server = dure(true, List.of());
    Multiaddr at = addressOf(server);
    KadDht a = dure(false, List.of(at));
    assertTrue(a.publishSelf() >= 1, "the Dure server took A's record");
    KadDht other = dure(true, List.of(at)); // a second Dure server, known to the first
    JsPeer client = js("--bootstrap", at.toString(), "client");

    // js finds the second Dure server by its peer ID (FIND_NODE answered by the first).
    JsPeer.Result f =
        client.call("find-peer", T, "peerId", other.host().peerId().toString(), "timeoutMs", 30000);
    assertTrue(f.ok(), f::toString);
    assertTrue(
        f.require("peer")
            .strings("multiaddrs")
            .contains(addressOf(other).withoutPeerId().toString()),
        f.toString());

    // js asks the Dure server for A's record.
    String key = HexFormat.of().formatHex(KadKeys.peerKey(selfOf(a)));
    JsPeer.Result r = client.call("find-providers", T, "key", key, "timeoutMs", 30000);
    assertTrue(r.ok(), r::toString);
    List<Object> providers = listOf(r.require("providers").get("providers"));
    assertTrue(
        providers.stream()
            .anyMatch(p -> selfOf(a).toString().equals(((Map<?, ?>) p).get("peerId"))),
        r.toString());

    // js adds a record on the Dure server; a Dure client finds it.
    byte[] jsKey = KadKeys.peerKey(PeerId.parse(client.peerId()));
    JsPeer.Result p =
        client.call("provide", T, "key", HexFormat.of().formatHex(jsKey), "timeoutMs", 30000);
    assertTrue(p.ok(), p::toString);
    KadDht b = dure(false, List.of(at));
    List<KadPeer> found = b.findProviders(jsKey, 5);
    assertEquals(List.of(PeerId.parse(client.peerId())), found.stream().map(KadPeer::id).toList());
    assertTrue(
        found.get(0).addrs().stream().anyMatch(x -> x.toString().startsWith("/ip4/127.0.0.1/tcp/")),
        found.toString());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listOf(Object o) {
    return (List<Object>) o;
  }

  private static PeerId selfOf(KadDht d) {
    return d.host().peerId();
  }

  private static Multiaddr addressOf(KadDht d) {
    return hostOf(d).listenAddresses().get(0);
  }

  private static Host hostOf(KadDht d) {
    return d.host();
  }
}
