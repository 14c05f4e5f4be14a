package org.dure.store.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.Version;
import org.junit.jupiter.api.Test;

/**
 * Reverting every edit by one peer since a time: {@code a} is the space's owner (Y), {@code b} an
 * editor (X) whose changes reach {@code a} by sync, so they are known by the author they claim.
 */
class EditRevertsTest {
  private static final String BODY = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";

  private static String replaceLine(String text, String line, String with) {
    assertTrue(text.contains(line + "\n"), text);
    return text.replace(line + "\n", with + "\n");
  }

  private static void editLine(WikiStore s, PageId page, String line, String with) {
    s.replaceText(page, replaceLine(s.page(page).body(), line, with), Optional.empty());
  }

  @Test
  void theEditsOfOnePeerSinceTheTimeGoAndEveryoneElsesStay() throws Exception {
    try (TwoStores two = new TwoStores()) {
      Space space = two.shared("Village");
      PageId page = two.a.createPage(space.id(), "Notes", BODY, Optional.empty()).id();
      two.sync(space.id());
      two.clock.advance(Duration.ofMinutes(1));
      editLine(two.b, page, "two", "two (X, before)");
      two.sync(space.id());

      two.clock.advance(Duration.ofMinutes(10));
      Instant since = two.clock.instant();
      editLine(two.b, page, "five", "five, spoiled by X");
      two.sync(space.id());
      two.clock.advance(Duration.ofMinutes(1));
      editLine(two.a, page, "one", "one (Y, after)");
      editLine(two.b, page, "seven", "seven\nand a line added by X");
      two.sync(space.id());

      PeerId x = two.b.identity().peerId();
      List<int[]> progress = new ArrayList<>();
      EditReverts.Report r =
          two.a
              .reverts()
              .revertEditsBy(
                  space.id(), x, since, "vandalism", (d, t) -> progress.add(new int[] {d, t}));

      assertEquals(
          "one (Y, after)\ntwo (X, before)\nthree\nfour\nfive\nsix\nseven\n",
          two.a.page(page).body());
      assertEquals(x, r.author());
      assertEquals(List.of(page), r.changed().stream().map(EditReverts.PageOutcome::page).toList());
      assertEquals(2, r.changed().getFirst().versions());
      assertTrue(r.partly().isEmpty());
      assertTrue(r.created().isEmpty());
      assertFalse(progress.isEmpty());
      assertEquals(r.pagesLookedAt(), progress.getLast()[0]);
      Version last = two.a.history(page, 0, 1).getFirst();
      assertEquals(
          Optional.of("Revert edits by " + Profiles.shortId(x) + " since " + since),
          last.message());

      two.sync(space.id());
      assertEquals(two.a.page(page).body(), two.b.page(page).body(), "the revert syncs");
    }
  }

  @Test
  void anEditSomeoneElseChangedSinceIsLeftAndReported() throws Exception {
    try (TwoStores two = new TwoStores()) {
      Space space = two.shared("Village");
      PageId page = two.a.createPage(space.id(), "Notes", BODY, Optional.empty()).id();
      two.sync(space.id());
      Instant since = two.clock.instant().plusMillis(1);
      two.clock.advance(Duration.ofMinutes(1));
      editLine(two.b, page, "three", "three by X");
      editLine(two.b, page, "six", "six by X");
      two.sync(space.id());
      two.clock.advance(Duration.ofMinutes(1));
      editLine(two.a, page, "three by X", "three by X, fixed by Y");
      two.sync(space.id());

      EditReverts.Report r =
          two.a
              .reverts()
              .revertEditsBy(
                  space.id(), two.b.identity().peerId(), since, "", EditReverts.Progress.NONE);

      assertEquals(
          "one\ntwo\nthree by X, fixed by Y\nfour\nfive\nsix\nseven\n", two.a.page(page).body());
      assertEquals(1, r.partly().size());
      EditReverts.PageOutcome o = r.partly().getFirst();
      assertEquals(1, o.skipped());
      assertEquals(1, o.reverted());
      assertEquals(r.partly(), r.changed(), "the other edit went");
    }
  }

  @Test
  void aVersionMixingThePeersChangesWithOthersIsLeftAndReported() throws Exception {
    try (TwoStores two = new TwoStores();
        WikiStore c = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      c.sync().setSandbox(snapshot -> {});
      Space space = two.shared("Village");
      two.a.addMember(space.id(), c.identity().peerId(), Role.EDITOR);
      PageId page = two.a.createPage(space.id(), "Notes", BODY, Optional.empty()).id();
      two.sync(space.id());
      TwoStores.sync(two.a, c, space.id());
      Instant since = two.clock.instant().plusMillis(1);
      two.clock.advance(Duration.ofMinutes(1));
      editLine(two.b, page, "two", "two by X");
      TwoStores.sync(two.b, c, space.id()); // c relays X's change with its own
      editLine(c, page, "six", "six by Z");
      TwoStores.sync(c, two.a, space.id());

      EditReverts.Report r =
          two.a
              .reverts()
              .revertEditsBy(
                  space.id(), two.b.identity().peerId(), since, "", EditReverts.Progress.NONE);

      assertEquals("one\ntwo by X\nthree\nfour\nfive\nsix by Z\nseven\n", two.a.page(page).body());
      assertTrue(r.changed().isEmpty());
      assertEquals(1, r.partly().size());
      assertEquals(1, r.partly().getFirst().mixed());
    }
  }

  @Test
  void aPageThePeerCreatedSinceIsHiddenNotDeleted() throws Exception {
    try (TwoStores two = new TwoStores()) {
      Space space = two.shared("Village");
      PageId old = two.b.createPage(space.id(), "Older", "before", Optional.empty()).id();
      two.sync(space.id());
      two.clock.advance(Duration.ofMinutes(5));
      Instant since = two.clock.instant();
      PageId spam = two.b.createPage(space.id(), "Spam", "cheap pills", Optional.empty()).id();
      two.sync(space.id());

      EditReverts.Report r =
          two.a
              .reverts()
              .revertEditsBy(
                  space.id(), two.b.identity().peerId(), since, "spam", EditReverts.Progress.NONE);

      assertEquals(List.of(spam), r.created().stream().map(PageSummary::id).toList());
      assertTrue(two.a.moderation().isHidden(spam));
      assertFalse(two.a.moderation().isHidden(old), "created before the time");
      assertEquals("cheap pills", two.a.page(spam).body(), "kept, only hidden");
      assertTrue(two.a.moderation().hidden(space.id()).get(spam).reason().endsWith(": spam"));
      two.sync(space.id());
      assertTrue(two.b.moderation().isHidden(spam), "hidden for everyone");
    }
  }

  @Test
  void aLocalAuthorsOwnEditsRevertByPublicKeyAndNothingElseChanges() {
    MutableClock clock = new MutableClock();
    try (WikiStore s =
        WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults().withClock(clock))) {
      Space space = s.createSpace("Solo");
      PageId page = s.createPage(space.id(), "P", BODY, Optional.empty()).id();
      clock.advance(Duration.ofMinutes(1));
      Instant since = clock.instant();
      editLine(s, page, "four", "four!");
      String key = java.util.HexFormat.of().formatHex(s.identity().publicKey().data());

      EditReverts.Report r =
          s.reverts()
              .revertEditsBy(
                  space.id(), EditReverts.peerIdOf(key), since, "", EditReverts.Progress.NONE);
      assertEquals(BODY, s.page(page).body());
      assertEquals(1, r.changed().size());

      EditReverts.Report again =
          s.reverts()
              .revertEditsBy(
                  space.id(),
                  EditReverts.peerIdOf("12D3KooWEvi11111111111111111111111111111111111111111"),
                  since,
                  "",
                  EditReverts.Progress.NONE);
      assertTrue(again.nothingToDo());
      assertThrows(IllegalArgumentException.class, () -> EditReverts.peerIdOf("nobody"));
    }
  }

  @Test
  void undoAppliesEachHunkWhereItsLinesStillAre() {
    EditReverts.Undo u =
        EditReverts.undo("a\nb\nc\nd", "a\nB\nc\nd\ne", "new\na\nB\nc\nd\ne\nlater");
    assertEquals("new\na\nb\nc\nd\nlater", u.text());
    assertEquals(2, u.applied());
    assertEquals(0, u.skipped());

    EditReverts.Undo clash = EditReverts.undo("a\nb\nc", "a\nB\nc", "a\nB2\nc");
    assertEquals("a\nB2\nc", clash.text());
    assertEquals(1, clash.skipped());

    EditReverts.Undo neighbour = EditReverts.undo("a\nb\nc", "a\nB\nc", "a!\nB\nc");
    assertEquals("a!\nb\nc", neighbour.text(), "a changed neighbour line is kept");

    EditReverts.Undo deleted = EditReverts.undo("a\nb\nc", "a\nc", "a\nc\nd");
    assertEquals("a\nb\nc\nd", deleted.text(), "a deleted line comes back");
  }
}
