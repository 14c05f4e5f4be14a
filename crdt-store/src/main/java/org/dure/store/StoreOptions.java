package org.dure.store;

import java.time.Clock;
import java.time.Duration;

/**
 * Tunables of a store, with defaults for a desktop machine.
 *
 * @param lanes number of document threads
 * @param nativeMemoryBudget bytes of Automerge native memory the open-document cache may hold
 * @param indexDelay how long after an edit the search index and links are brought up to date
 * @param maxPageLength the most code points a page body may have
 */
public record StoreOptions(
    Clock clock, int lanes, long nativeMemoryBudget, Duration indexDelay, int maxPageLength) {
  public StoreOptions {
    if (lanes < 1 || nativeMemoryBudget < 1 || maxPageLength < 1) {
      throw new IllegalArgumentException("Store options must be positive");
    }
  }

  public static StoreOptions defaults() {
    return new StoreOptions(
        Clock.systemUTC(), 4, 256L * 1024 * 1024, Duration.ofMillis(500), 2_000_000);
  }

  public StoreOptions withClock(Clock c) {
    return new StoreOptions(c, lanes, nativeMemoryBudget, indexDelay, maxPageLength);
  }

  public StoreOptions withNativeMemoryBudget(long bytes) {
    return new StoreOptions(clock, lanes, bytes, indexDelay, maxPageLength);
  }

  public StoreOptions withIndexDelay(Duration d) {
    return new StoreOptions(clock, lanes, nativeMemoryBudget, d, maxPageLength);
  }
}
