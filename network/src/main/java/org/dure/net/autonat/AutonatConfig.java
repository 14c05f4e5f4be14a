package org.dure.net.autonat;

import java.time.Duration;

/**
 * AutoNAT v2 limits with defaults ({@link #defaults()}).
 *
 * @param requestsPerPeerPerMinute dial requests one peer may make per minute (server)
 * @param requestsPerMinute dial requests served per minute from all peers together (server)
 * @param concurrentDials dial-backs in progress at once (server)
 * @param timeout limit for one request: the stream exchange and the dial back
 * @param confirmations how many distinct servers must agree before an address counts as reachable
 *     or unreachable (client); the spec suggests more than 3 on the public network, a circle of
 *     friends has fewer peers
 * @param maxDialData most bytes the client pays when a server asks for dial data
 * @param allowPrivateAddresses whether private and loopback addresses are asked about and dialled
 *     back (tests only: the spec says the client SHOULD NOT send them and the server SHOULD NOT
 *     dial them)
 */
public record AutonatConfig(
    int requestsPerPeerPerMinute,
    int requestsPerMinute,
    int concurrentDials,
    Duration timeout,
    int confirmations,
    long maxDialData,
    boolean allowPrivateAddresses) {
  public AutonatConfig {
    if (requestsPerPeerPerMinute < 1
        || requestsPerMinute < 1
        || concurrentDials < 1
        || confirmations < 1
        || maxDialData < 0
        || !timeout.isPositive()) {
      throw new IllegalArgumentException("invalid AutoNAT config");
    }
  }

  public static AutonatConfig defaults() {
    return new AutonatConfig(4, 30, 2, Duration.ofSeconds(15), 2, 100_000, false);
  }

  public AutonatConfig withAllowPrivateAddresses(boolean allow) {
    return new AutonatConfig(
        requestsPerPeerPerMinute,
        requestsPerMinute,
        concurrentDials,
        timeout,
        confirmations,
        maxDialData,
        allow);
  }

  public AutonatConfig withConfirmations(int n) {
    return new AutonatConfig(
        requestsPerPeerPerMinute,
        requestsPerMinute,
        concurrentDials,
        timeout,
        n,
        maxDialData,
        allowPrivateAddresses);
  }

  public AutonatConfig withRequestsPerPeerPerMinute(int n) {
    return new AutonatConfig(
        n,
        requestsPerMinute,
        concurrentDials,
        timeout,
        confirmations,
        maxDialData,
        allowPrivateAddresses);
  }
}
