package org.dure.net.nat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/** What a {@link PortMapper} has achieved: shown to the user, and used to advertise an address. */
public sealed interface PortMappingState {

  /** The user turned port mapping off; nothing is sent to the router. */
  record Disabled() implements PortMappingState {}

  /** Looking for a router (the first attempt has not ended yet). */
  record Searching() implements PortMappingState {}

  /**
   * The router forwards {@code externalPort} to this computer's {@code internalPort}.
   *
   * @param protocol {@code "NAT-PMP"} or {@code "UPnP"}
   * @param externalAddress the router's external address, or {@code null} if it did not say
   * @param expires when the mapping ends unless renewed (it is renewed at half its lifetime), or
   *     {@code null} for a permanent one
   */
  record Mapped(
      String protocol,
      InetAddress externalAddress,
      int externalPort,
      int internalPort,
      Instant expires)
      implements PortMappingState {
    public Mapped {
      Objects.requireNonNull(protocol);
    }

    /**
     * Whether others on the internet can reach this computer at the external address: it is known
     * and public (not a private, shared (100.64.0.0/10, carrier-grade NAT), loopback or link-local
     * one: then another router or the provider's NAT sits in front of this one).
     */
    public boolean reachableFromInternet() {
      return isPublic(externalAddress);
    }

    /** {@code /ip4/<external address>/tcp/<external port>}, or null if the address is unknown. */
    public String multiaddr() {
      return externalAddress instanceof Inet4Address a
          ? "/ip4/" + a.getHostAddress() + "/tcp/" + externalPort
          : null;
    }
  }

  /** No router mapped the port; {@code reason} says what each way tried answered. */
  record Unavailable(String reason) implements PortMappingState {
    public Unavailable {
      Objects.requireNonNull(reason);
    }
  }

  /** Whether {@code a} is a public IPv4 address. */
  static boolean isPublic(InetAddress a) {
    if (!(a instanceof Inet4Address)) {
      return false;
    }
    byte[] b = a.getAddress();
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    boolean shared = first == 100 && second >= 64 && second < 128; // RFC 6598
    return !(a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()
        || shared
        || first == 0
        || first >= 240);
  }
}
