package org.dure.store.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Renaming, moving, deleting, restoring and purging pages, alone and merged between stores. */
class PageLifecycleTest {
  private final MutableClock clock = new MutableClock();
  private final WikiStore store =
      WikiStore.inMemory(
          Identity.ephemeral(),
          StoreOptions.defaults().withClock(clock).withIndexDelay(Duration.ofMillis(20)));
  private final Pages pages = store.wiki().pages();
  private final Trash trash = store.wiki().trash();

  @AfterEach
  void close() {
    store.close();
  }

  private List<String> titles(SpaceId space) {
    return store.pages(space, 0, 100).stream().map(PageSummary::title).toList();
  }

  private List<String> searchTitles(SpaceId space, String q) {
    return store.search(Optional.of(space), q, 10).stream().map(h -> h.page().title()).toList();
  }

  @Test
  void renameKeepsLinksToTheOldTitleWorkingAndHistoryShowsIt() {
    SpaceId s = store.createSpace("Team").id();
    PageSummary plans = store.createPage(s, "Plans", "The plan", Optional.empty());
    PageSummary home =
        store.createPage(s, "Home", "See [[Plans]] and [[plans|the plan]]", Optional.empty());

    pages.rename(plans.id(), "Roadmap", Optional.empty());

    assertEquals("Roadmap", store.page(plans.id()).title());
    assertEquals(plans.id(), store.findPage(s, "Roadmap").orElseThrow().id());
    assertEquals(
        plans.id(), store.findPage(s, "plans").orElseThrow().id(), "the old title redirects");
    assertEquals(
        List.of(home.id()), store.backlinks(plans.id()).stream().map(PageSummary::id).toList());
    assertEquals(List.of("Roadmap"), searchTitles(s, "Roadmap"));
    var versions = store.history(plans.id(), 0, 10);
    assertEquals(Optional.of("Renamed from Plans to Roadmap"), versions.get(0).message());
    assertEquals(
        List.of(
            new PageEvent(versions.get(0).number(), PageEvent.Type.RENAMED, "Plans", "Roadmap")),
        store.wiki().history().events(plans.id(), versions));

    // A new page may take the old title: then links go to it, not through the redirect.
    PageSummary fresh = store.createPage(s, "Plans", "New plans", Optional.empty());
    assertEquals(fresh.id(), store.findPage(s, "Plans").orElseThrow().id());
    assertEquals(List.of(), store.backlinks(plans.id()));
    assertEquals(
        List.of(home.id()), store.backlinks(fresh.id()).stream().map(PageSummary::id).toList());
  }

  @Test
  void renameRefusesATitleAnotherPageHasButAllowsACaseChangeAndRenamingBack() {
    SpaceId s = store.createSpace("Team").id();
    PageSummary a = store.createPage(s, "Alpha", "", Optional.empty());
    store.createPage(s, "Beta", "", Optional.empty());
    assertThrows(
        IllegalArgumentException.class, () -> pages.rename(a.id(), "beta", Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> pages.rename(a.id(), "Bad [title]", Optional.empty()));
    pages.rename(a.id(), "ALPHA", Optional.empty());
    assertEquals("ALPHA", store.page(a.id()).title());
    pages.rename(a.id(), "Gamma", Optional.empty());
    pages.rename(a.id(), "Alpha", Optional.empty());
    assertEquals(a.id(), store.findPage(s, "gamma").orElseThrow().id());
    assertEquals(a.id(), store.findPage(s, "alpha").orElseThrow().id());
  }

  @Test
  void deleteHidesFromListsSearchAndLinksAndRestoreBringsItBack() {
    SpaceId s = store.createSpace("Team").id();
    PageSummary old = store.createPage(s, "Old notes", "zebra crossing", Optional.empty());
    PageSummary home = store.createPage(s, "Home", "See [[Old notes]]", Optional.empty());
    assertEquals(List.of("Old notes"), searchTitles(s, "zebra"));

    pages.delete(old.id(), Optional.empty());

    assertEquals(List.of("Home"), titles(s));
    assertEquals(1, store.pageCount(s));
    assertEquals(List.of(), searchTitles(s, "zebra"));
    assertTrue(store.findPage(s, "Old notes").isEmpty(), "links to it render as missing");
    assertFalse(
        store.sync().listedPages(s).contains(old.id().value()), "the index no longer lists it");
    List<Trash.DeletedPage> inTrash = trash.list(s);
    assertEquals(1, inTrash.size());
    assertEquals(old.id(), inTrash.get(0).page().id());
    assertEquals(Optional.of(store.identity().peerId()), inTrash.get(0).by());
    assertEquals(clock.instant(), inTrash.get(0).time());
    assertEquals(clock.instant().plus(Trash.RETENTION), inTrash.get(0).purgeAt());
    assertThrows(IllegalArgumentException.class, () -> pages.delete(old.id(), Optional.empty()));
    assertThrows(
        IllegalArgumentException.class, () -> pages.rename(old.id(), "Other", Optional.empty()));

    pages.restore(old.id(), Optional.empty());

    assertEquals(List.of("Home", "Old notes"), titles(s).stream().sorted().toList());
    assertEquals(List.of("Old notes"), searchTitles(s, "zebra"));
    assertEquals(old.id(), store.findPage(s, "old notes").orElseThrow().id());
    assertEquals(
        List.of(home.id()), store.backlinks(old.id()).stream().map(PageSummary::id).toList());
    assertTrue(trash.list(s).isEmpty());
    assertTrue(store.sync().listedPages(s).contains(old.id().value()));
    var versions = store.history(old.id(), 0, 10);
    var events = store.wiki().history().events(old.id(), versions);
    assertEquals(
        List.of(PageEvent.Type.RESTORED, PageEvent.Type.DELETED),
        events.stream().map(PageEvent::type).toList());
  }

  @Test
  void restoreIsRefusedWhileAnotherPageHasTheTitle() {
    SpaceId s = store.createSpace("Team").id();
    PageSummary first = store.createPage(s, "Notes", "one", Optional.empty());
    pages.delete(first.id(), Optional.empty());
    PageSummary second = store.createPage(s, "Notes", "two", Optional.empty());
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> pages.restore(first.id(), Optional.empty()));
    assertTrue(e.getMessage().contains("rename it first"), e.getMessage());
    pages.rename(second.id(), "Notes 2", Optional.empty());
    pages.restore(first.id(), Optional.empty());
    assertEquals(first.id(), store.findPage(s, "Notes").orElseThrow().id());
  }

  @Test
  void aDeletedPageIsPurgedThirtyDaysAfterThisNodeSawItDeleted() {
    SpaceId s = store.createSpace("Team").id();
    PageSummary p = store.createPage(s, "Scratch", "temporary", Optional.empty());
    pages.delete(p.id(), Optional.empty());
    clock.advance(Trash.RETENTION.minusMinutes(1));
    assertEquals(0, trash.purgeExpired());
    assertEquals(1, trash.list(s).size());
    pages.restore(p.id(), Optional.empty());
    pages.delete(p.id(), Optional.empty()); // the 30 days start again
    clock.advance(Duration.ofDays(29));
    assertEquals(1, trash.list(s).size());
    clock.advance(Duration.ofDays(1));

    assertEquals(List.of(), trash.list(s), "listing the trash purges what expired");
    assertThrows(NoSuchElementException.class, () -> store.summary(p.id()));
    assertThrows(DamagedDocumentException.class, () -> store.page(p.id()));
    assertTrue(
        store.sync().documents(s).stream().noneMatch(d -> d.id().equals(p.id().value())),
        "a purged page is not offered to peers");
    assertEquals(List.of(), searchTitles(s, "temporary"));
    assertEquals(0, trash.purgeExpired());
  }

  @Test
  void moveCreatesThePageInTheTargetAndTrashesTheOldOne() {
    SpaceId from = store.createSpace("Team").id();
    SpaceId to = store.createSpace("Archive").id();
    PageSummary p = store.createPage(from, "Minutes", "We met.", Optional.empty());

    PageSummary moved = pages.move(p.id(), to);

    assertEquals(to, moved.spaceId());
    assertEquals("We met.", store.page(moved.id()).body());
    assertEquals(List.of("Minutes"), titles(to));
    assertEquals(List.of(), titles(from));
    assertEquals(p.id(), trash.list(from).get(0).page().id());
    assertEquals(Optional.of("Moved to Archive"), store.history(p.id(), 0, 1).get(0).message());
    assertEquals(Optional.of("Moved from Team"), store.history(moved.id(), 0, 1).get(0).message());
    assertThrows(IllegalArgumentException.class, () -> pages.move(moved.id(), to));
    store.createPage(from, "Minutes", "again", Optional.empty());
    assertThrows(IllegalArgumentException.class, () -> pages.move(moved.id(), from));
  }

  @Test
  void concurrentRenameAndEditMergeAndADeleteReachesTheOtherStore() throws Exception {
    try (TwoStores two = new TwoStores()) {
      SpaceId s = two.shared("Shared").id();
      PageSummary p = two.a.createPage(s, "Draft", "line one", Optional.empty());
      PageSummary links = two.a.createPage(s, "Index", "[[Draft]]", Optional.empty());
      two.sync(s);

      two.a.wiki().pages().rename(p.id(), "Final", Optional.empty());
      two.b.replaceText(p.id(), "line one\nline two", Optional.empty());
      two.sync(s);

      for (WikiStore w : List.of(two.a, two.b)) {
        assertEquals("Final", w.page(p.id()).title());
        assertEquals("line one\nline two", w.page(p.id()).body());
        assertEquals(p.id(), w.findPage(s, "Draft").orElseThrow().id());
        assertEquals(
            List.of(links.id()), w.backlinks(p.id()).stream().map(PageSummary::id).toList());
      }

      two.b.wiki().pages().delete(p.id(), Optional.empty());
      two.a.replaceText(p.id(), "line one\nline two\nline three", Optional.empty());
      two.sync(s);
      for (WikiStore w : List.of(two.a, two.b)) {
        assertTrue(w.findPage(s, "Final").isEmpty());
        Trash.DeletedPage d = w.wiki().trash().list(s).get(0);
        assertEquals(Optional.of(two.b.identity().peerId()), d.by());
      }
      two.a.wiki().pages().restore(p.id(), Optional.empty());
      two.sync(s);
      assertEquals("line one\nline two\nline three", two.b.page(p.id()).body());
      assertEquals(p.id(), two.b.findPage(s, "Final").orElseThrow().id());
      assertTrue(two.b.wiki().trash().list(s).isEmpty());
    }
  }
}
