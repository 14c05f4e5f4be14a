package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dure.store.StoreInternals;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which writes wait for the disk (docs/SECURITY.md, "Durability"): what a power loss would show
 * cannot be tested here, so these check that each kind of write takes the path that forces it.
 */
class DurableCommitsTest {
  @TempDir Path dir;

  private static int synchronous(Sql d) throws java.sql.SQLException {
    try (ResultSet rs = d.statement("PRAGMA synchronous").executeQuery()) {
      return rs.getInt(1);
    }
  }

  private static long[] tickets(WikiStore store) {
    return ((SqliteDocumentStore) StoreInternals.documents(store).store()).journalTickets();
  }

  @Test
  void localChangesCommitWithSynchronousFullAndPeerDataWithNormal() {
    try (WikiStore store = WikiStore.open(dir)) {
      Documents db = StoreInternals.documents(store);
      assertEquals(1, (int) db.lazyTransaction(DurableCommitsTest::synchronous), "NORMAL");
      assertEquals(2, (int) db.transaction(DurableCommitsTest::synchronous), "FULL");
      assertEquals(1, (int) db.lazyTransaction(DurableCommitsTest::synchronous), "NORMAL again");
      assertEquals(2, (int) db.transaction(DurableCommitsTest::synchronous), "FULL again");
    }
  }

  @Test
  void aSavedVersionIsForcedBeforeItReturnsAKeystrokeWithinTheFlushInterval() throws Exception {
    // A flush interval long enough that the writer thread cannot move the edits meanwhile.
    StoreOptions slow = StoreOptions.defaults().withJournalFlushInterval(Duration.ofMinutes(10));
    try (WikiStore store = WikiStore.open(dir, slow)) {
      Space space = store.createSpace("Durable");
      PageSummary page = store.createPage(space.id(), "Log", "start", Optional.empty());
      long[] t = tickets(store);
      store.splice(page.id(), 0, 0, "a ");
      long[] afterSplice = tickets(store);
      assertEquals(t[0] + 1, afterSplice[0], "the keystroke is in the journal");
      assertTrue(afterSplice[1] < afterSplice[0], "and not forced yet");
      store.awaitDurable();
      assertEquals(afterSplice[0], tickets(store)[1], "awaitDurable forces it");

      store.splice(page.id(), 0, 0, "b ");
      store.replaceText(page.id(), "saved", Optional.of("Save"));
      long[] afterSave = tickets(store);
      assertEquals(afterSave[0], afterSave[1], "a save returns forced, with what came before it");
    }
  }

  @Test
  void concurrentSavesAllReturnForced() throws Exception {
    try (WikiStore store = WikiStore.open(dir)) {
      Space space = store.createSpace("Busy");
      List<PageSummary> pages = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pages.add(store.createPage(space.id(), "Page " + i, "", Optional.empty()));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Long>> saves = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
          for (PageSummary p : pages) {
            String text = p.title() + " version " + round;
            saves.add(
                pool.submit(
                    () -> {
                      store.replaceText(p.id(), text, Optional.empty());
                      // Every edit journalled before this save returned is forced.
                      return tickets(store)[1];
                    }));
          }
        }
        for (Future<Long> f : saves) {
          assertTrue(f.get() > 0);
        }
      } finally {
        pool.shutdownNow();
      }
      long[] t = tickets(store);
      assertEquals(t[0], t[1], "all forced");
      for (PageSummary p : pages) {
        assertEquals(p.title() + " version 19", store.page(p.id()).body());
      }
    }
  }
}
