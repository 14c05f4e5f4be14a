package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.dure.identity.PeerId;
import org.dure.moderation.NotAllowedException;
import org.dure.net.host.Host;
import org.dure.net.invite.InviteException;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayRefusedException;
import org.dure.net.relay.RelayStatus;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerNodeTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void theOfflineSwitchStopsAndResumesNetworkingAndInvitesNeedIt() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      assertTrue(nodeA.peer().status().online());
      assertEquals(a.identity().peerId().toString(), nodeA.peer().status().peerId());
      assertFalse(nodeA.peer().status().addresses().isEmpty());

      Space space = a.createSpace("Village");
      String link = nodeA.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1));
      assertEquals("Village", nodeB.peer().acceptInvite(link).spaceName());
      assertTrue(a.membership(space.id()).isMember(b.identity().peerId()));
      assertFalse(nodeA.peer().status().peers().isEmpty(), "B stays connected to A");

      nodeA.peer().setOffline(true);
      assertTrue(nodeA.peer().isOffline());
      assertFalse(nodeA.peer().status().online());
      IllegalStateException offline =
          assertThrows(
              IllegalStateException.class,
              () -> nodeA.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)));
      assertTrue(offline.getMessage().contains("offline"), offline.getMessage());
      nodeB.peer().setOffline(true);
      assertThrows(InviteException.class, () -> nodeB.peer().acceptInvite(link));

      // The switch is a file: a new node on the same data directory stays offline...
      try (DureNode again = DureNode.on(a, dirA).p2pPort(0).start()) {
        assertFalse(again.peer().status().online());
      }
      // ... until `dure offline off` (another process) removes it; the node follows within 2 s.
      new OfflineSwitch(dirA).set(false);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!nodeA.peer().status().online() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(nodeA.peer().status().online(), "back online after `dure offline off`");
    }
  }

  @Test
  void connectsByFullAddressAndExplainsABadOne() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      String address =
          nodeB.peer().status().addresses().stream()
              .filter(x -> x.startsWith("/ip4/127.0.0.1/"))
              .findFirst()
              .orElseThrow();
      assertEquals(b.identity().peerId().toString(), nodeA.peer().connect(address));
      assertTrue(
          nodeA.peer().status().peers().stream()
              .anyMatch(p -> p.peerId().equals(b.identity().peerId().toString())));
      IllegalArgumentException noId =
          assertThrows(
              IllegalArgumentException.class,
              () -> nodeA.peer().connect("/ip4/127.0.0.1/tcp/4001"));
      assertTrue(noId.getMessage().contains("/p2p/"), noId.getMessage());
      assertThrows(IllegalArgumentException.class, () -> nodeA.peer().connect("not an address"));
      // A bare peer ID is looked up in the address book (B's is there now)...
      assertEquals(
          b.identity().peerId().toString(), nodeA.peer().connect(b.identity().peerId().toString()));
      // ... and with the DHT off, an unknown one says so.
      IOException unknown =
          assertThrows(
              IOException.class,
              () -> nodeA.peer().connect("12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"));
      assertTrue(unknown.getMessage().contains("DHT is off"), unknown.getMessage());
    }
  }

  @Test
  void aRunningNodeRelaysBetweenMembersOfItsSpacesOnly() throws Exception {
    try (WikiStore r = WikiStore.open(dirA);
        DureNode relay = DureNode.on(r, dirA).p2pPort(0).start();
        Host a = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        Host b = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        Host stranger = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        var clientA = new RelayClient(a).start();
        var clientB = new RelayClient(b).start();
        var clientS = new RelayClient(stranger).start()) {
      Space space = r.createSpace("Village");
      r.addMember(space.id(), a.peerId(), Role.EDITOR);
      r.addMember(space.id(), b.peerId(), Role.READER);
      var relayAddress =
          Multiaddr.parse(
              relay.peer().status().addresses().stream()
                  .filter(x -> x.startsWith("/ip4/127.0.0.1/"))
                  .findFirst()
                  .orElseThrow());

      var refused = assertThrows(RelayRefusedException.class, () -> clientS.reserve(relayAddress));
      assertEquals(RelayStatus.RESERVATION_REFUSED, refused.status());

      clientB.reserve(relayAddress);
      var viaRelay = Multiaddr.parse(relayAddress + "/p2p-circuit").withPeerId(b.peerId());
      var connection = a.dial(viaRelay);
      assertEquals(b.peerId(), connection.remotePeer());
      assertTrue(connection.isRelayed());
      a.ping(connection);
      assertThrows(RelayRefusedException.class, () -> stranger.dial(viaRelay));
    }
  }

  @Test
  void aMemberThatWentAwayIsReconnectedWhenItIsBack() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(port).start()) {
      PeerId peerB = b.identity().peerId();
      a.addMember(a.createSpace("Village").id(), peerB, Role.EDITOR);
      nodeA.peer().connect("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + peerB);
      nodeB.peer().setOffline(true);
      waitFor(() -> nodeA.peer().status().peers().isEmpty(), "the connection is gone");
      nodeB.peer().setOffline(false);
      waitFor(
          () ->
              nodeA.peer().status().peers().stream()
                  .anyMatch(p -> p.peerId().equals(peerB.toString())),
          "A reconnected to its member B by itself");
    }
  }

  @Test
  void aFriendWhoAcceptsAnInviteReceivesTheSpaceAndEditsFlowBothWays() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      Space space = a.createSpace("Village");
      var page = a.createPage(space.id(), "Harvest", "rice and beans", Optional.empty());
      String link = nodeA.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1));
      nodeB.peer().acceptInvite(link);
      waitFor(() -> bodyOf(b, page.id()).equals("rice and beans"), "B received the page");
      b.splice(page.id(), 0, 0, "red ");
      waitFor(() -> bodyOf(a, page.id()).equals("red rice and beans"), "B's edit reached A");
      var fromB = b.createPage(space.id(), "Seeds", "from B", Optional.empty());
      waitFor(() -> bodyOf(a, fromB.id()).equals("from B"), "B's new page reached A");
      assertTrue(a.friends().find(b.identity().peerId()).isPresent(), "who joined is a friend");
      assertTrue(b.friends().find(a.identity().peerId()).isPresent(), "so is the inviter");
    }
  }

  @Test
  void friendsAreOnlineWhileConnectedAndLastSeenIsKept() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      PeerId peerB = b.identity().peerId();
      a.friends().add(peerB, "Bob");
      assertTrue(a.friends().find(peerB).orElseThrow().lastSeen().isEmpty());
      String address =
          nodeB.peer().status().addresses().stream()
              .filter(x -> x.startsWith("/ip4/127.0.0.1/"))
              .findFirst()
              .orElseThrow();
      nodeA.peer().connect(address);
      waitFor(() -> nodeA.peer().connectedPeers().contains(peerB), "B is online for A");
      waitFor(
          () -> a.friends().find(peerB).orElseThrow().lastSeen().isPresent(),
          "A noted when it saw B");
      Instant connected = a.friends().find(peerB).orElseThrow().lastSeen().get();
      Thread.sleep(5);
      nodeB.peer().setOffline(true);
      waitFor(() -> !nodeA.peer().connectedPeers().contains(peerB), "B is gone");
      waitFor(
          () -> a.friends().find(peerB).orElseThrow().lastSeen().get().isAfter(connected),
          "last seen moved to when B left");
    }
  }

  @Test
  void blockingAMemberClosesItsConnectionsAndKeepsItOutWhileOnlyModeratorsInvite()
      throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      Space space = a.createSpace("Village");
      var page = a.createPage(space.id(), "Harvest", "rice", Optional.empty());
      nodeB
          .peer()
          .acceptInvite(nodeA.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)));
      waitFor(() -> bodyOf(b, page.id()).equals("rice"), "B received the page");
      // B is an editor there: it cannot invite anyone.
      assertThrows(
          NotAllowedException.class,
          () -> nodeB.peer().createInvite(space.id(), Role.READER, Duration.ofDays(1)));

      PeerId peerB = b.identity().peerId();
      nodeA.peer().block(peerB, "testing");
      waitFor(
          () ->
              nodeA.peer().status().peers().stream()
                  .noneMatch(p -> p.peerId().equals(peerB.toString())),
          "B's connection is closed");
      a.splice(page.id(), 0, 0, "red ");
      Thread.sleep(2_500); // a reconnect attempt of either side would be refused meanwhile
      assertTrue(
          nodeA.peer().status().peers().stream()
              .noneMatch(p -> p.peerId().equals(peerB.toString())));
      assertEquals("rice", bodyOf(b, page.id()), "nothing reaches a blocked peer");
    }
  }

  private static String bodyOf(WikiStore store, PageId id) {
    try {
      return store.page(id).body();
    } catch (NoSuchElementException e) {
      return "";
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void nodesFoundOnTheLanAreListedAndOnlyMembersAddressesAreKept() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start()) {
      Space space = a.createSpace("Village");
      PeerId friend = b.identity().peerId();
      a.addMember(space.id(), friend, Role.EDITOR);
      nodeA.peer().setOffline(false); // applies the switch now, which also rereads who is wanted
      String stranger = "12D3KooWStr4nger111111111111111111111111111111111111";
      var friendAddr = Multiaddr.parse("/ip4/10.1.2.3/tcp/4001");
      var strangerAddr = Multiaddr.parse("/ip4/10.1.2.4/tcp/4001");

      nodeA.peer().foundOnLan(friend, List.of(friendAddr));
      nodeA.peer().foundOnLan(PeerId.parse(stranger), List.of(strangerAddr));
      nodeA.peer().foundOnLan(PeerId.parse(a.identity().peerId().toString()), List.of(friendAddr));

      var lan = nodeA.peer().status().lan();
      assertEquals(
          Set.of(friend.toString(), stranger),
          lan.stream().map(PeerNode.LanPeer::peerId).collect(Collectors.toSet()));
      assertEquals(
          List.of("/ip4/10.1.2.3/tcp/4001"),
          lan.stream()
              .filter(p -> p.peerId().equals(friend.toString()))
              .findFirst()
              .orElseThrow()
              .addresses());
      var book = nodeA.peer().host().peerStore();
      assertEquals(
          List.of(friendAddr),
          book.get(friend).orElseThrow().addresses(),
          "a member's announced address is kept for reconnecting");
      assertTrue(
          book.get(PeerId.parse(stranger)).isEmpty(), "a stranger's announcement is only shown");

      nodeA.peer().setOffline(true);
      assertTrue(nodeA.peer().status().lan().isEmpty(), "offline: nothing found is shown");
    }
  }

  @Test
  void onlyANonLoopbackIpv4PortIsForwardedOnTheRouter() {
    assertEquals(
        4001,
        PortMapping.forwardablePort(
            List.of(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/9"),
                Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"))));
    assertEquals(
        -1,
        PortMapping.forwardablePort(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"))),
        "listening on loopback only: nothing to forward");
  }
}
