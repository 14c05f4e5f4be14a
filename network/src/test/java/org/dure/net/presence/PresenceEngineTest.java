package org.dure.net.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class PresenceEngineTest {
  private static final long S = 1_000_000_000L;
  private final PresenceEngine engine = new PresenceEngine();
  private final SpaceId space = SpaceId.random();
  private final PageId page = PageId.random();
  private final PeerId alice = peer();
  private final PeerId bob = peer();

  private static PeerId peer() {
    return Identity.ephemeral().peerId();
  }

  @Test
  void anAnnouncementHoldsForItsTtlAndARepeatExtendsIt() {
    assertTrue(engine.heard(alice, new PresenceMessage(space, page, true, 50), 0));
    assertEquals(Set.of(alice), engine.on(page, 49 * S));
    assertFalse(engine.heard(alice, new PresenceMessage(space, page, true, 50), 40 * S));
    assertEquals(Set.of(alice), engine.on(page, 80 * S));
    assertFalse(engine.expire(80 * S));
    assertTrue(engine.expire(90 * S));
    assertEquals(Set.of(), engine.on(page, 90 * S));
  }

  @Test
  void goneOrDisconnectedEndsItAtOnce() {
    engine.heard(alice, new PresenceMessage(space, page, true, 50), 0);
    engine.heard(bob, new PresenceMessage(space, page, true, 50), 0);
    assertTrue(engine.heard(alice, new PresenceMessage(space, page, false, 1), S));
    assertEquals(Set.of(bob), engine.on(page, S));
    assertFalse(engine.heard(alice, new PresenceMessage(space, page, false, 1), S));
    assertTrue(engine.left(bob));
    assertEquals(Set.of(), engine.on(page, S));
    assertFalse(engine.left(bob));
  }

  @Test
  void aPeerIsHeldOnAtMostSixteenPages() {
    for (int i = 0; i < PresenceEngine.MAX_PAGES_PER_PEER; i++) {
      assertTrue(engine.heard(alice, new PresenceMessage(space, PageId.random(), true, 50), 0));
    }
    PageId extra = PageId.random();
    assertFalse(engine.heard(alice, new PresenceMessage(space, extra, true, 50), 0));
    assertEquals(Set.of(), engine.on(extra, 0));
    assertEquals(PresenceEngine.MAX_PAGES_PER_PEER, engine.pagesOf(alice));
    // others are not affected
    assertTrue(engine.heard(bob, new PresenceMessage(space, extra, true, 50), 0));
  }

  @Test
  void aPeerNoLongerAMemberOfASpaceIsForgottenThere() {
    PageId elsewhere = PageId.random();
    SpaceId other = SpaceId.random();
    engine.heard(alice, new PresenceMessage(space, page, true, 50), 0);
    engine.heard(alice, new PresenceMessage(other, elsewhere, true, 50), 0);
    assertFalse(engine.retain(alice, Set.of(space, other)));
    assertTrue(engine.retain(alice, Set.of(other)));
    assertEquals(Set.of(), engine.on(page, 0));
    assertEquals(Set.of(alice), engine.on(elsewhere, 0));
  }
}
