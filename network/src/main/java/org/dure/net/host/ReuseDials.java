package org.dure.net.host;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dials under way from the listen port (port reuse), by the address they dial: each holds its
 * address pair until it connects or gives up. A hole punch towards the same address needs that very
 * pair (both listen ports), so the dials already under way {@linkplain #supersede give way}: an
 * ordinary one (a reconnector's, a connect's), or the punch dial of an earlier attempt that a newer
 * one replaces. Left waiting in SYN_SENT for a router that drops them, they would make the punch
 * fail locally ("Cannot assign requested address") and only a later attempt, seconds after, get
 * through. Thread-safe.
 */
final class ReuseDials {
  private final Map<InetSocketAddress, Set<CompletableFuture<Connection>>> pending =
      new ConcurrentHashMap<>();

  /** Registers a dial of {@code target} from the listen port until {@code dial} completes. */
  void add(InetSocketAddress target, CompletableFuture<Connection> dial) {
    pending.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(dial);
    dial.whenComplete((c, e) -> remove(target, dial));
  }

  private void remove(InetSocketAddress target, CompletableFuture<Connection> dial) {
    pending.computeIfPresent(
        target,
        (t, set) -> {
          set.remove(dial);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Gives up the dials of {@code target} still under way (failed with {@code why}; their sockets
   * close); whether there was any.
   */
  boolean supersede(InetSocketAddress target, Exception why) {
    Set<CompletableFuture<Connection>> set = pending.get(target);
    boolean any = false;
    if (set != null) {
      for (CompletableFuture<Connection> dial : Set.copyOf(set)) {
        any |= dial.completeExceptionally(why);
      }
    }
    return any;
  }

  /** How many dials of {@code target} are under way (for tests). */
  int pending(InetSocketAddress target) {
    Set<CompletableFuture<Connection>> set = pending.get(target);
    return set == null ? 0 : set.size();
  }
}
