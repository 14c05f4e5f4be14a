package org.dure.net.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts protocol failures per peer in a sliding window. Bounded: peers whose failures all left the
 * window are forgotten, and at most {@value #MAX_PEERS} peers are remembered (the one penalised
 * least recently is forgotten first), so fresh identities cannot grow it. Thread-safe.
 */
final class PeerPenalties {
  static final int MAX_PEERS = 10_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  // Ordered from least to most recently penalised.
  private final LinkedHashMap<String, ArrayDeque<Long>> failures =
      new LinkedHashMap<>(16, 0.75f, true);

  PeerPenalties(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Records a failure of {@code peer}; true if it reached the limit within the window. */
  synchronized boolean fail(String peer) {
    long now = clock.millis();
    ArrayDeque<Long> times = failures.get(peer);
    if (times == null) {
      forgetExpired(now);
      times = new ArrayDeque<>();
      failures.put(peer, times);
    }
    expire(times, now);
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

  /** Peers remembered now. */
  synchronized int size() {
    return failures.size();
  }

  private void expire(ArrayDeque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) {
      times.pollFirst();
    }
  }

  /** Before a new peer is added: drops peers with no failure in the window, then the oldest. */
  private void forgetExpired(long now) {
    if (failures.size() < MAX_PEERS) {
      return;
    }
    Iterator<Map.Entry<String, ArrayDeque<Long>>> it = failures.entrySet().iterator();
    while (it.hasNext()) {
      ArrayDeque<Long> times = it.next().getValue();
      expire(times, now);
      if (times.isEmpty()) {
        it.remove();
      }
    }
    it = failures.entrySet().iterator();
    while (failures.size() >= MAX_PEERS && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
