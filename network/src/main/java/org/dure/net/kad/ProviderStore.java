package org.dure.net.kad;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The provider records a DHT server holds for others: for each key, the peers that said they
 * provide it and their addresses, each until it expires ({@link KadConfig#providerTtl()}, 48 h).
 * Bounded in all ({@link KadConfig#maxProviderRecords()}) and per key ({@link
 * KadConfig#maxProvidersPerKey()}); a record refreshed by its provider keeps its place, a new one
 * over a limit is refused. Thread-safe, no I/O; time is passed in (epoch millis).
 */
public final class ProviderStore {
  /** Addresses kept per provider record. */
  public static final int MAX_ADDRESSES = 8;

  /** One provider of a key. */
  public record Provider(PeerId peer, List<Multiaddr> addresses, long expiresAt) {
    public Provider {
      addresses = List.copyOf(addresses);
    }

    public KadPeer toKadPeer() {
      return new KadPeer(peer, addresses);
    }
  }

  private final long ttlMillis;
  private final int maxRecords;
  private final int maxPerKey;
  private final Map<ByteBuffer, LinkedHashMap<PeerId, Provider>> records = new HashMap<>();
  private int size;

  public ProviderStore(KadConfig config) {
    this.ttlMillis = config.providerTtl().toMillis();
    this.maxRecords = config.maxProviderRecords();
    this.maxPerKey = config.maxProvidersPerKey();
  }

  /**
   * Adds or refreshes the record that {@code peer} provides {@code key}.
   *
   * @return false if refused because a limit is reached
   */
  public synchronized boolean add(byte[] key, PeerId peer, List<Multiaddr> addresses, long now) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    LinkedHashMap<PeerId, Provider> providers = records.get(k);
    boolean known = providers != null && providers.containsKey(peer);
    if (!known) {
      if (size >= maxRecords) {
        expire(now);
        if (size >= maxRecords) {
          return false;
        }
      }
      if (providers != null && providers.size() >= maxPerKey) {
        return false;
      }
    }
    if (providers == null) {
      providers = new LinkedHashMap<>();
      records.put(k, providers);
    }
    List<Multiaddr> addrs = addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES));
    if (providers.put(peer, new Provider(peer, addrs, now + ttlMillis)) == null) {
      size++;
    }
    return true;
  }

  /** The live providers of {@code key}, oldest record first. */
  public synchronized List<Provider> get(byte[] key, long now) {
    LinkedHashMap<PeerId, Provider> providers = records.get(ByteBuffer.wrap(key));
    if (providers == null) {
      return List.of();
    }
    List<Provider> out = new ArrayList<>();
    for (Provider p : providers.values()) {
      if (p.expiresAt() > now) {
        out.add(p);
      }
    }
    return out;
  }

  /** Drops the expired records; returns how many. */
  public synchronized int expire(long now) {
    int n = 0;
    for (Iterator<LinkedHashMap<PeerId, Provider>> it = records.values().iterator();
        it.hasNext(); ) {
      LinkedHashMap<PeerId, Provider> providers = it.next();
      int before = providers.size();
      providers.values().removeIf(p -> p.expiresAt() <= now);
      n += before - providers.size();
      if (providers.isEmpty()) {
        it.remove();
      }
    }
    size -= n;
    return n;
  }

  /** Records held (live or not yet expired by {@link #expire}). */
  public synchronized int size() {
    return size;
  }

  /** Keys with at least one record. */
  public synchronized int keys() {
    return records.size();
  }
}
