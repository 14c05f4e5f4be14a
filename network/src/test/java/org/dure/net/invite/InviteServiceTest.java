package org.dure.net.invite;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InviteServiceTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private record Node(WikiStore store, Host host, InviteService invites) {}

  private Node node(Path dir, Clock clock) throws Exception {
    WikiStore store = WikiStore.open(dir);
    toClose.add(store);
    Host host =
        Host.builder()
            .identity(store.identity().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    toClose.add(host);
    return new Node(store, host, new InviteService(host, store, clock).start());
  }

  @Test
  void theInviteeBecomesAMemberWithTheInvitesRoleAndTheLinkWorksOnce() throws Exception {
    Node a = node(dirA, Clock.systemUTC());
    Node b = node(dirB, Clock.systemUTC());
    Node c = node(dirC, Clock.systemUTC());
    Space space = a.store().createSpace("Village");
    String link = a.invites().createLink(space.id(), Role.EDITOR, Duration.ofDays(1));

    InviteService.Accepted accepted = b.invites().accept(link);
    assertEquals(space.id(), accepted.space());
    assertEquals("Village", accepted.spaceName());
    assertEquals(a.host().peerId(), accepted.inviter());
    PeerId peerB = b.store().identity().peerId();
    assertEquals(Optional.of(Role.EDITOR), a.store().membership(space.id()).roleOf(peerB));
    assertTrue(b.store().invites().joined(space.id(), a.store().identity().peerId()));

    // The same peer again, over the connection it already has: refused as used.
    InviteException twice = assertThrows(InviteException.class, () -> b.invites().accept(link));
    assertTrue(twice.getMessage().contains("already used"), twice.getMessage());
    InviteException again = assertThrows(InviteException.class, () -> c.invites().accept(link));
    assertTrue(again.getMessage().contains("already used"), again.getMessage());
    assertFalse(a.store().membership(space.id()).isMember(c.store().identity().peerId()));
  }

  @Test
  void expiredOwnOrUnreachableInvitesSayWhatToDo() throws Exception {
    Node a = node(dirA, Clock.systemUTC());
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    Node b = node(dirB, later);
    Space space = a.store().createSpace("Village");
    String link = a.invites().createLink(space.id(), Role.READER, Duration.ofDays(1));

    InviteException expired = assertThrows(InviteException.class, () -> b.invites().accept(link));
    assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    InviteException own = assertThrows(InviteException.class, () -> a.invites().accept(link));
    assertTrue(own.getMessage().contains("your own"), own.getMessage());

    Node c = node(dirC, Clock.systemUTC());
    a.host().close();
    InviteException offline = assertThrows(InviteException.class, () -> c.invites().accept(link));
    assertTrue(offline.getMessage().contains("Could not reach"), offline.getMessage());
  }

  @Test
  void aForwardedAddressAlwaysFitsInTheLinkAfterTheLanOnes() {
    List<Multiaddr> lan = new java.util.ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      lan.add(Multiaddr.parse("/ip4/192.168.1." + i + "/tcp/4001"));
    }
    lan.add(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
    Multiaddr ext = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
    List<Multiaddr> out = InviteService.shareableAddresses(lan, List.of(ext));
    assertEquals(InviteLink.MAX_ADDRESSES, out.size());
    assertEquals(lan.get(0), out.get(0), "LAN first");
    assertEquals(ext, out.get(out.size() - 1));
    assertEquals(
        List.of(ext),
        InviteService.shareableAddresses(
            List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), List.of(ext)),
        "loopback only when there is nothing else");
  }

  @Test
  void relayedAddressesComeAfterTheDirectOnesAndTheLinkStillParses() {
    List<Multiaddr> lan = new java.util.ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      lan.add(Multiaddr.parse("/ip4/192.168.1." + i + "/tcp/4001"));
    }
    Multiaddr ext = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
    java.security.KeyPair inviterKeys = org.dure.identity.Ed25519Keys.fromSeed(new byte[32]);
    org.dure.identity.PeerId inviter = new org.dure.identity.Identity(inviterKeys).peerId();
    byte[] seed = new byte[32];
    seed[0] = 1;
    org.dure.identity.PeerId relay =
        new org.dure.identity.Identity(org.dure.identity.Ed25519Keys.fromSeed(seed)).peerId();
    List<Multiaddr> relayed = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      relayed.add(
          Multiaddr.parse("/ip4/198.51.100." + i + "/tcp/4001/p2p/" + relay + "/p2p-circuit"));
    }
    List<Multiaddr> out = InviteService.shareableAddresses(lan, List.of(ext), relayed);
    assertEquals(InviteLink.MAX_ADDRESSES, out.size());
    assertEquals(lan.get(0), out.get(0), "LAN first");
    assertEquals(ext, out.get(out.size() - 1 - InviteService.RELAYED_IN_LINK));
    assertEquals(
        relayed.subList(0, InviteService.RELAYED_IN_LINK),
        out.subList(out.size() - InviteService.RELAYED_IN_LINK, out.size()));
    String link =
        new InviteLink(
                inviter,
                out,
                "aaaaaaaaaaaaaaaaaaaaaaaaaa",
                "A space with a rather long name to fill the link",
                "editor",
                new byte[32],
                java.time.Instant.now().plusSeconds(3600))
            .sign(inviterKeys);
    assertTrue(link.length() <= InviteLink.MAX_TEXT, link.length() + " characters");
    assertEquals(out, assertDoesNotThrow(() -> InviteLink.parse(link)).addresses());
  }
}
