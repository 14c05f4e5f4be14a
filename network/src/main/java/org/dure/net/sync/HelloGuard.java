package org.dure.net.sync;

import java.util.HashSet;
import java.util.Set;
import org.dure.store.wiki.SpaceId;

/**
 * What a peer's HELLOs may cost one session (spec, "HELLO floods"): a burst of {@link
 * SyncConfig#helloBurst} HELLOs, then one per {@link SyncConfig#helloInterval}; and at most {@link
 * SyncConfig#maxUnknownSpaces} distinct spaces named that this side neither shares with the peer
 * nor accepts from it. An honest peer names only spaces whose membership lists this node, and sends
 * HELLO again only when that set changes. No I/O, no threads: the session's reader calls it.
 */
final class HelloGuard {
  private final int burst;
  private final long intervalNanos;
  private final int maxUnknown;
  private final Set<SpaceId> unknown = new HashSet<>();
  private double tokens;
  private long last;
  private boolean started;

  HelloGuard(SyncConfig config) {
    this.burst = config.helloBurst();
    this.intervalNanos = Math.max(1, config.helloInterval().toNanos());
    this.maxUnknown = config.maxUnknownSpaces();
    this.tokens = burst;
  }

  /** A HELLO arrived at {@code now} (nanoTime): null if it may, else why not (a peer fault). */
  String hello(long now) {
    if (started) {
      tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
    }
    started = true;
    last = now;
    if (tokens < 1) {
      return "more than "
          + burst
          + " HELLOs at once, or more than one per "
          + intervalNanos / 1_000_000
          + " ms";
    }
    tokens -= 1;
    return null;
  }

  /**
   * The peer named {@code space}, which this side neither shares with it nor accepts from it: null
   * if within the limit, else why not (a peer fault).
   */
  String unknownSpace(SpaceId space) {
    if (unknown.contains(space)) {
      return null;
    }
    if (unknown.size() >= maxUnknown) {
      return "named more than " + maxUnknown + " spaces it shares with nobody here";
    }
    unknown.add(space);
    return null;
  }
}
