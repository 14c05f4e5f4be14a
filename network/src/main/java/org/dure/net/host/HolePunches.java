package org.dure.net.host;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;

/**
 * The hole punches in progress, by the address and port the other side dials from (its listen
 * port): the listener upgrades a connection coming in from there with the punch's roles instead of
 * as an ordinary inbound one (see {@link Host#expectHolePunch}). Thread-safe.
 */
final class HolePunches {
  /** A hole punch in progress: a connection from {@code peer} may come in at the listener. */
  record Punch(PeerId peer, boolean client, CompletableFuture<Connection> result) {}

  private final Map<InetSocketAddress, Punch> punches = new ConcurrentHashMap<>();

  /** The punch registered for connections from {@code remote}, or {@code null}. */
  Punch get(InetSocketAddress remote) {
    return punches.get(remote);
  }

  void put(InetSocketAddress remote, Punch punch) {
    punches.put(remote, punch);
  }

  void remove(InetSocketAddress remote, Punch punch) {
    punches.remove(remote, punch);
  }

  /**
   * Completes a punch's future with {@code c}, or closes {@code c} if the future already holds
   * another connection (or failed): one punched connection is enough. The same connection may come
   * twice: the dialler can find a connection the listener accepted before its upgrade completes the
   * punch.
   */
  static void completeOrClose(CompletableFuture<Connection> punch, Connection c) {
    if (!punch.complete(c) && (punch.isCompletedExceptionally() || punch.join() != c)) {
      c.close();
    }
  }

  /** Whether a punch's future holds a connection that is still open. */
  static boolean punched(CompletableFuture<Connection> result) {
    Connection c = result.isCompletedExceptionally() ? null : result.getNow(null);
    return c != null && c.isOpen();
  }
}
