package org.dure.net.mdns;

import java.time.Duration;

/**
 * Settings of {@link MdnsDiscovery}, with the defaults of js-libp2p's {@code @libp2p/mdns}.
 *
 * @param serviceName the DNS-SD service queried and announced, {@code _p2p._udp.local}
 * @param port UDP port of the group, 5353 (tests may use another one)
 * @param queryInterval time between two queries (one is also sent on start); default 10 s
 * @param minResponseInterval at most one response per this interval; a query that comes sooner is
 *     answered when the interval is over (RFC 6762 §6: a record is multicast at most once per
 *     second); default 1 s
 * @param maxAddressesPerPeer addresses kept per discovered peer, and announced for this node;
 *     default 64
 * @param recordTtlSeconds TTL of the announced records; default 120 s (as js-libp2p)
 */
public record MdnsConfig(
    String serviceName,
    int port,
    Duration queryInterval,
    Duration minResponseInterval,
    int maxAddressesPerPeer,
    long recordTtlSeconds) {

  public static final String SERVICE_NAME = "_p2p._udp.local";
  public static final int PORT = 5353;

  public MdnsConfig {
    DnsName.checkName(serviceName);
    if (serviceName.isEmpty()) {
      throw new IllegalArgumentException("service name must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (queryInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("query interval below 100 ms: " + queryInterval);
    }
    if (minResponseInterval.isNegative()) {
      throw new IllegalArgumentException("negative response interval");
    }
    if (maxAddressesPerPeer < 1 || maxAddressesPerPeer > 1024) {
      throw new IllegalArgumentException("maxAddressesPerPeer out of range");
    }
    if (recordTtlSeconds < 0 || recordTtlSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("TTL out of range");
    }
  }

  /** The defaults: {@code _p2p._udp.local} on port 5353, query every 10 s. */
  public static MdnsConfig defaults() {
    return new MdnsConfig(
        SERVICE_NAME, PORT, Duration.ofSeconds(10), Duration.ofSeconds(1), 64, 120);
  }

  public MdnsConfig withQueryInterval(Duration interval) {
    return new MdnsConfig(
        serviceName, port, interval, minResponseInterval, maxAddressesPerPeer, recordTtlSeconds);
  }

  public MdnsConfig withPort(int newPort) {
    return new MdnsConfig(
        serviceName,
        newPort,
        queryInterval,
        minResponseInterval,
        maxAddressesPerPeer,
        recordTtlSeconds);
  }

  public MdnsConfig withMinResponseInterval(Duration interval) {
    return new MdnsConfig(
        serviceName, port, queryInterval, interval, maxAddressesPerPeer, recordTtlSeconds);
  }
}
