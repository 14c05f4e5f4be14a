package org.dure.net.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;

/**
 * The addresses other peers saw this node at (identify's {@code observedAddr}), on direct
 * connections that left from (or came in at) a listen port: behind a router that keeps the port,
 * the one a peer could reach this node at if the router let it in. What they are worth is for
 * AutoNAT to find out; hole punching sends them to the other side. Bounded: {@link #MAX_ADDRESSES}
 * addresses (the least seen go first), {@link #MAX_OBSERVERS} observers each. Thread-safe.
 */
public final class ObservedAddresses {
  public static final int MAX_ADDRESSES = 16;
  public static final int MAX_OBSERVERS = 32;

  private final Map<Multiaddr, Set<PeerId>> seen = new LinkedHashMap<>();
  private final Map<Multiaddr, Long> last = new LinkedHashMap<>();
  private long clock;

  /** Records that {@code observer} saw this node at {@code address} (a TCP address). */
  public synchronized void record(PeerId observer, Multiaddr address) {
    Multiaddr bare = address.withoutPeerId();
    if (bare.first(Protocol.TCP) == null || bare.first(Protocol.P2P_CIRCUIT) != null) {
      return;
    }
    if (!seen.containsKey(bare) && seen.size() >= MAX_ADDRESSES) {
      Multiaddr weakest =
          seen.keySet().stream()
              .min(
                  Comparator.comparingInt((Multiaddr a) -> seen.get(a).size())
                      .thenComparingLong(last::get))
              .orElseThrow();
      seen.remove(weakest);
      last.remove(weakest);
    }
    Set<PeerId> who = seen.computeIfAbsent(bare, k -> new LinkedHashSet<>());
    if (who.size() < MAX_OBSERVERS || who.contains(observer)) {
      who.add(observer);
    }
    last.put(bare, ++clock);
  }

  /** The observed addresses, seen by the most peers first, then the most recent. */
  public synchronized List<Multiaddr> addresses() {
    List<Multiaddr> out = new ArrayList<>(seen.keySet());
    out.sort(
        Comparator.comparingInt((Multiaddr a) -> -seen.get(a).size())
            .thenComparingLong(a -> -last.get(a)));
    return out;
  }

  /** How many distinct peers saw this node at {@code address}. */
  public synchronized int observers(Multiaddr address) {
    Set<PeerId> who = seen.get(address.withoutPeerId());
    return who == null ? 0 : who.size();
  }

  /** Forgets everything (the network changed). */
  public synchronized void clear() {
    seen.clear();
    last.clear();
  }
}
