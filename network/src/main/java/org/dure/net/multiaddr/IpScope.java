package org.dure.net.multiaddr;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Whether an IP address could be reached from the internet: not loopback, private (RFC 1918, IPv6
 * unique local), link-local, carrier-grade NAT (100.64.0.0/10), unspecified, multicast or reserved.
 * The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) count as public: they
 * stand for public addresses in examples and in the NAT lab's namespaces.
 */
public final class IpScope {
  private IpScope() {}

  public static boolean isPublic(InetAddress ip) {
    if (ip.isLoopbackAddress()
        || ip.isSiteLocalAddress()
        || ip.isLinkLocalAddress()
        || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()) {
      return false;
    }
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      boolean cgnat = b0 == 100 && b1 >= 64 && b1 < 128;
      return !(cgnat || b0 == 0 || b0 >= 240);
    }
    if (ip instanceof Inet6Address) {
      return (b[0] & 0xfe) != 0xfc; // fc00::/7, unique local
    }
    return false;
  }

  /** The IP of an {@code /ip4} or {@code /ip6} address, or {@code null}. */
  public static InetAddress ipOf(Multiaddr a) {
    Multiaddr.Component c = a.first(Protocol.IP4);
    if (c == null) {
      c = a.first(Protocol.IP6);
    }
    if (c == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(c.value());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Whether {@code a} is a direct TCP address ({@code /ip4|ip6/…/tcp/…}, no {@code /p2p-circuit})
   * whose IP is public, or any IP when {@code allowPrivate} (for tests and LAN setups).
   */
  public static boolean isDialableTcp(Multiaddr a, boolean allowPrivate) {
    if (a.first(Protocol.P2P_CIRCUIT) != null || a.first(Protocol.TCP) == null) {
      return false;
    }
    InetAddress ip = ipOf(a);
    if (ip == null) {
      return false;
    }
    try {
      InetSocketAddress sa = a.toTcpSocketAddress();
      if (sa.getPort() == 0) {
        return false;
      }
    } catch (IllegalArgumentException e) {
      return false;
    }
    return allowPrivate ? !ip.isAnyLocalAddress() && !ip.isMulticastAddress() : isPublic(ip);
  }
}
