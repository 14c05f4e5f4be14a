package org.dure.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.dure.store.doc.Author;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Heads;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SearchHit;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.TextDiff;
import org.dure.store.wiki.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiStoreTest {
  @TempDir Path dir;
  private WikiStore store;

  private static StoreOptions options() {
    return StoreOptions.defaults().withIndexDelay(Duration.ofMillis(20));
  }

  private WikiStore open(Path d) {
    store = WikiStore.open(d, options());
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void createdAndEditedPageSurvivesReopen() {
    WikiStore s = open(dir);
    Space space = s.createSpace("Team");
    PageSummary p = s.createPage(space.id(), "Plans", "Hello world", Optional.empty());
    s.splice(p.id(), 5, 0, ",");
    s.splice(p.id(), 7, 5, "Dure 두레");
    assertEquals("Hello, Dure 두레", s.page(p.id()).body());
    s.close();
    store = null;

    WikiStore again = open(dir);
    Page page = again.page(p.id());
    assertEquals("Plans", page.title());
    assertEquals("Hello, Dure 두레", page.body());
    assertEquals(3, page.version());
    assertEquals(List.of(space), again.spaces());
    assertEquals(1, again.pageCount(space.id()));
  }

  @Test
  void firstStartCreatesMyWikiWithWelcomePageOnce() {
    WikiStore s = open(dir);
    Space space = s.defaultSpace();
    assertEquals(WikiStore.DEFAULT_SPACE_NAME, space.name());
    PageSummary welcome = s.findPage(space.id(), "welcome").orElseThrow();
    assertTrue(s.page(welcome.id()).body().contains("Dure"));
    assertEquals(space, s.defaultSpace());
    assertEquals(1, s.spaces().size());
  }

  @Test
  void splicePositionsAreCodePoints() {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary p = s.createPage(space.id(), "Emoji", "a😀b", Optional.empty());
    s.splice(p.id(), 2, 1, "c");
    assertEquals("a😀c", s.page(p.id()).body());
    assertThrows(IllegalArgumentException.class, () -> s.splice(p.id(), 3, 1, "x"));
  }

  @Test
  void spliceBoundsFollowTheTextThroughReplacesAndMerges() throws Exception {
    WikiStore first = open(dir);
    PageSummary p = first.createPage(first.createSpace("x").id(), "Len", "ab", Optional.empty());
    first.close();
    Path other = Files.createTempDirectory(dir.getParent(), "fork");
    copyTree(dir, other);
    WikiStore s = open(dir);
    s.splice(p.id(), 2, 0, "😀"); // 3 code points
    s.replaceText(p.id(), "abcdef", Optional.empty()); // 6, not through splice
    s.splice(p.id(), 6, 0, "g");
    assertThrows(IllegalArgumentException.class, () -> s.splice(p.id(), 8, 0, "x"));
    try (WikiStore b = WikiStore.open(other, options())) {
      b.mergeFrom(s, p.id().value());
      b.splice(p.id(), 0, 0, "12345");
      s.mergeFrom(b, p.id().value()); // 12 code points now
    }
    s.splice(p.id(), 12, 0, "!");
    assertEquals("12345abcdefg!", s.page(p.id()).body());
    assertThrows(IllegalArgumentException.class, () -> s.splice(p.id(), 14, 0, "x"));
  }

  @Test
  void duplicateAndInvalidTitlesAreRejected() {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    s.createPage(space.id(), "Home", "", Optional.empty());
    var dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.createPage(space.id(), " home ", "", Optional.empty()));
    assertTrue(dup.getMessage().contains("already exists"));
    assertThrows(
        IllegalArgumentException.class,
        () -> s.createPage(space.id(), "a[[b", "", Optional.empty()));
    assertThrows(
        IllegalArgumentException.class, () -> s.createPage(space.id(), "  ", "", Optional.empty()));
  }

  @Test
  void pagesAreListedMostRecentlyChangedFirst() {
    MutableClock clock = new MutableClock();
    store = WikiStore.open(dir, options().withClock(clock));
    Space space = store.createSpace("x");
    PageSummary a = store.createPage(space.id(), "A", "", Optional.empty());
    clock.advance(Duration.ofSeconds(1));
    PageSummary b = store.createPage(space.id(), "B", "", Optional.empty());
    clock.advance(Duration.ofSeconds(1));
    store.splice(a.id(), 0, 0, "edited");
    List<PageSummary> pages = store.pages(space.id(), 0, 10);
    assertEquals(List.of(a.id(), b.id()), pages.stream().map(PageSummary::id).toList());
  }

  @Test
  void replaceTextKeepsConcurrentEditsInOtherPlacesAndTheSamePlace() throws Exception {
    WikiStore a = open(dir);
    Space space = a.createSpace("x");
    String base = "line one\nline two\nline three\n";
    PageSummary p = a.createPage(space.id(), "Shared", base, Optional.empty());
    a.close();
    store = null;
    Path other = Files.createTempDirectory(dir.getParent(), "fork");
    copyTree(dir, other);
    try (WikiStore b = WikiStore.open(other, options())) {
      a = open(dir);
      // Different places.
      a.replaceText(p.id(), "line ONE\nline two\nline three\n", Optional.of("a"));
      b.replaceText(p.id(), "line one\nline two\nline three and more\n", Optional.of("b"));
      // The same place: both insert at the start of line two.
      a.replaceText(p.id(), "line ONE\nA says hi line two\nline three\n", Optional.empty());
      b.replaceText(
          p.id(), "line one\nB says yo line two\nline three and more\n", Optional.empty());

      a.mergeFrom(b, p.id().value());
      b.mergeFrom(a, p.id().value());
      String merged = a.page(p.id()).body();
      assertEquals(merged, b.page(p.id()).body());
      assertTrue(merged.startsWith("line ONE\n"), merged);
      assertTrue(merged.contains("A says hi "), merged);
      assertTrue(merged.contains("B says yo "), merged);
      assertTrue(merged.endsWith("line three and more\n"), merged);
    } finally {
      deleteTree(other);
    }
    // The merge was persisted.
    a.close();
    store = null;
    assertTrue(open(dir).page(p.id()).body().contains("B says yo"));
  }

  @Test
  void savingAnEditorBasedOnAnOldVersionKeepsEditsMadeSince() {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary p = s.createPage(space.id(), "Doc", "first\nsecond\n", Optional.empty());
    long base = s.page(p.id()).version();
    // Meanwhile someone appends a line.
    s.replaceText(p.id(), "first\nsecond\nthird\n", Optional.empty());
    // The editor opened at `base` saves its change to the first line.
    s.replaceText(p.id(), base, "FIRST\nsecond\n", Optional.of("from old editor"));
    assertEquals("FIRST\nsecond\nthird\n", s.page(p.id()).body());
  }

  /**
   * An edit based on an old version after this node's own edits since (another tab, a task ticked
   * in an old view): made at those old heads with this node's actor, Automerge-Java 0.0.7 wrote it
   * under a derived actor id that a friend refuses as naming no author.
   */
  @Test
  void anEditBasedOnAnOldVersionAfterOwnEditsSinceReachesAFriend() throws Exception {
    try (TwoStores two = new TwoStores()) {
      Space space = two.shared("Village");
      PageSummary p = two.a.createPage(space.id(), "Doc", "first\nsecond\n", Optional.empty());
      long base = two.a.page(p.id()).version();
      two.a.replaceText(p.id(), "first\nthird\n", Optional.empty());
      two.a.replaceText(p.id(), base, "FIRST\nsecond\n", Optional.of("from an old editor"));
      assertEquals("FIRST\nthird\n", two.a.page(p.id()).body());
      two.sync(space.id());
      assertEquals("FIRST\nthird\n", two.b.page(p.id()).body());
    }
  }

  @Test
  void historyShowsVersionsDiffsAndReverts() {
    MutableClock clock = new MutableClock();
    store = WikiStore.open(dir, options().withClock(clock));
    Space space = store.createSpace("x");
    PageSummary p = store.createPage(space.id(), "Doc", "alpha\nbeta\n", Optional.of("start"));
    clock.advance(Duration.ofMinutes(1));
    store.replaceText(p.id(), "alpha\nbeta gamma\n", Optional.of("add gamma"));
    clock.advance(Duration.ofMinutes(1));
    store.replaceText(p.id(), "alpha\nbeta gamma\ndelta\n", Optional.empty());
    assertEquals(3, store.replaceText(p.id(), "alpha\nbeta gamma\ndelta\n", Optional.of("no-op")));

    List<Version> versions = store.history(p.id(), 0, 50);
    assertEquals(List.of(3L, 2L, 1L), versions.stream().map(Version::number).toList());
    assertEquals(Optional.of("add gamma"), versions.get(1).message());
    assertEquals(Optional.empty(), versions.get(0).message());
    assertEquals(Optional.of(Author.of(store.identity())), versions.get(0).author());
    assertTrue(versions.get(0).time().isAfter(versions.get(1).time()));

    assertEquals("alpha\nbeta\n", store.pageAt(p.id(), 1).body());
    TextDiff diff = store.diff(p.id(), 1, 2);
    assertEquals(1, diff.removed());
    assertEquals(1, diff.added());
    TextDiff.Line added =
        diff.lines().stream().filter(l -> l.kind() == TextDiff.Kind.ADDED).findFirst().get();
    assertEquals("beta gamma", added.text());
    assertTrue(
        added.segments().stream().anyMatch(s -> s.changed() && s.text().contains("gamma")),
        "word-level change marks gamma");
    assertTrue(
        added.segments().stream().anyMatch(s -> !s.changed() && s.text().contains("beta")),
        "beta is unchanged");

    long v = store.revert(p.id(), 1);
    assertEquals(4, v);
    assertEquals("alpha\nbeta\n", store.page(p.id()).body());
    assertEquals(
        Optional.of("Reverted to version 1"), store.history(p.id(), 0, 1).get(0).message());
    // History survives compaction into a snapshot and a restart.
    store.close();
    store = WikiStore.open(dir, options());
    assertEquals("alpha\nbeta gamma\n", store.pageAt(p.id(), 2).body());
  }

  @Test
  void backlinksFollowWikiLinks() {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary target = s.createPage(space.id(), "Target Page", "", Optional.empty());
    PageSummary a = s.createPage(space.id(), "A", "see [[target page]]", Optional.empty());
    PageSummary b =
        s.createPage(
            space.id(), "B", "see [[Target Page|the target]] and [[Nowhere]]", Optional.empty());
    s.createPage(space.id(), "C", "no links", Optional.empty());
    assertEquals(
        List.of(a.id(), b.id()), s.backlinks(target.id()).stream().map(PageSummary::id).toList());
    s.replaceText(a.id(), "no more link", Optional.empty());
    assertEquals(List.of(b.id()), s.backlinks(target.id()).stream().map(PageSummary::id).toList());
  }

  @Test
  void searchFindsTitlesAndBodiesIncludingKoreanWithSnippets() {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary ko =
        s.createPage(space.id(), "두레 소개", "두레는 마을의 공동 노동 조직입니다. 한글 검색 시험.", Optional.empty());
    PageSummary en =
        s.createPage(
            space.id(), "Gardening", "Tomatoes need sun and water every day.", Optional.empty());
    PageSummary title = s.createPage(space.id(), "Tomato soup", "A recipe.", Optional.empty());

    List<SearchHit> hits = s.search(Optional.of(space.id()), "tomato", 10);
    assertEquals(List.of(title.id(), en.id()), hits.stream().map(h -> h.page().id()).toList());
    SearchHit bodyHit = hits.get(1);
    assertTrue(
        bodyHit.parts().stream().anyMatch(p -> p.match() && p.text().equalsIgnoreCase("tomato")),
        bodyHit.snippet());

    // Korean: two-syllable words ("공동", "노동", "한글") are found through the pair index.
    assertEquals(ko.id(), s.search(Optional.empty(), "공동 노동", 10).get(0).page().id());
    List<SearchHit> two = s.search(Optional.empty(), "한글", 10);
    assertEquals(List.of(ko.id()), two.stream().map(h -> h.page().id()).toList());
    assertTrue(two.get(0).parts().stream().anyMatch(p -> p.match() && p.text().equals("한글")));
    assertTrue(s.search(Optional.empty(), "nothing-like-this", 10).isEmpty());
    // Query syntax characters are taken literally, not as FTS5 syntax.
    assertTrue(s.search(Optional.empty(), "\"sun\" OR * NEAR(", 10).isEmpty());
    // Edits are reflected.
    s.replaceText(en.id(), "Potatoes.", Optional.empty());
    assertEquals(
        List.of(title.id()),
        s.search(Optional.empty(), "tomato", 10).stream().map(h -> h.page().id()).toList());
  }

  @Test
  void damagedDocumentIsQuarantinedAndTheRestKeepsWorking() throws Exception {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary bad = s.createPage(space.id(), "Bad", "will break", Optional.empty());
    s.splice(bad.id(), 0, 0, "really ");
    PageSummary good = s.createPage(space.id(), "Good", "fine", Optional.empty());
    s.close();
    store = null;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dure.db"));
        PreparedStatement ps =
            c.prepareStatement("UPDATE changes SET data = ? WHERE doc_id = ? AND seq = 2")) {
      ps.setBytes(1, new byte[] {0x08, 0x01, 0x02, 0x03});
      ps.setString(2, bad.id().value());
      assertEquals(1, ps.executeUpdate());
    }
    WikiStore again = open(dir);
    DamagedDocumentException e =
        assertThrows(DamagedDocumentException.class, () -> again.page(bad.id()));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertTrue(again.summary(bad.id()).damaged().isPresent());
    assertThrows(DamagedDocumentException.class, () -> again.splice(bad.id(), 0, 0, "x"));
    assertEquals("fine", again.page(good.id()).body());
    again.splice(good.id(), 4, 0, "!");
    assertEquals(2, again.pages(space.id(), 0, 10).size());
    assertFalse(again.search(Optional.empty(), "fine", 10).isEmpty());
  }

  @Test
  void undecodableSnapshotIsQuarantined() throws Exception {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary bad = s.createPage(space.id(), "Bad", "text", Optional.empty());
    s.close();
    store = null;
    byte[] junk = "not an automerge document".getBytes();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dure.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE documents SET snapshot = ?, snapshot_sha = ?, snapshot_seq = 1 WHERE id = ?")) {
      ps.setBytes(1, junk);
      ps.setBytes(2, Heads.sha256(junk));
      ps.setString(3, bad.id().value());
      assertEquals(1, ps.executeUpdate());
    }
    WikiStore again = open(dir);
    DamagedDocumentException e =
        assertThrows(DamagedDocumentException.class, () -> again.page(bad.id()));
    assertTrue(e.getMessage().contains("Automerge"), e.getMessage());
    // Stays quarantined across restarts without touching native code again.
    again.close();
    store = null;
    assertThrows(DamagedDocumentException.class, () -> open(dir).page(bad.id()));
  }

  @Test
  void secondProcessOnTheSameDirectoryIsRefused() {
    open(dir);
    assertThrows(StoreLockedException.class, () -> WikiStore.open(dir, options()));
  }

  @Test
  void cacheStaysWithinItsNativeMemoryBudgetAndEvictedPagesReload() {
    long budget = 4 * 1024 * 1024;
    store = WikiStore.open(dir, options().withNativeMemoryBudget(budget));
    Space space = store.createSpace("x");
    List<PageSummary> pages =
        java.util.stream.IntStream.range(0, 150)
            .mapToObj(i -> store.createPage(space.id(), "P" + i, "body " + i, Optional.empty()))
            .toList();
    long[] stats = store.cacheStats();
    assertTrue(stats[1] <= budget + 4 * 64 * 1024, "estimated bytes " + stats[1]);
    assertTrue(stats[0] < 151, "some documents were evicted: " + stats[0]);
    for (int i = 0; i < pages.size(); i += 7) {
      assertEquals("body " + i, store.page(pages.get(i).id()).body());
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!f.getFileName().toString().equals("dure.lock")) {
          Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path p) throws Exception {
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
