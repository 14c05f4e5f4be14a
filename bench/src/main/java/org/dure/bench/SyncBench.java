package org.dure.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * Live sync latency: an edit committed on A until B has applied it, two nodes on loopback (one JVM,
 * separate stores, each node a {@link BenchNode}), p50/p99 over many edits.
 */
public final class SyncBench {
  private SyncBench() {}

  static void run(PrintStream out, boolean quick) throws Exception {
    int edits = quick ? 50 : 1000;
    Path dirA = Files.createTempDirectory("dure-bench-sync-a");
    Path dirB = Files.createTempDirectory("dure-bench-sync-b");
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        BenchNode nodeA = BenchNode.on(a, dirA);
        BenchNode nodeB = BenchNode.on(b, dirB)) {
      SpaceId space = a.createSpace("Bench").id();
      PageId page = a.createPage(space, "Live", "", Optional.empty()).id();
      a.addMember(space, b.identity().peerId(), Role.EDITOR);
      b.invites().join(space, a.identity().peerId());
      nodeB.dial(nodeA);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!has(b, page) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (!has(b, page)) {
        throw new IllegalStateException("B did not receive the page");
      }
      BlockingQueue<Long> applied = new ArrayBlockingQueue<>(edits * 4);
      b.sync()
          .addListener(
              (doc, from) -> {
                if (doc.id().equals(page.value()) && from.isPresent()) {
                  applied.offer(System.nanoTime());
                }
              });
      double[] ms = new double[edits];
      for (int i = 0; i < edits; i++) {
        applied.clear();
        String marker = "e" + i + ";";
        long t = System.nanoTime();
        a.splice(page, 0, 0, marker);
        while (true) {
          Long at = applied.poll(30, TimeUnit.SECONDS);
          if (at == null) {
            throw new IllegalStateException("edit " + i + " did not reach B in 30 s");
          }
          if (b.page(page).body().startsWith(marker)) {
            ms[i] = (at - t) / 1e6;
            break;
          }
        }
      }
      Arrays.sort(ms);
      out.println("## Live sync");
      out.println();
      out.printf(
          "An edit on A until B has applied it (two nodes on 127.0.0.1, Noise + Yamux, one JVM),"
              + " %d edits one after the other: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (target p99 < 200 ms).%n",
          edits, Stats.quantile(ms, 0.5), Stats.quantile(ms, 0.99), ms[ms.length - 1]);
    } finally {
      TraceBench.deleteTree(dirA);
      TraceBench.deleteTree(dirB);
    }
  }

  static boolean has(WikiStore store, PageId page) {
    try {
      store.page(page);
      return true;
    } catch (java.util.NoSuchElementException e) {
      return false;
    }
  }
}
