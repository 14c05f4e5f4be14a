package org.dure.node;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.sync.SyncListener;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/**
 * Spaces arriving now, for the network page: pages received of those the index lists, the rate over
 * the last seconds, the time left at that rate and from how many members (a join, or catching up
 * with many new pages). Told of each document received whole by sync; asked by the page every
 * second or so. Thread-safe.
 */
final class Joins implements SyncListener {
  /** The rate and the members are those of this last stretch. */
  static final Duration WINDOW = Duration.ofSeconds(5);

  /** A space no page arrived for this long is not shown as arriving any more. */
  static final Duration SHOWN_FOR = Duration.ofSeconds(60);

  /** Bounds what is remembered (a busy join of small pages on a quick link). */
  private static final int MAX_RECENT = 50_000;

  private record Arrival(String peer, String docId, long at) {}

  /** What {@link Joins} reads of the store. */
  interface Store {
    Optional<DocumentRef> document(String docId);

    /** The pages the space's index lists. */
    Set<String> listedPages(SpaceId space);

    String name(SpaceId space);

    static Store of(WikiStore store) {
      return new Store() {
        @Override
        public Optional<DocumentRef> document(String docId) {
          return store.sync().document(docId);
        }

        @Override
        public Set<String> listedPages(SpaceId space) {
          return store.sync().listedPages(space);
        }

        @Override
        public String name(SpaceId space) {
          return store.space(space).name();
        }
      };
    }
  }

  private final Store store;
  private final ArrayDeque<Arrival> recent = new ArrayDeque<>(); // guarded by this
  private final Map<SpaceId, Long> lastArrival = new LinkedHashMap<>(); // guarded by this

  Joins(Store store) {
    this.store = store;
  }

  @Override
  public void snapshotProgress(
      PeerId peer, String docId, boolean receiving, long done, long total) {
    if (receiving && done >= total) {
      arrived(peer.toString(), docId, System.nanoTime());
    }
  }

  synchronized void arrived(String peer, String docId, long now) {
    recent.addLast(new Arrival(peer, docId, now));
    while (recent.size() > MAX_RECENT) {
      recent.removeFirst();
    }
  }

  /** The spaces arriving at {@code now} (nanoTime), in the order their pages began to arrive. */
  List<PeerNode.Join> list(long now) {
    List<Arrival> window;
    synchronized (this) {
      while (!recent.isEmpty() && now - recent.peekFirst().at() > WINDOW.toNanos()) {
        recent.removeFirst();
      }
      window = List.copyOf(recent);
    }
    Map<SpaceId, Integer> pages = new HashMap<>();
    Map<SpaceId, Set<String>> from = new HashMap<>();
    for (Arrival a : window) {
      Optional<DocumentRef> ref = store.document(a.docId());
      if (ref.isPresent() && ref.get().kind() == DocumentRef.Kind.PAGE) {
        SpaceId s = ref.get().space();
        pages.merge(s, 1, Integer::sum);
        from.computeIfAbsent(s, k -> new HashSet<>()).add(a.peer());
      }
    }
    List<SpaceId> spaces;
    synchronized (this) {
      for (SpaceId s : pages.keySet()) {
        lastArrival.put(s, now);
      }
      lastArrival.values().removeIf(t -> now - t > SHOWN_FOR.toNanos());
      spaces = new ArrayList<>(lastArrival.keySet());
    }
    List<PeerNode.Join> out = new ArrayList<>();
    for (SpaceId s : spaces) {
      Set<String> listed;
      try {
        listed = store.listedPages(s);
      } catch (RuntimeException e) {
        continue; // left meanwhile
      }
      int received = 0;
      for (String id : listed) {
        if (store.document(id).isPresent()) {
          received++;
        }
      }
      if (received >= listed.size()) {
        synchronized (this) {
          lastArrival.remove(s);
        }
        continue;
      }
      double rate = pages.getOrDefault(s, 0) / (WINDOW.toMillis() / 1000.0);
      Duration left =
          rate > 0 ? Duration.ofMillis((long) ((listed.size() - received) / rate * 1000)) : null;
      out.add(
          new PeerNode.Join(
              s,
              name(s),
              received,
              listed.size(),
              rate,
              left,
              from.getOrDefault(s, Set.of()).size()));
    }
    return out;
  }

  private String name(SpaceId s) {
    try {
      return store.name(s);
    } catch (RuntimeException e) {
      return s.value();
    }
  }
}
