package org.dure.net.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dure.identity.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tracks open connections and enforces {@link ConnectionLimits}. Thread-safe. */
public final class ConnectionManager {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  private final ConnectionLimits limits;
  private final Map<PeerId, List<Connection>> byPeer = new ConcurrentHashMap<>();
  private int total;

  ConnectionManager(ConnectionLimits limits) {
    this.limits = limits;
  }

  public ConnectionLimits limits() {
    return limits;
  }

  /** Registers a new connection; false if a limit would be exceeded. */
  synchronized boolean register(Connection c) {
    if (total >= limits.maxConnections()) {
      return false;
    }
    List<Connection> list =
        byPeer.computeIfAbsent(c.remotePeer(), p -> new CopyOnWriteArrayList<>());
    if (list.size() >= limits.maxConnectionsPerPeer()) {
      return false;
    }
    list.add(c);
    total++;
    return true;
  }

  synchronized boolean unregister(Connection c) {
    List<Connection> list = byPeer.get(c.remotePeer());
    if (list == null || !list.remove(c)) {
      return false;
    }
    total--;
    if (list.isEmpty()) {
      byPeer.remove(c.remotePeer());
    }
    return true;
  }

  /** Open connections to {@code peer}, oldest first. */
  public List<Connection> connections(PeerId peer) {
    List<Connection> list = byPeer.get(peer);
    return list == null ? List.of() : List.copyOf(list);
  }

  public List<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    byPeer.values().forEach(all::addAll);
    return all;
  }

  public synchronized int count() {
    return total;
  }

  /**
   * Closes the connections without a stream and without traffic for longer than the idle timeout.
   */
  void closeIdle(long nowNanos) {
    long limit = limits.idleTimeout().toNanos();
    for (Connection c : connections()) {
      if (c.streamCount() == 0 && nowNanos - c.session().lastActivityNanos() > limit) {
        LOG.debug("closing idle connection to {}", c.remotePeer());
        c.close();
      }
    }
  }

  /**
   * A connection to {@code peer} that can carry new streams (not closing), or {@code null}; a
   * direct one before a relayed one (which a relay limits in time and bytes), the oldest first.
   */
  public Connection find(PeerId peer) {
    Connection relayed = null;
    for (Connection c : connections(peer)) {
      if (c.acceptsNewStreams() && !c.isProbe()) {
        if (!c.isRelayed()) {
          return c;
        }
        if (relayed == null) {
          relayed = c;
        }
      }
    }
    return relayed;
  }
}
