package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.MutableClock;
import org.dure.store.StoreInternals;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.TextDiff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivityTest {
  private final TwoStores two = new TwoStores();
  private final WikiStore a = two.a;
  private final MutableClock clock = two.clock;

  @AfterEach
  void close() {
    two.close();
  }

  private List<Activity.Entry> feed(WikiStore s) {
    return s.activity().recent(Activity.PAGE_SIZE, peer -> false).entries();
  }

  private static List<String> titles(List<Activity.Entry> entries) {
    return entries.stream().map(Activity.Entry::title).toList();
  }

  @Test
  void theFeedListsChangesAcrossSpacesNewestFirst() {
    Space home = a.createSpace("Home");
    Space work = a.createSpace("Work");
    PageSummary garden = a.createPage(home.id(), "Garden", "roses\n", Optional.empty());
    clock.advance(Duration.ofMinutes(11));
    PageSummary plan = a.createPage(work.id(), "Plan", "step one\n", Optional.empty());
    clock.advance(Duration.ofMinutes(11));
    a.replaceText(garden.id(), "roses\ntulips and lilies\n", Optional.empty());

    List<Activity.Entry> entries = feed(a);
    assertEquals(List.of("Garden", "Plan", "Garden"), titles(entries));
    assertEquals("Home", entries.get(0).spaceName());
    assertEquals("Work", entries.get(1).spaceName());
    assertEquals(plan.id(), entries.get(1).page());
    assertEquals(Optional.of(Author.of(a.identity())), entries.get(0).author());
    assertFalse(entries.get(0).claimed(), "a local change has a known author");
    assertTrue(entries.get(0).time().isAfter(entries.get(1).time()));
    // The edit: one added line of 17 characters; the creation: everything added.
    assertEquals(17, entries.get(0).added());
    assertEquals(0, entries.get(0).removed());
    assertEquals("tulips and lilies", entries.get(0).inserted());
    assertEquals(1, entries.get(0).fromVersion());
    assertEquals(0, entries.get(2).fromVersion());
    assertEquals("roses", entries.get(2).inserted());
  }

  @Test
  void aTypingSessionIsOneEntryUntilTenMinutesPass() {
    Space s = a.createSpace("Notes");
    PageSummary p = a.createPage(s.id(), "Diary", "", Optional.empty());
    for (String word : List.of("Today ", "we ", "planted ", "beans")) {
      clock.advance(Duration.ofMinutes(3));
      long len = a.page(p.id()).body().length();
      a.splice(p.id(), len, 0, word);
    }
    List<Activity.Entry> entries = feed(a);
    assertEquals(1, entries.size(), "creation and four edits within minutes of each other");
    assertEquals(0, entries.get(0).fromVersion());
    assertEquals(5, entries.get(0).toVersion());
    assertEquals("Today we planted beans".length(), entries.get(0).added());

    clock.advance(Duration.ofMinutes(11));
    a.splice(p.id(), 0, 5, "Yesterday");
    entries = feed(a);
    assertEquals(2, entries.size());
    assertEquals(5, entries.get(0).fromVersion());
    assertEquals(6, entries.get(0).toVersion());
    assertEquals(9, entries.get(0).added());
    assertEquals(5, entries.get(0).removed());
  }

  @Test
  void pagesOfTheFeedFollowEachOtherWithoutGapsOrRepeats() {
    Space s = a.createSpace("Many");
    for (int i = 0; i < 45; i++) {
      a.createPage(s.id(), "Page " + i, "text " + i, Optional.empty());
      if (i % 3 == 0) {
        clock.advance(Duration.ofSeconds(1)); // some share a time: the cursor must break ties
      }
    }
    List<String> seen = new ArrayList<>();
    List<java.time.Instant> times = new ArrayList<>();
    Optional<Activity.Cursor> cursor = Optional.empty();
    int pages = 0;
    do {
      Activity.Feed f = a.activity().recent(cursor, Activity.PAGE_SIZE, peer -> false);
      seen.addAll(titles(f.entries()));
      f.entries().forEach(e -> times.add(e.time()));
      cursor = f.next();
      pages++;
    } while (cursor.isPresent());
    assertEquals(3, pages);
    assertEquals(45, seen.size());
    assertEquals(45, new HashSet<>(seen).size());
    for (int i = 1; i < times.size(); i++) {
      assertFalse(times.get(i).isAfter(times.get(i - 1)), "newest first across pages");
    }
    assertEquals("Page 0", seen.get(44), "the oldest comes last");
  }

  @Test
  void aPeersChangeShowsItsClaimedAuthorAndHiddenAuthorsAreLeftOut() throws Exception {
    WikiStore b = two.b;
    Space s = two.shared("Village");
    PageSummary p = a.createPage(s.id(), "Well", "water\n", Optional.empty());
    two.sync(s.id());
    // The page reached b as a snapshot: its version 1 is by a, proven by a's attestation.
    Activity.Entry atB = feed(b).get(0);
    assertEquals("Well", atB.title());
    assertEquals(Optional.of(Author.of(a.identity())), atB.author());
    assertFalse(atB.claimed(), "verified, not merely claimed");

    clock.advance(Duration.ofMinutes(20));
    b.replaceText(p.id(), "water\nclean water\n", Optional.empty());
    two.sync(s.id());
    Activity.Entry atA = feed(a).get(0);
    assertEquals("Well", atA.title());
    assertEquals(Optional.of(Author.of(b.identity())), atA.author(), "b's edit, merged by sync");
    assertFalse(atA.claimed());
    assertEquals("clean water", atA.inserted());

    PeerId bPeer = b.identity().peerId();
    List<Activity.Entry> withoutB = a.activity().recent(20, bPeer::equals).entries();
    assertTrue(withoutB.stream().noneMatch(e -> e.author().equals(atA.author())));
    assertEquals("Well", withoutB.get(0).title(), "a's own creation of the page remains");
  }

  @Test
  void claimedAuthorsAreRecordedPerVersion() throws Exception {
    WikiStore b = two.b;
    Space s = two.shared("Village");
    PageSummary p = a.createPage(s.id(), "Well", "water", Optional.empty());
    two.sync(s.id());
    b.splice(p.id(), 0, 0, "fresh ");
    two.sync(s.id());
    long last = a.history(p.id(), 0, 1).get(0).number();
    List<byte[]> claims =
        StoreInternals.documents(a)
            .read(
                d -> {
                  var ps =
                      d.statement(
                          "SELECT claimed_author FROM change_claims WHERE doc_id = ? AND seq = ?");
                  ps.setString(1, p.id().value());
                  ps.setLong(2, last);
                  List<byte[]> out = new ArrayList<>();
                  try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.add(rs.getBytes(1));
                    }
                  }
                  return out;
                });
    assertEquals(1, claims.size());
    assertArrayEquals(b.identity().publicKey().data(), claims.get(0));
  }

  @Test
  void everyDocumentInstanceWritesAsThisNodeWithAFreshSuffix(@TempDir Path dir) {
    byte[] key;
    byte[] first;
    PageId id;
    try (WikiStore s = WikiStore.open(dir)) {
      key = s.identity().publicKey().data();
      id = s.createPage(s.defaultSpace().id(), "Actor", "x", Optional.empty()).id();
      first = StoreInternals.documents(s).withDocument(id.value(), live -> live.doc().getActorId());
    }
    assertEquals(40, first.length);
    assertArrayEquals(key, Arrays.copyOf(first, 32));
    try (WikiStore s = WikiStore.open(dir)) {
      byte[] loaded =
          StoreInternals.documents(s).withDocument(id.value(), live -> live.doc().getActorId());
      assertArrayEquals(key, Arrays.copyOf(loaded, 32), "a loaded document writes as this node");
      assertNotEquals(
          Arrays.toString(Arrays.copyOfRange(first, 32, 40)),
          Arrays.toString(Arrays.copyOfRange(loaded, 32, 40)),
          "a new instance never reuses the old actor's seqs");
      s.splice(id, 1, 0, "y");
      assertEquals("xy", s.page(id).body());
    }
  }

  @Test
  void summariesCountCharactersAndShowTheFirstWords() {
    Activity.Summary s = Activity.summarize(TextDiff.between("a b c\n", "a B c\nnew line here\n"));
    assertEquals(1, s.removed());
    assertEquals(1 + "new line here".length(), s.added());
    assertEquals("B new line here", s.inserted());
    String many = String.join(" ", java.util.Collections.nCopies(30, "word"));
    assertTrue(Activity.firstWords(many).endsWith("…"));
    assertEquals(
        Set.of("word", "…"), new HashSet<>(Arrays.asList(Activity.firstWords(many).split(" "))));
  }
}
