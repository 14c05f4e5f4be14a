package org.dure.store.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitesTest {
  private static final PeerId BOB =
      PeerId.parse("12D3KooWBob11111111111111111111111111111111111111111");
  private static final PeerId EVE =
      PeerId.parse("12D3KooWEve11111111111111111111111111111111111111111");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private WikiStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void anInviteAddsTheRedeemingPeerOnceBeforeItExpires() {
    store = WikiStore.open(dir, StoreOptions.defaults().withClock(clock));
    Space space = store.createSpace("Village");
    Invites.Created inv = store.invites().create(space.id(), Role.EDITOR, Duration.ofDays(7));
    assertEquals(32, inv.secret().length);

    byte[] wrong = inv.secret().clone();
    wrong[0] ^= 1;
    assertEquals(Optional.empty(), store.invites().redeem(space.id(), wrong, BOB));
    Space other = store.createSpace("Other");
    assertEquals(Optional.empty(), store.invites().redeem(other.id(), inv.secret(), BOB));

    Membership m = store.invites().redeem(space.id(), inv.secret(), BOB).orElseThrow();
    assertEquals(Optional.of(Role.EDITOR), m.roleOf(BOB));
    // single use: a second peer with the same link gets nothing
    assertEquals(Optional.empty(), store.invites().redeem(space.id(), inv.secret(), EVE));
    assertFalse(store.membership(space.id()).isMember(EVE));

    Invites.Created late = store.invites().create(space.id(), Role.READER, Duration.ofHours(1));
    clock.advance(Duration.ofHours(2));
    assertEquals(Optional.empty(), store.invites().redeem(space.id(), late.secret(), EVE));
  }

  @Test
  void invitesCannotMakeOwnersOrLastForever() {
    store = WikiStore.open(dir, StoreOptions.defaults().withClock(clock));
    SpaceId space = store.createSpace("S").id();
    assertThrows(
        IllegalArgumentException.class,
        () -> store.invites().create(space, Role.OWNER, Duration.ofDays(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.invites().create(space, Role.EDITOR, Duration.ofDays(31)));
  }

  @Test
  void theInviteeRemembersWhichSpacesItJoinedFromWhom() {
    store = WikiStore.open(dir, StoreOptions.defaults().withClock(clock));
    SpaceId space = SpaceId.random();
    assertFalse(store.invites().joined(space, BOB));
    store.invites().join(space, BOB);
    assertTrue(store.invites().joined(space, BOB));
    assertFalse(store.invites().joined(space, EVE));
    assertEquals(java.util.Set.of(BOB), store.invites().inviters());
  }
}
