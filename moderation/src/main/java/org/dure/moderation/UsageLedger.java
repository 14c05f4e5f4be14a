package org.dure.moderation;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.TrafficMeter;
import org.dure.store.moderation.UsageTables;

/**
 * The per-peer ledger: bytes in and out and connections, counted by the network (the host's {@link
 * TrafficMeter}) and added to the store's {@code peer_usage} table on each {@link #flush()} (the
 * node flushes every 10 seconds and when it stops), so it survives restarts. A new host (after
 * going offline and online) starts its meter at zero; what the old one counted was flushed when it
 * was detached. Thread-safe.
 */
public final class UsageLedger {
  /** One peer's totals, with what is not flushed yet, and its connections open now. */
  public record PeerUsage(
      String peer,
      long bytesIn,
      long bytesOut,
      long connections,
      int openConnections,
      Instant lastSeen) {}

  private final UsageTables tables;
  private final Clock clock;
  private Host host;
  private Map<PeerId, TrafficMeter.Counts> flushed = new HashMap<>();

  public UsageLedger(UsageTables tables, Clock clock) {
    this.tables = tables;
    this.clock = clock;
  }

  /** Counts what {@code h} moves from now on. */
  public synchronized void attach(Host h) {
    flush();
    host = h;
    flushed = new HashMap<>();
  }

  /** Flushes what the current host counted and stops following it. */
  public synchronized void detach() {
    flush();
    host = null;
    flushed = new HashMap<>();
  }

  /** Adds what was counted since the last flush to the stored ledger. */
  public synchronized void flush() {
    if (host == null) {
      return;
    }
    Map<PeerId, TrafficMeter.Counts> counted = host.traffic().snapshot();
    Map<PeerId, UsageTables.Delta> deltas = pending(counted);
    if (deltas.isEmpty()) {
      return;
    }
    tables.add(deltas, clock.instant());
    flushed = counted;
  }

  private Map<PeerId, UsageTables.Delta> pending(Map<PeerId, TrafficMeter.Counts> counted) {
    Map<PeerId, UsageTables.Delta> out = new HashMap<>();
    for (Map.Entry<PeerId, TrafficMeter.Counts> e : counted.entrySet()) {
      TrafficMeter.Counts now = e.getValue();
      TrafficMeter.Counts before =
          flushed.getOrDefault(e.getKey(), new TrafficMeter.Counts(0, 0, 0));
      UsageTables.Delta d =
          new UsageTables.Delta(
              now.bytesIn() - before.bytesIn(),
              now.bytesOut() - before.bytesOut(),
              now.connections() - before.connections());
      if (!d.isEmpty()) {
        out.put(e.getKey(), d);
      }
    }
    return out;
  }

  /** Every peer's totals: stored plus not yet flushed, with its open connections. */
  public synchronized List<PeerUsage> peers() {
    Map<String, Integer> open = new HashMap<>();
    if (host != null) {
      for (Connection c : host.connectionManager().connections()) {
        open.merge(c.remotePeer().toString(), 1, Integer::sum);
      }
    }
    Map<String, UsageTables.Delta> pending = new HashMap<>();
    if (host != null) {
      pending(host.traffic().snapshot()).forEach((p, d) -> pending.put(p.toString(), d));
    }
    Map<String, PeerUsage> out = new TreeMap<>();
    Instant now = clock.instant();
    for (UsageTables.PeerTotals t : tables.ledger().values()) {
      String peer = t.peer().toString();
      UsageTables.Delta d = pending.remove(peer);
      out.put(
          peer,
          new PeerUsage(
              peer,
              t.bytesIn() + (d == null ? 0 : d.bytesIn()),
              t.bytesOut() + (d == null ? 0 : d.bytesOut()),
              t.connections() + (d == null ? 0 : d.connections()),
              open.getOrDefault(peer, 0),
              d == null ? t.lastSeen() : now));
    }
    for (Map.Entry<String, UsageTables.Delta> e : pending.entrySet()) {
      UsageTables.Delta d = e.getValue();
      out.put(
          e.getKey(),
          new PeerUsage(
              e.getKey(),
              d.bytesIn(),
              d.bytesOut(),
              d.connections(),
              open.getOrDefault(e.getKey(), 0),
              now));
    }
    for (Map.Entry<String, Integer> e : open.entrySet()) {
      out.computeIfAbsent(e.getKey(), p -> new PeerUsage(p, 0, 0, 0, e.getValue(), now));
    }
    return List.copyOf(out.values());
  }
}
