package org.dure.net.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Counts protocol failures per peer in a sliding window. Thread-safe. */
final class PeerPenalties {
  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, ArrayDeque<Long>> failures = new HashMap<>();

  PeerPenalties(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Records a failure of {@code peer}; true if it reached the limit within the window. */
  synchronized boolean fail(String peer) {
    long now = clock.millis();
    ArrayDeque<Long> times = failures.computeIfAbsent(peer, p -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) {
      times.pollFirst();
    }
    times.addLast(now);
    if (times.size() >= limit) {
      failures.remove(peer);
      return true;
    }
    return false;
  }

  synchronized int count(String peer) {
    ArrayDeque<Long> times = failures.get(peer);
    return times == null ? 0 : times.size();
  }
}
