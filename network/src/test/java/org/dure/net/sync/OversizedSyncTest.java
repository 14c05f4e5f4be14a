package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.dure.net.host.Connection;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document whose sync message would be larger than a node sends goes whole, as a snapshot the
 * peer merges, and the two converge (real hosts and stores). The protocol's limit is 16 MiB; these
 * nodes send at most 256 KiB so that the edit made apart stays one Automerge can make in seconds.
 */
@Timeout(240)
class OversizedSyncTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nodes;

  private SyncNode node(SyncConfig config) throws IOException {
    SyncNode n = new SyncNode(dir.resolve("node" + nodes++), false, config);
    open.add(n);
    return n;
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static Optional<String> body(WikiStore s, PageId id) {
    try {
      return Optional.of(s.page(id).body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Test
  void editsTooLargeForASyncMessageArriveAsASnapshotMergedIntoTheHeldPage() throws Exception {
    SyncConfig config = SyncConfig.defaults().withMaxSyncMessage(256 << 10);
    SyncNode a = node(config);
    SyncNode b = node(config);
    Space space = a.store.createSpace("Big");
    PageSummary p = a.store.createPage(space.id(), "Notes", "start\n", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    StrangersTest.await("B has the page", () -> body(b.store, p.id()).isPresent());
    for (Connection c : b.host.connectionManager().connections(a.id())) {
      c.close();
    }
    StrangersTest.await(
        "both sessions ended", () -> !a.sync.hasSession(b.id()) && !b.sync.hasSession(a.id()));

    // Apart: A writes 400,000 characters (a sync message of 400 KB, more than A sends), B a
    // line of its own.
    java.util.Random random = new java.util.Random(11);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 400_000; i++) {
      big.append((char) ('a' + random.nextInt(26)));
    }
    a.store.splice(p.id(), 6, 0, big.toString());
    b.store.splice(p.id(), 0, 0, "from B\n");
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.sync.addListener(
        new SyncListener() {
          @Override
          public void snapshotProgress(
              org.dure.identity.PeerId peer,
              String docId,
              boolean receiving,
              long done,
              long total) {
            if (receiving && done == total) {
              received.add(docId);
            }
          }
        });

    b.dial(a);
    long end = System.nanoTime() + 180_000_000_000L;
    while (!(body(a.store, p.id()).equals(body(b.store, p.id()))
        && body(a.store, p.id()).orElseThrow().length() == 400_013)) {
      assertTrue(System.nanoTime() < end, "timed out waiting for A and B to converge");
      Thread.sleep(200);
    }
    String merged = body(b.store, p.id()).orElseThrow();
    assertTrue(merged.startsWith("from B\nstart\n"), merged.substring(0, 20));
    assertTrue(received.contains(p.id().value()), "B received the page whole: " + received);
    assertEquals(0, a.sync.failures(b.id()) + b.sync.failures(a.id()));
  }
}
