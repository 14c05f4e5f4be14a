package org.dure.net.kad;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The Kademlia routing table: one bucket per length of the prefix shared with this node's ID
 * (0…255), each holding at most {@code k} DHT servers, least recently seen first. Bounded: at most
 * 256 × k peers and {@link #MAX_ADDRESSES} addresses each. Only peers known to serve the DHT may be
 * added (the caller checks identify); a full bucket keeps its old peers, as Kademlia prefers
 * long-lived ones, unless one of them has failed a request since it was last seen. Thread-safe, no
 * I/O.
 */
public final class RoutingTable {
  /** Addresses kept per peer. */
  public static final int MAX_ADDRESSES = 8;

  /** Failed requests in a row after which a peer is dropped. */
  public static final int MAX_FAILURES = 2;

  /** One peer of the table. */
  public record Entry(PeerId peer, KadId id, List<Multiaddr> addresses, long lastSeen) {
    public Entry {
      addresses = List.copyOf(addresses);
    }

    public KadPeer toKadPeer() {
      return new KadPeer(peer, addresses);
    }
  }

  private static final class Slot {
    Entry entry;
    int failures;

    Slot(Entry entry) {
      this.entry = entry;
    }
  }

  private final KadId self;
  private final int k;
  private final List<LinkedHashMap<PeerId, Slot>> buckets = new ArrayList<>();
  private int size;

  public RoutingTable(PeerId self, int k) {
    this.self = KadId.of(self);
    this.k = k;
    for (int i = 0; i < KadId.BITS; i++) {
      buckets.add(new LinkedHashMap<>());
    }
  }

  private LinkedHashMap<PeerId, Slot> bucketOf(KadId id) {
    int cpl = self.commonPrefixLength(id);
    return cpl >= KadId.BITS ? null : buckets.get(cpl);
  }

  /**
   * Adds a DHT server seen at {@code now} (epoch millis), or refreshes it (addresses replaced when
   * {@code addresses} is not empty, moved to the most recently seen end).
   *
   * @return whether the peer is in the table now
   */
  public synchronized boolean add(PeerId peer, List<Multiaddr> addresses, long now) {
    KadId id = KadId.of(peer);
    LinkedHashMap<PeerId, Slot> bucket = bucketOf(id);
    if (bucket == null) {
      return false; // ourselves
    }
    List<Multiaddr> addrs = addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES));
    Slot slot = bucket.remove(peer);
    if (slot != null) {
      List<Multiaddr> keep = addrs.isEmpty() ? slot.entry.addresses() : addrs;
      slot.entry = new Entry(peer, id, keep, now);
      slot.failures = 0;
      bucket.put(peer, slot);
      return true;
    }
    if (bucket.size() >= k) {
      // Replace the failing peer seen longest ago, if any.
      PeerId victim = null;
      for (Map.Entry<PeerId, Slot> e : bucket.entrySet()) {
        if (e.getValue().failures > 0) {
          victim = e.getKey();
          break;
        }
      }
      if (victim == null) {
        return false;
      }
      bucket.remove(victim);
      size--;
    }
    bucket.put(peer, new Slot(new Entry(peer, id, addrs, now)));
    size++;
    return true;
  }

  /** Removes a peer (it stopped serving the DHT, or was blocked). */
  public synchronized boolean remove(PeerId peer) {
    LinkedHashMap<PeerId, Slot> bucket = bucketOf(KadId.of(peer));
    if (bucket != null && bucket.remove(peer) != null) {
      size--;
      return true;
    }
    return false;
  }

  /**
   * Records a failed request to {@code peer}; after {@link #MAX_FAILURES} in a row it is dropped.
   */
  public synchronized void failed(PeerId peer) {
    LinkedHashMap<PeerId, Slot> bucket = bucketOf(KadId.of(peer));
    Slot slot = bucket == null ? null : bucket.get(peer);
    if (slot != null && ++slot.failures >= MAX_FAILURES) {
      bucket.remove(peer);
      size--;
    }
  }

  public synchronized boolean contains(PeerId peer) {
    LinkedHashMap<PeerId, Slot> bucket = bucketOf(KadId.of(peer));
    return bucket != null && bucket.containsKey(peer);
  }

  /** The entry of {@code peer}, or {@code null}. */
  public synchronized Entry get(PeerId peer) {
    LinkedHashMap<PeerId, Slot> bucket = bucketOf(KadId.of(peer));
    Slot slot = bucket == null ? null : bucket.get(peer);
    return slot == null ? null : slot.entry;
  }

  /** The {@code n} peers closest to {@code target}, closest first. */
  public synchronized List<Entry> closest(KadId target, int n) {
    List<Entry> all = new ArrayList<>(size);
    for (LinkedHashMap<PeerId, Slot> b : buckets) {
      for (Slot s : b.values()) {
        all.add(s.entry);
      }
    }
    all.sort(Comparator.comparing(Entry::id, target::compareDistance));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  public synchronized int size() {
    return size;
  }

  /** The number of peers in the bucket of common prefix length {@code cpl}. */
  public synchronized int bucketSize(int cpl) {
    return buckets.get(cpl).size();
  }

  /** Every peer of the table. */
  public synchronized List<PeerId> peers() {
    List<PeerId> out = new ArrayList<>(size);
    for (LinkedHashMap<PeerId, Slot> b : buckets) {
      out.addAll(b.keySet());
    }
    return out;
  }

  /** Removes the peers not seen since {@code before} (epoch millis); returns how many. */
  public synchronized int removeNotSeenSince(long before) {
    int n = 0;
    for (LinkedHashMap<PeerId, Slot> b : buckets) {
      for (Iterator<Slot> it = b.values().iterator(); it.hasNext(); ) {
        if (it.next().entry.lastSeen() < before) {
          it.remove();
          size--;
          n++;
        }
      }
    }
    return n;
  }
}
