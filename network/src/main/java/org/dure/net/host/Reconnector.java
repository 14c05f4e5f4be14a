package org.dure.net.host;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dure.net.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host connected to the peers it wants (e.g. the members of its spaces): every few seconds
 * it dials each wanted peer that is not connected, at the addresses the peer store knows, backing
 * off exponentially per peer after failures ({@link #MIN_BACKOFF} doubling up to {@link
 * #MAX_BACKOFF}) so an offline friend costs next to nothing. Which peers are wanted is the caller's
 * policy.
 */
public final class Reconnector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
  public static final Duration MIN_BACKOFF = Duration.ofSeconds(5);
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final Host host;
  private final Supplier<Set<PeerId>> wanted;
  private final ScheduledExecutorService timer;
  private final Map<PeerId, long[]> backoff = new HashMap<>(); // {next attempt nanos, delay nanos}

  /** Starts checking every {@code interval}. */
  public Reconnector(Host host, Supplier<Set<PeerId>> wanted, Duration interval) {
    this.host = host;
    this.wanted = wanted;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-reconnect");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: dial the wanted peers that are due. Runs on the timer thread. */
  void tick() {
    try {
      long now = System.nanoTime();
      Set<PeerId> peers = wanted.get();
      backoff.keySet().retainAll(peers);
      for (PeerId peer : peers) {
        if (peer.equals(host.peerId()) || host.connectionManager().find(peer) != null) {
          backoff.remove(peer);
          continue;
        }
        if (host.peerStore().get(peer).map(r -> r.addresses().isEmpty()).orElse(true)
            && !host.hasPeerRouting()) {
          continue; // no address known and nowhere to look: nothing to dial
        }
        long[] b = backoff.get(peer);
        if (b != null && now < b[0]) {
          continue;
        }
        try {
          host.connect(peer);
          backoff.remove(peer);
          LOG.info("Reconnected to {}", peer);
        } catch (Exception e) {
          long delay =
              b == null
                  ? MIN_BACKOFF.toNanos()
                  : Math.min(MAX_BACKOFF.toNanos(), Math.multiplyExact(b[1], 2L));
          backoff.put(peer, new long[] {now + delay, delay});
          LOG.debug("Reconnecting to {} failed ({}); next try in {} s", peer, e, delay / 1e9);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Reconnecting failed", e);
    }
  }

  /** The current back-off of {@code peer}, or zero if none (for tests and diagnostics). */
  synchronized Duration backoffOf(PeerId peer) {
    long[] b = backoff.get(peer);
    return b == null ? Duration.ZERO : Duration.ofNanos(b[1]);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
