package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dure.net.host.Host;
import org.dure.net.invite.InviteLink;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.net.kad.KadKeys;
import org.dure.net.kad.ProviderStore;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.peer.PeerId;
import org.dure.store.Role;
import org.dure.store.Space;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Dure nodes in DHT client mode whose only common ground is a DHT server (a Dure node in
 * server mode) on loopback: they find each other by peer ID, an invite carrying only a peer ID
 * works, and after one of them moved to another port they meet again.
 */
@Timeout(240)
class PeerNodeDhtTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;

  private static final List<String> LOOPBACK = List.of("/ip4/127.0.0.1/tcp/0");

  @Test
  void membersFindEachOtherByPeerIdAloneAndAgainAfterMoving() throws Exception {
    try (Host serverHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        KadDht server = new KadDht(serverHost, KadConfig.defaults()).start();
        WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        WikiStore c = WikiStore.open(dirC)) {
      server.setServerMode(true);
      DhtReach.Options viaServer =
          DhtReach.Options.only(List.of(serverHost.listenAddresses().get(0)));
      PeerId idA = PeerId.parse(a.identity().peerId());
      PeerNode nodeA = new PeerNode(a, dirA, 0, LOOPBACK).dht(viaServer).start();
      try (PeerNode nodeB = new PeerNode(b, dirB, 0, LOOPBACK).dht(viaServer).start();
          PeerNode nodeC = new PeerNode(c, dirC, 0, LOOPBACK).dht(viaServer).start()) {
        Space space = a.createSpace("Village");
        var page = a.createPage(space.id(), "Harvest", "rice and beans", java.util.Optional.empty());
        waitFor(
            () -> !server.providerStore().get(KadKeys.peerKey(idA), now()).isEmpty(),
            "A published where it can be reached");

        // An invite that carries only A's peer ID: B knows no address of A.
        InviteLink full =
            InviteLink.parse(nodeA.createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)));
        String bare =
            new InviteLink(
                    full.inviter(),
                    List.of(),
                    full.spaceId(),
                    full.spaceName(),
                    full.role(),
                    full.secret(),
                    full.expires())
                .sign(a.identity().keyPair());
        assertTrue(b.friends().list().isEmpty());
        assertEquals("Village", nodeB.acceptInvite(bare).spaceName());
        waitFor(() -> bodyOf(b, page.id()).equals("rice and beans"), "B received the page");

        // `./dure connect PEER_ID`: C finds A by its ID alone.
        assertEquals(a.identity().peerId(), nodeC.connect(a.identity().peerId()));
        assertFalse(nodeC.dhtStatus().server(), "a node on loopback only stays a client");
        assertEquals(1, nodeC.dhtStatus().bootstrapPeers());

        // A goes away and comes back on another port; B only knows the old address.
        String oldAddress =
            nodeA.status().addresses().stream().filter(x -> x.startsWith("/ip4/127.")).findFirst()
                .orElseThrow();
        nodeA.close();
        nodeA = new PeerNode(a, dirA, 0, LOOPBACK).dht(viaServer).start();
        String newAddress =
            nodeA.status().addresses().stream().filter(x -> x.startsWith("/ip4/127.")).findFirst()
                .orElseThrow();
        assertFalse(newAddress.equals(oldAddress));
        PeerNode movedA = nodeA;
        waitFor(
            () -> nodeB.connectedPeers().contains(a.identity().peerId()),
            "B found A again at its new address");
        b.splice(page.id(), 0, 0, "red ");
        waitFor(() -> bodyOf(a, page.id()).equals("red rice and beans"), "B's edit reached A");

        // The member rendezvous record of the space names A at its new address, and B; a
        // stranger's lookup of the space id itself finds nothing.
        long epoch = KadKeys.epoch(Instant.now());
        byte[] rendezvous = DhtReach.rendezvousKey(a.space(space.id()), epoch);
        Multiaddr moved = Multiaddr.parse(newAddress).withoutPeerId();
        waitFor(
            () ->
                server.providerStore().get(rendezvous, now()).stream()
                    .anyMatch(p -> p.peer().equals(idA) && p.addresses().contains(moved)),
            "A's rendezvous record carries its new address");
        // B publishes the space's record at its next check (every 30 s) after it joined.
        Set<String> both = Set.of(a.identity().peerId(), b.identity().peerId());
        waitFor(
            () ->
                server.providerStore().get(rendezvous, now()).stream()
                    .map(ProviderStore.Provider::peer)
                    .map(PeerId::toString)
                    .collect(Collectors.toSet())
                    .equals(both),
            "both members are in the space's rendezvous record");
        assertTrue(
            server
                .providerStore()
                .get(
                    KadKeys.rendezvousKey(
                        space.id().value().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        epoch + 1),
                    now())
                .isEmpty(),
            "next week's key is another one");
        assertTrue(movedA.dhtStatus().routingTable() >= 1);
      } finally {
        nodeA.close();
      }
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static String bodyOf(WikiStore s, org.dure.store.PageId id) {
    try {
      return s.page(id).body();
    } catch (java.util.NoSuchElementException e) {
      return "";
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
