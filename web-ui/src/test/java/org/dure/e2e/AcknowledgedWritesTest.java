package org.dure.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dure.api.ApiClient;
import org.dure.api.ApiException;
import org.dure.api.ApiToken;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local API acknowledged is kept through {@code kill -9}: a headless Dure is killed at a
 * random moment while writers create and rewrite pages through the API, again and again; after each
 * kill the data directory is opened (recovering the journal as a restart does) and every page whose
 * write got a 2xx has that body or one written after it, and SQLite's integrity check is "ok".
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "destroyForcibly is not SIGKILL there")
class AcknowledgedWritesTest {
  @TempDir Path tmp;

  private static final int WRITERS = 3;
  private static final int MAX_CYCLES = 10;
  private static final int MIN_CYCLES = 3;
  private static final Duration BUDGET = Duration.ofSeconds(50);
  private static final String SPACE = "My wiki";

  /** The bodies written to one page, in order, and how many of them were acknowledged. */
  private static final class PageLog {
    final List<String> attempted = new ArrayList<>();
    int acknowledged = -1; // index of the last acknowledged body

    synchronized void attempt(String body) {
      attempted.add(body);
    }

    synchronized void acknowledge(String body) {
      acknowledged = attempted.lastIndexOf(body);
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNineInALoop() throws Exception {
    Path data = tmp.resolve("node");
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Map<String, PageLog> pages = new ConcurrentHashMap<>();
    AtomicInteger acks = new AtomicInteger();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    int cycle = 0;
    while (cycle < MIN_CYCLES
        || (cycle < MAX_CYCLES && System.nanoTime() - start < BUDGET.toNanos())) {
      int c = cycle++;
      DureProcess node = DureProcess.start("ack-" + c, data);
      ApiClient api = new ApiClient(node.apiUrl(), ApiToken.read(data), Duration.ofSeconds(20));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger cycleAcks = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t =
            new Thread(
                () -> write(api, c, writer, pages, stop, cycleAcks, errors),
                "ack-writer-" + writer);
        t.setDaemon(true);
        t.start();
        writers.add(t);
      }
      // Kill at a random moment once writes are being acknowledged.
      DureProcess.await(Duration.ofSeconds(30), () -> cycleAcks.get() > 0, "a write is taken");
      Thread.sleep(random.nextInt(700));
      node.kill9();
      stop.set(true);
      for (Thread t : writers) {
        t.join(30_000);
      }
      acks.addAndGet(cycleAcks.get());
      assertTrue(errors.isEmpty(), "the API refused writes while running: " + errors);
      check(data, pages, "after kill " + (c + 1) + " (seed " + seed + ")");
      System.out.printf(
          "kill -9 %d: %d writes acknowledged before it, all found%n", c + 1, cycleAcks.get());
    }
    assertTrue(acks.get() >= cycle * 2, acks + " acknowledged writes in " + cycle + " cycles");
  }

  /**
   * Writes pages until stopped or the API fails (the process was killed): each writer creates a
   * page and rewrites it three times, then the next one.
   */
  private static void write(
      ApiClient api,
      int cycle,
      int writer,
      Map<String, PageLog> pages,
      AtomicBoolean stop,
      AtomicInteger acks,
      Queue<String> errors) {
    for (int n = 0; !stop.get(); n++) {
      String title = "Cycle " + cycle + " writer " + writer + " page " + (n / 4);
      String body =
          "# "
              + title
              + "\n\nVersion "
              + (n % 4)
              + " of this page.\n"
              + "rice and beans, ".repeat(1 + (n * 7) % 50)
              + "\n";
      PageLog log = pages.computeIfAbsent(title, t -> new PageLog());
      log.attempt(body);
      try {
        api.putPage(SPACE, title, body);
      } catch (ApiClient.NotRunningException e) {
        return; // killed: this write may or may not have been kept
      } catch (ApiException e) {
        errors.add(title + ": " + e.status() + " " + e.getMessage());
        return;
      }
      log.acknowledge(body);
      acks.incrementAndGet();
    }
  }

  /** Opens the data directory as a restart would and checks every acknowledged page. */
  private static void check(Path data, Map<String, PageLog> pages, String when) throws IOException {
    try (WikiStore store = WikiStore.open(data)) {
      assertEquals("ok", store.integrityCheck(), when);
      Space space =
          store.spaces().stream().filter(s -> s.name().equals(SPACE)).findFirst().orElseThrow();
      for (Map.Entry<String, PageLog> e : pages.entrySet()) {
        PageLog log = e.getValue();
        if (log.acknowledged < 0) {
          continue;
        }
        Optional<PageSummary> page = store.findPage(space.id(), e.getKey());
        assertTrue(page.isPresent(), when + ": the acknowledged page " + e.getKey() + " is gone");
        String body = store.page(page.get().id()).body();
        int at = log.attempted.indexOf(body);
        assertTrue(
            at >= log.acknowledged,
            when
                + ": "
                + e.getKey()
                + " has "
                + (at < 0 ? "a body never written" : "version " + at)
                + ", but version "
                + log.acknowledged
                + " was acknowledged");
      }
    }
  }
}
