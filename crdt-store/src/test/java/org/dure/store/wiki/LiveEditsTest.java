package org.dure.store.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;

class LiveEditsTest {

  /** Applies splices one after another to a text (code points). */
  private static String apply(String text, List<LiveEdits.Splice> splices) {
    String t = text;
    for (LiveEdits.Splice s : splices) {
      int from = t.offsetByCodePoints(0, (int) s.pos());
      int to = t.offsetByCodePoints(from, (int) s.delete());
      t = t.substring(0, from) + s.insert() + t.substring(to);
    }
    return t;
  }

  @Test
  void aSpliceOfAVersionThePageHasLeftIsRefusedUntilTheEditorCaughtUp() {
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      PageSummary p =
          store.createPage(store.defaultSpace().id(), "Notes", "one two", Optional.empty());
      LiveEdits live = store.wiki().liveEdits();
      LiveEdits.Opened opened = live.open(p.id());
      assertEquals("one two", opened.text());

      // Another tab deletes and types at the start; this editor has not seen it.
      store.splice(p.id(), 0, 4, "zero ");
      assertEquals(
          Optional.empty(),
          live.splice(p.id(), opened.seen(), List.of(new LiveEdits.Splice(7, 0, " three"))));
      assertEquals("zero two", store.page(p.id()).body());

      // What this editor has not seen arrives as a patch of its text; on that version it may.
      LiveEdits.Changes since = live.since(p.id(), opened.seen());
      assertEquals("zero two", apply("one two", since.splices()));
      assertEquals(8, since.length());
      LiveEdits.Seen mine =
          live.splice(p.id(), since.seen(), List.of(new LiveEdits.Splice(8, 0, " three")))
              .orElseThrow();
      assertEquals("zero two three", store.page(p.id()).body());
      // and then nothing more
      assertTrue(live.since(p.id(), mine).splices().isEmpty());
    }
  }

  @Test
  void aFriendsEditArrivingBySyncArrivesAsPatches() throws Exception {
    try (TwoStores two = new TwoStores()) {
      Space s = two.shared("Village");
      PageSummary p = two.a.createPage(s.id(), "Harvest", "rice and beans", Optional.empty());
      two.sync(s.id());
      LiveEdits live = two.a.wiki().liveEdits();
      LiveEdits.Opened opened = live.open(p.id());

      two.b.splice(p.id(), 4, 0, " 🍚");
      two.b.splice(p.id(), 0, 4, "Red rice");
      two.sync(s.id());

      LiveEdits.Changes since = live.since(p.id(), opened.seen());
      assertEquals("Red rice 🍚 and beans", apply(opened.text(), since.splices()));
      assertEquals(
          "Red rice 🍚 and beans".codePointCount(0, "Red rice 🍚 and beans".length()),
          since.length());
    }
  }

  @Test
  void positionsAreCodePoints() {
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      PageSummary p = store.createPage(store.defaultSpace().id(), "E", "a😀b", Optional.empty());
      LiveEdits live = store.wiki().liveEdits();
      LiveEdits.Opened opened = live.open(p.id());
      live.splice(p.id(), opened.seen(), List.of(new LiveEdits.Splice(2, 1, "c")));
      assertEquals("a😀c", store.page(p.id()).body());
    }
  }

  @Test
  void aSpliceOutsideTheTextOrPastTheLimitChangesNothing() {
    StoreOptions small =
        new StoreOptions(
            StoreOptions.defaults().clock(),
            1,
            StoreOptions.defaults().nativeMemoryBudget(),
            StoreOptions.defaults().indexDelay(),
            100_000, // room for the welcome page
            StoreOptions.defaults().journalFlushInterval(),
            List.of());
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), small)) {
      String body = "12345" + "x".repeat(100_000 - 10);
      PageSummary p = store.createPage(store.defaultSpace().id(), "E", body, Optional.empty());
      LiveEdits live = store.wiki().liveEdits();
      LiveEdits.Opened opened = live.open(p.id());
      long version = store.page(p.id()).version();

      assertThrows(
          IllegalArgumentException.class,
          () ->
              live.splice(
                  p.id(), opened.seen(), List.of(new LiveEdits.Splice(body.length() - 1, 2, ""))));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              live.splice(
                  p.id(),
                  opened.seen(),
                  List.of(new LiveEdits.Splice(0, 0, "abc"), new LiveEdits.Splice(0, 0, "defgh"))));
      assertEquals(body, store.page(p.id()).body());
      assertEquals(version, store.page(p.id()).version());
    }
  }
}
