package org.dure.net.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host connected to the peers it wants (e.g. the members of its spaces): it dials each
 * wanted peer that is not connected, at the addresses the peer store knows, backing off
 * exponentially per peer after failures ({@link #MIN_BACKOFF} doubling up to {@link #MAX_BACKOFF})
 * so an offline friend costs next to nothing. Which peers are wanted is the caller's policy.
 *
 * <p>A peer whose connection was lost without it saying goodbye (a keep-alive timeout, a reset: the
 * network went away, not the peer) is dialled again quickly instead: every {@link #FAST_RETRY},
 * each try giving up after {@link #FAST_CONNECT_TIMEOUT}, for {@link #FAST_WINDOW} after the loss,
 * so that a healed link is used again within a second or two rather than after TCP's or our own
 * back-off; any new connection in that time (the network may be back) makes them due at once, and a
 * try of theirs that began more than {@link #RESTART_AFTER} before is given up and made again (it
 * may be waiting in a connect sent into the outage). Dials run in parallel, at most one per peer.
 */
public final class Reconnector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
  public static final Duration MIN_BACKOFF = Duration.ofSeconds(5);
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** Pause between quick tries after a lost connection. */
  public static final Duration FAST_RETRY = Duration.ofMillis(500);

  /** How long one quick try waits for TCP to connect. */
  public static final Duration FAST_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long after a lost connection the quick tries go on before the normal back-off. */
  public static final Duration FAST_WINDOW = Duration.ofMinutes(10);

  private final Host host;
  private final Supplier<Set<PeerId>> wanted;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;
  private final Map<PeerId, long[]> backoff = new ConcurrentHashMap<>(); // {next nanos, delay}
  private final Map<PeerId, Long> lostAt = new ConcurrentHashMap<>(); // nanos
  private final Map<PeerId, Dial> dialling = new ConcurrentHashMap<>();

  /** A try under way: its thread and when it started. */
  private record Dial(Thread thread, long started) {}

  /**
   * How old a quick try must be for a new connection to restart it: one started before the network
   * came back may wait in a connect that cannot succeed (a SYN sent into the outage).
   */
  static final Duration RESTART_AFTER = Duration.ofSeconds(1);

  private final ConnectionListener listener =
      new ConnectionListener() {
        @Override
        public void connected(Connection c) {
          // Any new connection while peers are lost means the network may be back (a relay
          // reconnected, say): try the lost peers now rather than at their next turn.
          if (!lostAt.isEmpty() && !c.isProbe()) {
            long now = System.nanoTime();
            for (PeerId p : lostAt.keySet()) {
              backoff.remove(p);
              Dial d = dialling.get(p);
              if (d != null && now - d.started() > RESTART_AFTER.toNanos()) {
                // Started while the network was away: give it up and try again at once.
                d.thread().interrupt();
              }
            }
            try {
              timer.execute(() -> round(false));
            } catch (java.util.concurrent.RejectedExecutionException e) {
              // closing
            }
          }
        }

        @Override
        public void disconnected(Connection c) {
          PeerId p = c.remotePeer();
          if (!c.closedByRemote() && wantedNow().contains(p)) {
            lostAt.put(p, System.nanoTime());
            backoff.remove(p);
            if (c.diedSilently()) {
              LOG.info("Connection to {} died silently; dialling again", p);
            }
          }
        }
      };

  /** Starts checking every {@code interval} (and at least every {@link #FAST_RETRY}). */
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
    host.addConnectionListener(listener);
    long period = Math.min(interval.toMillis(), FAST_RETRY.toMillis());
    timer.scheduleWithFixedDelay(() -> round(false), period, period, TimeUnit.MILLISECONDS);
  }

  private Set<PeerId> wantedNow() {
    try {
      return wanted.get();
    } catch (RuntimeException e) {
      return Set.of();
    }
  }

  /** One round, waiting for its dials (for tests). */
  void tick() {
    round(true);
  }

  /** Dials the wanted peers that are due, each on its own virtual thread. */
  private void round(boolean wait) {
    List<Thread> started = new ArrayList<>();
    try {
      long now = System.nanoTime();
      Set<PeerId> peers = wantedNow();
      backoff.keySet().retainAll(peers);
      lostAt.keySet().retainAll(peers);
      for (PeerId peer : peers) {
        if (peer.equals(host.peerId()) || host.connectionManager().find(peer) != null) {
          backoff.remove(peer);
          lostAt.remove(peer);
          continue;
        }
        if (host.peerStore().get(peer).map(r -> r.addresses().isEmpty()).orElse(true)
            && !host.hasPeerRouting()) {
          continue; // no address known and nowhere to look: nothing to dial
        }
        long[] b = backoff.get(peer);
        if (b != null && now - b[0] < 0) {
          continue;
        }
        if (dialling.containsKey(peer)) {
          continue;
        }
        Thread t = Thread.ofVirtual().name("reconnect " + peer).unstarted(() -> dial(peer));
        if (dialling.putIfAbsent(peer, new Dial(t, System.nanoTime())) != null) {
          continue;
        }
        t.start();
        started.add(t);
      }
    } catch (RuntimeException e) {
      LOG.warn("Reconnecting failed", e);
    }
    if (wait) {
      for (Thread t : started) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void dial(PeerId peer) {
    try {
      Long lost = lostAt.get(peer);
      boolean fast = lost != null && System.nanoTime() - lost < FAST_WINDOW.toNanos();
      try {
        if (fast) {
          host.connect(peer, FAST_CONNECT_TIMEOUT);
        } else {
          host.connect(peer);
        }
        backoff.remove(peer);
        lostAt.remove(peer);
        LOG.info("Reconnected to {}", peer);
      } catch (Exception e) {
        long now = System.nanoTime();
        long delay;
        if (Thread.interrupted() || e instanceof java.io.InterruptedIOException) {
          // Restarted because the network may be back: the next round dials at once.
          delay = 0;
        } else if (fast) {
          delay = FAST_RETRY.toNanos();
        } else {
          long[] b = backoff.get(peer);
          delay =
              b == null || b[1] < MIN_BACKOFF.toNanos()
                  ? MIN_BACKOFF.toNanos()
                  : Math.min(MAX_BACKOFF.toNanos(), Math.multiplyExact(b[1], 2L));
        }
        backoff.put(peer, new long[] {now + delay, delay});
        LOG.debug("Reconnecting to {} failed ({}); next try in {} s", peer, e, delay / 1e9);
      }
    } finally {
      dialling.remove(peer);
      if (backoffOf(peer).isZero() && lostAt.containsKey(peer) && !closed) {
        try {
          timer.execute(() -> round(false)); // restarted: dial again now, not at the next tick
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
      }
    }
  }

  /** The current back-off of {@code peer}, or zero if none (for tests and diagnostics). */
  Duration backoffOf(PeerId peer) {
    long[] b = backoff.get(peer);
    return b == null ? Duration.ZERO : Duration.ofNanos(b[1]);
  }

  @Override
  public void close() {
    closed = true;
    host.removeConnectionListener(listener);
    timer.shutdownNow();
  }
}
