package org.dure.net.host;

import java.net.InetSocketAddress;
import java.time.Duration;
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
 * through.
 *
 * <p>It also remembers, for {@link #UNANSWERED_FOR}, the targets whose dial from the listen port
 * ended without a connection after its SYN had left ({@link #unanswered}): this node's router may
 * still track that attempt and let the target's SYN in before this node's own punch SYN leaves (see
 * {@link Host#mayHoldStaleMapping}). Thread-safe.
 */
final class ReuseDials {
  /**
   * How long an unanswered SYN is remembered: Linux's conntrack keeps an unanswered connection
   * attempt for 120 s ({@code nf_conntrack_tcp_timeout_syn_sent}), each retransmission anew.
   */
  static final Duration UNANSWERED_FOR = Duration.ofSeconds(125);

  /** Most targets remembered as unanswered (the oldest is forgotten first). */
  static final int MAX_UNANSWERED = 256;

  private final Map<InetSocketAddress, Set<CompletableFuture<Connection>>> pending =
      new ConcurrentHashMap<>();

  /** When a dial of each target from the listen port last ended unanswered (nanoTime). */
  private final Map<InetSocketAddress, Long> unanswered = new ConcurrentHashMap<>();

  /**
   * Registers a dial of {@code target} from the listen port until {@code dial} completes; a dial
   * that ends without a connection, other than by failing locally (no SYN left) or being refused
   * (the reset closed the router's entry), is remembered as unanswered, one that connects clears
   * that.
   */
  void add(InetSocketAddress target, CompletableFuture<Connection> dial) {
    pending.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(dial);
    dial.whenComplete(
        (c, e) -> {
          remove(target, dial);
          if (e == null) {
            unanswered.remove(target);
          } else if (!(e instanceof PortReuse.LocalFailure) && !PortReuse.isRefused(e)) {
            noteUnanswered(target, System.nanoTime());
          }
        });
  }

  /** Records that a SYN of this node to {@code target} from the listen port got no answer. */
  void noteUnanswered(InetSocketAddress target, long nowNanos) {
    if (!unanswered.containsKey(target) && unanswered.size() >= MAX_UNANSWERED) {
      unanswered.values().removeIf(t -> nowNanos - t > UNANSWERED_FOR.toNanos());
      if (unanswered.size() >= MAX_UNANSWERED) {
        unanswered.entrySet().stream()
            .min(Map.Entry.comparingByValue())
            .ifPresent(oldest -> unanswered.remove(oldest.getKey(), oldest.getValue()));
      }
    }
    unanswered.put(target, nowNanos);
  }

  /**
   * Whether a dial of {@code target} from the listen port is under way, or ended unanswered within
   * {@link #UNANSWERED_FOR} before {@code nowNanos}.
   */
  boolean unanswered(InetSocketAddress target, long nowNanos) {
    if (pending(target) > 0) {
      return true;
    }
    Long at = unanswered.get(target);
    return at != null && nowNanos - at <= UNANSWERED_FOR.toNanos();
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
