package org.dure.net.kad;

import java.time.Duration;

/**
 * DHT parameters and limits, with the Amino DHT's values as {@link #defaults()}.
 *
 * @param k bucket size and number of closest peers a lookup converges on (20)
 * @param alpha requests in flight per lookup (3)
 * @param requestTimeout limit of one request, dial included
 * @param lookupTimeout limit of one whole lookup
 * @param providerTtl how long a provider record is kept after it was added (48 h)
 * @param republishInterval how often this node re-adds its own provider records (22 h); they are
 *     re-added at once when its addresses change
 * @param refreshInterval how often the routing table is refreshed by a lookup of this node's own ID
 *     (and the bootstrap peers dialled again when the table is empty)
 * @param maxProviderRecords provider records stored for others in server mode, in all
 * @param maxProvidersPerKey provider records stored for one key
 * @param maxAddressesTried addresses dialled per peer learnt from the DHT (records are unsigned: a
 *     forged one costs at most this many dials)
 */
public record KadConfig(
    int k,
    int alpha,
    Duration requestTimeout,
    Duration lookupTimeout,
    Duration providerTtl,
    Duration republishInterval,
    Duration refreshInterval,
    int maxProviderRecords,
    int maxProvidersPerKey,
    int maxAddressesTried) {
  public KadConfig {
    if (k < 1 || alpha < 1 || maxProviderRecords < 1 || maxProvidersPerKey < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxAddressesTried < 1) {
      throw new IllegalArgumentException("maxAddressesTried must be positive");
    }
  }

  public static KadConfig defaults() {
    return new KadConfig(
        20,
        3,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofHours(48),
        Duration.ofHours(22),
        Duration.ofMinutes(10),
        10_000,
        32,
        4);
  }

  public KadConfig withRequestTimeout(Duration d) {
    return new KadConfig(
        k,
        alpha,
        d,
        lookupTimeout,
        providerTtl,
        republishInterval,
        refreshInterval,
        maxProviderRecords,
        maxProvidersPerKey,
        maxAddressesTried);
  }

  public KadConfig withRefreshInterval(Duration d) {
    return new KadConfig(
        k,
        alpha,
        requestTimeout,
        lookupTimeout,
        providerTtl,
        republishInterval,
        d,
        maxProviderRecords,
        maxProvidersPerKey,
        maxAddressesTried);
  }

  public KadConfig withProviderLimits(int total, int perKey) {
    return new KadConfig(
        k,
        alpha,
        requestTimeout,
        lookupTimeout,
        providerTtl,
        republishInterval,
        refreshInterval,
        total,
        perKey,
        maxAddressesTried);
  }
}
