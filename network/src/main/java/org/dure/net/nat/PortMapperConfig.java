package org.dure.net.nat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link PortMapper}.
 *
 * @param lifetime the mapping's requested lifetime (renewed at half of it); default 1 hour
 * @param retryAfter wait after no router mapped the port before trying again; default 5 minutes
 * @param natPmpGateway where NAT-PMP is asked; {@code null} for the default gateway, port 5351
 * @param natPmpInitialTimeout wait for the first NAT-PMP answer, doubled at each retry; 250 ms
 * @param natPmpAttempts NAT-PMP requests sent before giving up; 4 (250 + 500 + 1000 + 2000 ms)
 * @param ssdpTarget where the UPnP search goes; {@code 239.255.255.250:1900}
 * @param ssdpTimeout how long answers to the search are awaited; 2 s
 * @param httpTimeout limit of each HTTP exchange with the router; 3 s
 * @param stopTimeout how long {@link PortMapper#close()} waits to delete the mapping; 3 s
 * @param description the mapping's name on the router (UPnP); {@code Dure}
 */
public record PortMapperConfig(
    Duration lifetime,
    Duration retryAfter,
    InetSocketAddress natPmpGateway,
    Duration natPmpInitialTimeout,
    int natPmpAttempts,
    InetSocketAddress ssdpTarget,
    Duration ssdpTimeout,
    Duration httpTimeout,
    Duration stopTimeout,
    String description) {

  public PortMapperConfig {
    Objects.requireNonNull(ssdpTarget);
    Objects.requireNonNull(description);
    if (lifetime.toSeconds() < 2) {
      throw new IllegalArgumentException("lifetime below 2 s: " + lifetime);
    }
    if (retryAfter.toMillis() < 1) {
      throw new IllegalArgumentException("retryAfter must be positive");
    }
    for (Duration d :
        new Duration[] {natPmpInitialTimeout, ssdpTimeout, httpTimeout, stopTimeout}) {
      if (d.toMillis() < 1 || d.toSeconds() > 60) {
        throw new IllegalArgumentException("timeout out of range: " + d);
      }
    }
  }

  public static PortMapperConfig defaults() {
    return new PortMapperConfig(
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        null,
        Duration.ofMillis(250),
        4,
        SsdpSearch.MULTICAST,
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        "Dure");
  }

  public PortMapperConfig withNatPmpGateway(InetSocketAddress gateway) {
    return new PortMapperConfig(
        lifetime,
        retryAfter,
        gateway,
        natPmpInitialTimeout,
        natPmpAttempts,
        ssdpTarget,
        ssdpTimeout,
        httpTimeout,
        stopTimeout,
        description);
  }

  public PortMapperConfig withSsdpTarget(InetSocketAddress target) {
    return new PortMapperConfig(
        lifetime,
        retryAfter,
        natPmpGateway,
        natPmpInitialTimeout,
        natPmpAttempts,
        target,
        ssdpTimeout,
        httpTimeout,
        stopTimeout,
        description);
  }

  public PortMapperConfig withLifetime(Duration newLifetime) {
    return new PortMapperConfig(
        newLifetime,
        retryAfter,
        natPmpGateway,
        natPmpInitialTimeout,
        natPmpAttempts,
        ssdpTarget,
        ssdpTimeout,
        httpTimeout,
        stopTimeout,
        description);
  }

  /** Short waits everywhere (tests): NAT-PMP 50 ms × 2, search 300 ms, HTTP 1 s. */
  public PortMapperConfig withShortTimeouts() {
    return new PortMapperConfig(
        lifetime,
        retryAfter,
        natPmpGateway,
        Duration.ofMillis(50),
        2,
        ssdpTarget,
        Duration.ofMillis(300),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        description);
  }
}
