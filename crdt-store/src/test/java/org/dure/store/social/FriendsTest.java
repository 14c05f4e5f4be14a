package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.moderation.Invites;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FriendsTest {
  private final TwoStores two = new TwoStores();
  private final WikiStore a = two.a;
  private final WikiStore b = two.b;

  @AfterEach
  void close() {
    two.close();
  }

  @Test
  void addRenameSeeAndRemoveAFriend() {
    PeerId bob = b.identity().peerId();
    assertTrue(a.friends().add(bob, ""));
    assertFalse(a.friends().add(bob, "Bob"), "already a friend");
    Friends.Friend f = a.friends().find(bob).orElseThrow();
    assertEquals(Friends.shortId(bob), f.petname(), "a blank petname is the short peer ID");
    assertEquals(Optional.empty(), f.lastSeen());

    a.friends().rename(bob, "  Bob  ");
    Instant seen = Instant.parse("2026-02-01T10:00:00Z");
    a.friends().seen(bob, seen);
    a.friends().seen(bob, seen.minusSeconds(60)); // an older event does not move it back
    f = a.friends().find(bob).orElseThrow();
    assertEquals("Bob", f.petname());
    assertEquals(Optional.of(seen), f.lastSeen());
    a.friends().seen(a.identity().peerId(), seen); // not a friend: nothing happens
    assertEquals(1, a.friends().list().size());

    assertTrue(a.friends().remove(bob));
    assertEquals(List.of(), a.friends().list());
  }

  @Test
  void badPeerIdsAndLongPetnamesAreRefused() {
    PeerId bob = b.identity().peerId();
    assertThrows(
        IllegalArgumentException.class,
        () -> a.friends().add(PeerId.parseBase58("not-a-peer"), "x"));
    assertThrows(
        IllegalArgumentException.class, () -> a.friends().add(a.identity().peerId(), "me"));
    assertThrows(IllegalArgumentException.class, () -> a.friends().add(bob, "x".repeat(65)));
    assertTrue(a.friends().add(bob, "가".repeat(64)), "64 characters, not bytes");
    assertThrows(IllegalArgumentException.class, () -> a.friends().rename(bob, "y".repeat(65)));
    assertThrows(
        java.util.NoSuchElementException.class,
        () -> a.friends().rename(a.identity().peerId(), "z"));
  }

  @Test
  void anInviteMakesInviterAndInviteeFriends() {
    Space s = a.createSpace("Village");
    Invites.Created inv = a.invites().create(s.id(), Role.EDITOR, Duration.ofDays(1));
    b.invites().join(s.id(), a.identity().peerId());
    assertTrue(a.invites().redeem(s.id(), inv.secret(), b.identity().peerId()).isPresent());
    assertTrue(a.friends().find(b.identity().peerId()).isPresent(), "who joined through my invite");
    assertTrue(b.friends().find(a.identity().peerId()).isPresent(), "the inviter");
  }
}
