package org.dure.net.host;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at once that connections still answer when something suggests the network changed under
 * them, instead of waiting for the keep-alive ({@link org.dure.net.yamux.YamuxConfig}: up to 15 s).
 * A connection that hears nothing within {@link #TIMEOUT} is closed as one that died silently, so
 * the reconnector dials again and new streams stop going to it.
 *
 * <ul>
 *   <li>A new connection to a peer: its other connections are checked. The peer got through another
 *       way, perhaps because the old path is gone: a router that changed its public address drops
 *       the old connection's packets without a word, and a relayed connection from the peer is the
 *       first sign of it; until then the dead direct connection would be preferred for new streams
 *       and no hole punch would replace it.
 *   <li>A connection lost without a GoAway (a reset, an end of stream, an unanswered keep-alive):
 *       all other connections are checked, at most once per {@link #TIMEOUT}. A renumbered router
 *       resets the first connection that sends through its new mapping (the far end answers the
 *       unknown address with RST); the others died too, silently.
 * </ul>
 *
 * <p>A check is one Yamux ping; a connection that is busy receiving counts as alive whatever
 * happens to the ping.
 */
final class LivenessChecks {
  private static final Logger LOG = LoggerFactory.getLogger(LivenessChecks.class);

  /** How long a checked connection may stay silent before it is closed. */
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final ConnectionManager connections;
  private final LongSupplier nanos;
  private long lastSweep;
  private boolean swept;

  LivenessChecks(ConnectionManager connections, LongSupplier nanos) {
    this.connections = connections;
    this.nanos = nanos;
  }

  /** {@code c} is up: checks the peer's other open connections. */
  void connected(Connection c) {
    if (c.isProbe()) {
      return;
    }
    for (Connection other : connections.connections(c.remotePeer())) {
      if (other != c && other.isOpen() && !other.isProbe()) {
        check(other, "a new connection to the peer");
      }
    }
  }

  /** {@code c} closed: if it was lost, checks all other open connections (not too often). */
  void disconnected(Connection c) {
    if (c.isProbe() || !c.wasLost() || !sweepDue()) {
      return;
    }
    for (Connection other : connections.connections()) {
      if (other != c && other.isOpen() && !other.isProbe()) {
        check(other, "connection to " + c.remotePeer() + " lost");
      }
    }
  }

  /** Whether a sweep of all connections may run now (none ran in the last {@link #TIMEOUT}). */
  synchronized boolean sweepDue() {
    long now = nanos.getAsLong();
    if (swept && now - lastSweep < TIMEOUT.toNanos()) {
      return false;
    }
    swept = true;
    lastSweep = now;
    return true;
  }

  private static void check(Connection c, String why) {
    c.checkAlive(TIMEOUT)
        .thenAccept(
            alive -> {
              if (!alive) {
                LOG.debug("{} did not answer a liveness check ({}); closed", c, why);
              }
            });
  }
}
