package org.dure.net.nat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP port mapping the router granted.
 *
 * @param protocol how it was asked for: {@code "NAT-PMP"} or {@code "UPnP"}
 * @param externalAddress the router's external IPv4 address, or {@code null} if it did not say
 * @param externalPort the port others connect to on the router (may differ from the internal one)
 * @param internalPort this computer's port the router forwards to
 * @param lifetime how long the mapping lasts unless renewed; {@link Duration#ZERO} for a permanent
 *     one (a UPnP router that supports only those)
 */
public record Lease(
    String protocol,
    InetAddress externalAddress,
    int externalPort,
    int internalPort,
    Duration lifetime) {
  public Lease {
    Objects.requireNonNull(protocol);
    Objects.requireNonNull(lifetime);
    if (externalPort < 1 || externalPort > 65535 || internalPort < 1 || internalPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
  }

  /** Whether the mapping lasts until it is deleted. */
  public boolean permanent() {
    return lifetime.isZero();
  }
}
