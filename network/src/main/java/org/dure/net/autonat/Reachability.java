package org.dure.net.autonat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatClient.Outcome;
import org.dure.net.multiaddr.Multiaddr;

/**
 * What AutoNAT answers add up to, per address: each server has one vote per address (its latest
 * answer, kept for {@link #VOTE_LIFETIME_NANOS}); an address is {@link Status#PUBLIC} when at least
 * {@code confirmations} servers found it reachable and more found it so than not, {@link
 * Status#PRIVATE} likewise for unreachable, else {@link Status#UNKNOWN}. One server alone cannot
 * decide (unless {@code confirmations} is 1), so a lying peer cannot either.
 *
 * <p>The node as a whole ({@link #isPublic()}) is reachable when one of its addresses is; while no
 * address is decided either way, a fallback rule answers (e.g. "one of my addresses is a public
 * IPv4 address", the rule used before AutoNAT). Listeners hear every change of the decided
 * addresses. Thread-safe.
 */
public final class Reachability {
  /** How long a server's answer counts. */
  public static final long VOTE_LIFETIME_NANOS = 3_600_000_000_000L;

  /** What is known about one address. */
  public enum Status {
    PUBLIC,
    PRIVATE,
    UNKNOWN
  }

  /** Told when the set of decided addresses changes. */
  @FunctionalInterface
  public interface Listener {
    void changed(Reachability reachability);
  }

  private record Vote(boolean reachable, long at) {}

  private final int confirmations;
  private final LongSupplier nanos;
  private final Map<Multiaddr, Map<PeerId, Vote>> votes = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile BooleanSupplier fallback = () -> false;
  private Map<Multiaddr, Status> decided = Map.of();

  public Reachability(int confirmations, LongSupplier nanos) {
    if (confirmations < 1) {
      throw new IllegalArgumentException("confirmations must be positive");
    }
    this.confirmations = confirmations;
    this.nanos = nanos;
  }

  /** Sets what {@link #isPublic()} answers while nothing is decided. */
  public Reachability setFallback(BooleanSupplier fallback) {
    this.fallback = fallback;
    return this;
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** Counts one server's answer (an {@link Outcome#UNKNOWN} one withdraws its vote). */
  public void record(PeerId server, Multiaddr address, Outcome outcome) {
    Multiaddr bare = address.withoutPeerId();
    boolean changed;
    synchronized (this) {
      Map<PeerId, Vote> v = votes.computeIfAbsent(bare, k -> new HashMap<>());
      if (outcome == Outcome.UNKNOWN) {
        v.remove(server);
      } else {
        v.put(server, new Vote(outcome == Outcome.REACHABLE, nanos.getAsLong()));
      }
      if (votes.size() > 64) {
        votes.remove(votes.keySet().iterator().next());
      }
      Map<Multiaddr, Status> now = decide();
      changed = !now.equals(decided);
      decided = now;
    }
    if (changed) {
      for (Listener l : listeners) {
        l.changed(this);
      }
    }
  }

  private Map<Multiaddr, Status> decide() {
    long now = nanos.getAsLong();
    Map<Multiaddr, Status> out = new LinkedHashMap<>();
    for (Map.Entry<Multiaddr, Map<PeerId, Vote>> e : votes.entrySet()) {
      e.getValue().values().removeIf(v -> now - v.at() > VOTE_LIFETIME_NANOS);
      int yes = 0;
      int no = 0;
      for (Vote v : e.getValue().values()) {
        if (v.reachable()) {
          yes++;
        } else {
          no++;
        }
      }
      if (yes >= confirmations && yes > no) {
        out.put(e.getKey(), Status.PUBLIC);
      } else if (no >= confirmations && no > yes) {
        out.put(e.getKey(), Status.PRIVATE);
      }
    }
    return Map.copyOf(out);
  }

  /** What is known about {@code address}. */
  public synchronized Status status(Multiaddr address) {
    return decided.getOrDefault(address.withoutPeerId(), Status.UNKNOWN);
  }

  /** The addresses confirmed reachable. */
  public synchronized List<Multiaddr> reachableAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    decided.forEach(
        (a, s) -> {
          if (s == Status.PUBLIC) {
            out.add(a);
          }
        });
    return out;
  }

  /**
   * The node as a whole: {@link Status#PUBLIC} if an address is, {@link Status#PRIVATE} if some are
   * decided and none is public, else {@link Status#UNKNOWN}.
   */
  public synchronized Status overall() {
    if (decided.containsValue(Status.PUBLIC)) {
      return Status.PUBLIC;
    }
    return decided.isEmpty() ? Status.UNKNOWN : Status.PRIVATE;
  }

  /**
   * Whether others can reach this node directly: an address is confirmed; or none is decided and
   * the fallback says so. This decides relay reservations (needed unless public) and DHT server
   * mode.
   */
  public boolean isPublic() {
    Status s = overall();
    return s == Status.PUBLIC || (s == Status.UNKNOWN && fallback.getAsBoolean());
  }
}
