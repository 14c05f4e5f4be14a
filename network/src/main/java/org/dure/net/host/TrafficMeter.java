package org.dure.net.host;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;

/**
 * Bytes read from and written to each peer on the wire (TCP payload, handshake and encryption
 * included), and connections opened, since the host started. Counted at the bottom of each
 * connection's pipeline; bytes of a connection's handshake are credited to its peer once it is
 * authenticated (those of a handshake that fails are not credited to anyone). Thread-safe.
 */
public final class TrafficMeter {
  /** Totals of one peer. */
  public record Counts(long bytesIn, long bytesOut, long connections) {}

  private static final class Counter {
    final AtomicLong in = new AtomicLong();
    final AtomicLong out = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
  }

  private final ConcurrentHashMap<PeerId, Counter> peers = new ConcurrentHashMap<>();

  void connected(PeerId peer) {
    counter(peer).connections.incrementAndGet();
  }

  void read(PeerId peer, long bytes) {
    counter(peer).in.addAndGet(bytes);
  }

  void written(PeerId peer, long bytes) {
    counter(peer).out.addAndGet(bytes);
  }

  private Counter counter(PeerId peer) {
    return peers.computeIfAbsent(peer, p -> new Counter());
  }

  /** Every peer's totals so far. */
  public Map<PeerId, Counts> snapshot() {
    Map<PeerId, Counts> out = new HashMap<>();
    peers.forEach((p, c) -> out.put(p, new Counts(c.in.get(), c.out.get(), c.connections.get())));
    return out;
  }

  /** One peer's totals so far (zeros for a peer never seen). */
  public Counts of(PeerId peer) {
    Counter c = peers.get(peer);
    return c == null
        ? new Counts(0, 0, 0)
        : new Counts(c.in.get(), c.out.get(), c.connections.get());
  }
}
