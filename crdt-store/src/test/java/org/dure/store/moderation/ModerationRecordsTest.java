package org.dure.store.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModerationRecordsTest {
  @TempDir Path dir;

  private static final PeerId PEER =
      PeerId.parse("12D3KooWEvi11111111111111111111111111111111111111111");

  @Test
  void aHiddenPageLeavesListsLinksAndSearchButNothingIsLostAndItComesBack() {
    PageId spam;
    SpaceId space;
    try (WikiStore store = WikiStore.open(dir)) {
      space = store.createSpace("Village").id();
      spam = store.createPage(space, "Spam", "cheap pills", Optional.empty()).id();
      PageId home = store.createPage(space, "Home", "see [[Spam]]", Optional.empty()).id();
      store.createPage(space, "Other", "links [[Home]] and pills", Optional.empty());
      store.moderation().hide(spam, "advertising");

      assertEquals(
          List.of("Other", "Home"),
          store.pages(space, 0, 10).stream().map(PageSummary::title).toList());
      assertEquals(2, store.pageCount(space));
      assertTrue(store.findPage(space, "Spam").isEmpty(), "links to it resolve to nothing");
      assertEquals(
          List.of("Other"),
          store.search(Optional.of(space), "pills", 10).stream()
              .map(h -> h.page().title())
              .toList());
      assertTrue(store.backlinks(home).stream().noneMatch(p -> p.id().equals(spam)));
      ModerationRecords.Hidden h = store.moderation().hidden(space).get(spam);
      assertEquals(store.identity().peerId().toString(), h.by());
      assertEquals("advertising", h.reason());
      assertEquals("cheap pills", store.page(spam).body(), "the page itself is kept");
    }
    try (WikiStore store = WikiStore.open(dir)) {
      assertTrue(store.moderation().isHidden(spam), "still hidden after a restart");
      store.moderation().unhide(spam);
      assertFalse(store.moderation().isHidden(spam));
      assertTrue(store.findPage(space, "Spam").isPresent());
      assertEquals(3, store.pageCount(space));
    }
  }

  @Test
  void aBanRemovesTheMemberAndKeepsItOutUntilUnbanned() {
    try (WikiStore store = WikiStore.open(dir)) {
      SpaceId space = store.createSpace("Village").id();
      store.addMember(space, PEER, Role.EDITOR);
      store.moderation().ban(space, PEER, "spam");
      assertFalse(store.membership(space).isMember(PEER));
      ModerationRecords.Ban ban = store.moderation().banned(space).get(PEER);
      assertEquals("spam", ban.reason());
      assertEquals(store.identity().peerId().toString(), ban.by());
      assertThrows(IllegalArgumentException.class, () -> store.addMember(space, PEER, Role.READER));
      assertThrows(
          IllegalArgumentException.class,
          () -> store.moderation().ban(space, store.identity().peerId(), "no"),
          "not the owner");
      Invites.Created invite =
          store.invites().create(space, Role.EDITOR, java.time.Duration.ofDays(1));
      assertTrue(store.invites().redeem(space, invite.secret(), PEER).isEmpty());

      store.moderation().unban(space, PEER);
      assertTrue(store.invites().redeem(space, invite.secret(), PEER).isPresent(), "still unused");
      assertEquals(Optional.of(Role.EDITOR), store.membership(space).roleOf(PEER));
    }
  }

  @Test
  void reportsAreResolvedAndTheLogKeepsWhoDidWhat() {
    try (WikiStore store = WikiStore.open(dir)) {
      SpaceId space = store.createSpace("Village").id();
      PageId p = store.createPage(space, "Spam", "x", Optional.empty()).id();
      assertThrows(IllegalArgumentException.class, () -> store.moderation().report(p, 0, " "));
      assertThrows(
          IllegalArgumentException.class,
          () -> store.moderation().report(p, 0, "x".repeat(ModerationRecords.MAX_REASON + 1)));
      String id = store.moderation().report(p, 1, "advertising");
      ModerationRecords.Report r = store.moderation().reports(space).get(0);
      assertEquals(id, r.id());
      assertEquals(1, r.version());
      assertTrue(r.open());
      store.moderation().resolve(space, id, "hidden");
      r = store.moderation().reports(space).get(0);
      assertFalse(r.open());
      assertEquals("hidden", r.resolution());
      store.moderation().log(space, "hide", p.value(), "advertising");
      ModerationRecords.LogEntry e = store.moderation().log(space).get(0);
      assertEquals(
          List.of(store.identity().peerId().toString(), "hide", p.value(), "advertising"),
          List.of(e.who(), e.action(), e.target(), e.reason()));
    }
  }

  @Test
  void theMuteAndBlockListsSayWhyAndSinceWhen() {
    MutableClock clock = new MutableClock();
    try (WikiStore store =
        WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults().withClock(clock))) {
      PeerId other = PeerId.parse("12D3KooWEvi22222222222222222222222222222222222222222");
      store.moderation().mute(PEER, "noisy");
      clock.advance(java.time.Duration.ofMinutes(1));
      store.moderation().mute(other, "");
      store.blockPeer(PEER, "spam");
      assertEquals(
          List.of(other, PEER),
          store.moderation().muteList().stream().map(ModerationRecords.ListedPeer::peer).toList(),
          "newest first");
      ModerationRecords.ListedPeer m = store.moderation().muteList().get(1);
      assertEquals("noisy", m.reason());
      assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z"), m.since());
      assertEquals(
          List.of(new ModerationRecords.ListedPeer(PEER, "spam", clock.instant())),
          store.moderation().blockList());
    }
  }
}
