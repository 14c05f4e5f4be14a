package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.dure.store.StoreInternals;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of documents to snapshots ({@link DocumentRepository#COMPACT_MIN_CHANGES}), through
 * pages typed in: old versions stay readable, a page being typed in is compacted when its lane is
 * idle and it is quiet, and a long burst stays bounded.
 */
class CompactionTest {
  @TempDir Path dir;
  private WikiStore store;

  private WikiStore open(Path d) {
    store = WikiStore.open(d, StoreOptions.defaults().withIndexDelay(Duration.ofMillis(20)));
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void oldVersionsStayReadableAfterCompaction() throws Exception {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary p = s.createPage(space.id(), "Big", "", Optional.empty());
    String chunk = "x".repeat(1_000) + "\n";
    int edits = (int) DocumentRepository.COMPACT_MIN_CHANGES + 10;
    for (int i = 0; i < edits; i++) {
      s.splice(p.id(), 0, 0, chunk);
    }
    String expected = chunk.repeat(edits);
    assertEquals(expected, s.page(p.id()).body());
    assertEquals(chunk.repeat(3), s.pageAt(p.id(), 4).body());
    s.close();
    store = null;
    assertTrue(snapshotSeq(p.id()) > 0, "the page was compacted to a snapshot");
    WikiStore again = open(dir);
    assertEquals(expected, again.page(p.id()).body());
    assertEquals(chunk.repeat(3), again.pageAt(p.id(), 4).body());
  }

  /** Waits up to 10 s for the lane to compact document {@code id}; returns whether it did. */
  private static boolean awaitCompacted(WikiStore s, String id) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (StoreInternals.documents(s)
          .withDocument(id, l -> l.snapshotSeq() == l.lastSeq() && !l.compactionDue())) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void aPageBeingTypedInIsNotCompactedBetweenKeystrokes() throws Exception {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary p = s.createPage(space.id(), "Typed", "", Optional.empty());
    String id = p.id().value();
    // Make a compaction due without a pause.
    long due =
        StoreInternals.documents(s)
            .withDocument(
                id,
                l -> {
                  int i = 0;
                  while (!l.compactionDue() && i < 2_000) {
                    s.splice(p.id(), i++, 0, "a");
                  }
                  return l.snapshotSeq();
                });
    // Keystrokes 10 ms apart: the lane is idle between them, but the page is still being typed in,
    // so the due snapshot waits (it would be outdated at the next keystroke).
    for (int i = 0; i < 30; i++) {
      Thread.sleep(10);
      s.splice(p.id(), 0, 0, "b");
      assertEquals(due, (long) StoreInternals.documents(s).withDocument(id, l -> l.snapshotSeq()));
    }
    // The typing stops: the snapshot is taken once the page has been quiet for a while.
    boolean compacted = awaitCompacted(s, id);
    assertTrue(compacted, "a page left alone is compacted");
  }

  @Test
  void typingIsCompactedWhenTheLaneIsIdleAndALongBurstStaysBounded() throws Exception {
    WikiStore s = open(dir);
    Space space = s.createSpace("x");
    PageSummary p = s.createPage(space.id(), "Typed", "", Optional.empty());
    String id = p.id().value();
    // A burst with no idle moment for the lane: all edits in one task on it.
    long[] atEnd =
        StoreInternals.documents(s)
            .withDocument(
                id,
                l -> {
                  int i = 0;
                  while (!l.compactionDue() && i < 2_000) {
                    s.splice(p.id(), i++, 0, "a");
                    // However long the burst, a reload never replays more than the snapshot has.
                    assertTrue(
                        l.lastSeq() - l.snapshotSeq()
                            <= Math.max(DocumentRepository.COMPACT_MIN_CHANGES, l.snapshotSeq()));
                  }
                  return new long[] {i, l.lastSeq(), l.snapshotSeq()};
                });
    assertTrue(atEnd[2] < atEnd[1], "a compaction is due but was not done during the burst");
    // A pause: the lane does the due compaction without another edit.
    boolean compacted = awaitCompacted(s, id);
    assertTrue(compacted, "an idle lane compacts what is due");
    s.close();
    store = null;
    assertEquals(atEnd[1], snapshotSeq(p.id()));
    WikiStore again = open(dir);
    assertEquals("a".repeat((int) atEnd[0]), again.page(p.id()).body());
    assertEquals(atEnd[0] + 1, again.history(p.id(), 0, 10_000).size());
  }

  private long snapshotSeq(PageId id) throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dure.db"));
        var ps = c.prepareStatement("SELECT snapshot_seq FROM documents WHERE id = ?")) {
      ps.setString(1, id.value());
      try (var rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getLong(1);
      }
    }
  }
}
