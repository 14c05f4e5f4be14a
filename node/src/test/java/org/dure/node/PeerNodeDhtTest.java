package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.moderation.ResourceSettings;
import org.dure.net.autonat.AutonatClient;
import org.dure.net.autonat.Reachability;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.interop.JsPeer;
import org.dure.net.invite.InviteLink;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.net.kad.KadKeys;
import org.dure.net.kad.KadPeer;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dure nodes in DHT client mode whose only common ground is one DHT server on loopback, a Dure node
 * in server mode or a js-libp2p kad-dht server: they find each other by peer ID, an invite carrying
 * only a peer ID works, and after one of them moved to another port they meet again.
 */
@Timeout(240)
class PeerNodeDhtTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;

  private static final List<String> LOOPBACK = List.of("/ip4/127.0.0.1/tcp/0");

  @Test
  void throughADureServer() throws Exception {
    try (Host serverHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        KadDht server = new KadDht(serverHost, KadConfig.defaults()).start()) {
      server.setServerMode(true);
      membersFindEachOtherByPeerIdAloneAndAgainAfterMoving(serverHost.listenAddresses().get(0));
    }
  }

  @Test
  @Tag("interop")
  void throughAJsServer() throws Exception {
    assumeFalse(Boolean.getBoolean("dure.skipInterop"), "interop disabled");
    JsPeer.checkAvailable();
    try (JsPeer server = JsPeer.listenScript("dht-peer.mjs", "server")) {
      membersFindEachOtherByPeerIdAloneAndAgainAfterMoving(Multiaddr.parse(server.multiaddr()));
    }
  }

  @Test
  void servesTheDhtOnlyWhileReachableAndAllowedToHelpOthers() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        DureNode node =
            DureNode.on(a, dirA)
                .p2pPort(0)
                .listen(LOOPBACK)
                .dht(DhtReach.Options.only(List.of()))
                .start()) {
      DhtReach reach = node.peer().dhtReach();
      Host h = node.peer().host();
      reach.check();
      assertFalse(node.peer().dhtStatus().server(), "client mode by default");
      node.peer()
          .resources()
          .update(ResourceSettings.fromMap(Map.of("consent.helpOthers", "true")));
      reach.check();
      assertFalse(node.peer().dhtStatus().server(), "allowed, but not reachable from the internet");
      assertFalse(h.protocols().contains(KadDht.PROTOCOL));
      // What port mapping sets once the router forwarded the port (a documentation address:
      // nothing is sent anywhere, this node has no peers).
      h.setExternalAddresses(List.of(Multiaddr.parse("/ip4/203.0.113.7/tcp/4001")));
      reach.check();
      assertTrue(node.peer().dhtStatus().server(), "reachable and allowed: serves");
      assertTrue(h.protocols().contains(KadDht.PROTOCOL), "and says so in identify");
      node.peer()
          .resources()
          .update(ResourceSettings.fromMap(Map.of("consent.helpOthers", "false")));
      reach.check();
      assertFalse(node.peer().dhtStatus().server(), "consent withdrawn: client again");
      assertFalse(h.protocols().contains(KadDht.PROTOCOL));

      // AutoNAT v2's verdict, once two servers agree, decides instead of "a public address", and
      // at once (not at the next check).
      node.peer()
          .resources()
          .update(ResourceSettings.fromMap(Map.of("consent.helpOthers", "true")));
      reach.check();
      assertTrue(node.peer().dhtStatus().server());
      Reachability verdict = reach.reachability();
      Multiaddr forwarded = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
      verdict.record(someServer(), forwarded, AutonatClient.Outcome.UNREACHABLE);
      verdict.record(someServer(), forwarded, AutonatClient.Outcome.UNREACHABLE);
      waitFor(() -> !node.peer().dhtStatus().server(), "found unreachable: client");
      Multiaddr confirmed = Multiaddr.parse("/ip4/198.51.100.9/tcp/4001");
      verdict.record(someServer(), confirmed, AutonatClient.Outcome.REACHABLE);
      assertFalse(node.peer().dhtStatus().server(), "one server alone decides nothing");
      verdict.record(someServer(), confirmed, AutonatClient.Outcome.REACHABLE);
      waitFor(
          () -> node.peer().dhtStatus().server(),
          "an address confirmed reachable (no public address of its own): serves");
      assertTrue(h.externalAddresses().contains(confirmed), "and advertises it");
    }
  }

  /**
   * No member can relay for this node: it reserves on a relay it learnt of through the DHT only (a
   * DHT server its bootstrap server told it of), not on the bootstrap server, which does not relay.
   */
  @Test
  void reservesOnARelayFoundAmongTheDhtServers() throws Exception {
    try (Host bootHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        KadDht boot = new KadDht(bootHost, KadConfig.defaults()).start();
        Host relayHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        KadDht relayDht = new KadDht(relayHost, KadConfig.defaults()).start();
        RelayService relay =
            new RelayService(
                    relayHost, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
                .start();
        WikiStore a = WikiStore.open(dirA)) {
      boot.setServerMode(true);
      relayDht.setServerMode(true);
      relayDht.setBootstrapPeers(List.of(bootHost.listenAddresses().get(0)));
      relayDht.bootstrap();
      waitFor(() -> boot.routingTable().contains(relayHost.peerId()), "the relay is a DHT server");
      try (DureNode node =
          DureNode.on(a, dirA)
              .p2pPort(0)
              .listen(LOOPBACK)
              .dht(DhtReach.Options.only(List.of(bootHost.listenAddresses().get(0))))
              .start()) {
        waitFor(
            () -> node.peer().status().relays().contains(relayHost.peerId().toString()),
            "a reservation on the relay found through the DHT");
        assertEquals(List.of(relayHost.peerId().toString()), node.peer().status().relays());
        assertTrue(node.peer().dhtReach().relayCandidates().contains(relayHost.peerId()));
      }
    }
  }

  private static PeerId someServer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  private void membersFindEachOtherByPeerIdAloneAndAgainAfterMoving(Multiaddr serverAddress)
      throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        WikiStore c = WikiStore.open(dirC);
        Host probeHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        KadDht probe = new KadDht(probeHost, KadConfig.defaults()).start()) {
      DhtReach.Options viaServer = DhtReach.Options.only(List.of(serverAddress));
      probe.setBootstrapPeers(List.of(serverAddress));
      probe.bootstrap();
      PeerId idA = PeerId.parse(a.identity().peerId().toString());
      DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).listen(LOOPBACK).dht(viaServer).start();
      try (DureNode nodeB =
              DureNode.on(b, dirB).p2pPort(0).listen(LOOPBACK).dht(viaServer).start();
          DureNode nodeC =
              DureNode.on(c, dirC).p2pPort(0).listen(LOOPBACK).dht(viaServer).start()) {
        Space space = a.createSpace("Village");
        var page = a.createPage(space.id(), "Harvest", "rice and beans", Optional.empty());
        waitFor(
            () -> !probe.findProviders(KadKeys.peerKey(idA), 1).isEmpty(),
            "A published where it can be reached");

        // An invite that carries only A's peer ID: B knows no address of A.
        String bare = nodeA.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1), true);
        assertTrue(InviteLink.parse(bare).addresses().isEmpty());
        assertTrue(b.friends().list().isEmpty());
        assertEquals("Village", nodeB.peer().acceptInvite(bare).spaceName());
        waitFor(() -> bodyOf(b, page.id()).equals("rice and beans"), "B received the page");

        // `./dure connect PEER_ID`: C finds A by its ID alone.
        assertEquals(
            a.identity().peerId().toString(),
            nodeC.peer().connect(a.identity().peerId().toString()));
        assertFalse(nodeC.peer().dhtStatus().server(), "a node on loopback only stays a client");
        assertEquals(1, nodeC.peer().dhtStatus().bootstrapPeers());

        // A goes away and comes back on another port; B only knows the old address.
        String oldAddress =
            nodeA.peer().status().addresses().stream()
                .filter(x -> x.startsWith("/ip4/127."))
                .findFirst()
                .orElseThrow();
        nodeA.close();
        nodeA = DureNode.on(a, dirA).p2pPort(0).listen(LOOPBACK).dht(viaServer).start();
        String newAddress =
            nodeA.peer().status().addresses().stream()
                .filter(x -> x.startsWith("/ip4/127."))
                .findFirst()
                .orElseThrow();
        assertFalse(newAddress.equals(oldAddress));
        DureNode movedA = nodeA;
        waitFor(
            () -> nodeB.peer().connectedPeers().contains(a.identity().peerId()),
            "B found A again at its new address");
        b.splice(page.id(), 0, 0, "red ");
        waitFor(() -> bodyOf(a, page.id()).equals("red rice and beans"), "B's edit reached A");

        // The member rendezvous record of the space, as a lookup finds it, names A at its new
        // address, and B (B publishes at its next check, every 30 s, after it joined).
        long epoch = KadKeys.epoch(Instant.now());
        byte[] rendezvous = DhtReach.rendezvousKey(a.space(space.id()), epoch);
        Multiaddr moved = Multiaddr.parse(newAddress).withoutPeerId();
        Set<String> both =
            Set.of(a.identity().peerId().toString(), b.identity().peerId().toString());
        waitFor(
            () -> {
              List<KadPeer> found = probe.findProviders(rendezvous, 10);
              return found.stream()
                      .map(p -> p.id().toString())
                      .collect(Collectors.toSet())
                      .equals(both)
                  && found.stream().anyMatch(p -> p.id().equals(idA) && p.addrs().contains(moved));
            },
            "both members, A at its new address, are in the space's rendezvous record");
        assertTrue(
            probe
                .findProviders(
                    KadKeys.rendezvousKey(
                        space.id().value().getBytes(StandardCharsets.UTF_8), epoch + 1),
                    10)
                .isEmpty(),
            "next week's key is another one");
        assertTrue(movedA.peer().dhtStatus().routingTable() >= 1);
      } finally {
        nodeA.close();
      }
    }
  }

  private static String bodyOf(WikiStore s, PageId id) {
    try {
      return s.page(id).body();
    } catch (NoSuchElementException e) {
      return "";
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
