package org.dure.net.kad;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;

/**
 * How far an address reaches: this machine only, a private network, or the internet. An address
 * learnt from a peer is kept (stored, passed on, dialled) only when it is of a scope that is
 * reachable from where it was learnt: loopback addresses only from a peer on loopback, private
 * ranges only from a peer on loopback or a private network, public ones always. So a DHT on one
 * machine or one home network works, and a public DHT server cannot make this node dial into its
 * LAN.
 */
public enum AddressScope {
  /** 127.0.0.0/8, ::1, the name {@code localhost}. */
  LOOPBACK,
  /** RFC 1918, 100.64.0.0/10 (carrier-grade NAT), fc00::/7 (unique local). */
  PRIVATE,
  /** Everything else that can be dialled, including DNS names. */
  PUBLIC;

  /**
   * The scope of an address; of a relayed address ({@code …/p2p/RELAY/p2p-circuit}), that of the
   * relay's address. {@code null} for addresses never worth keeping: unspecified ({@code 0.0.0.0}),
   * link-local, multicast, or not starting with an IP or DNS component.
   */
  public static AddressScope of(Multiaddr address) {
    List<Multiaddr.Component> cs = address.components();
    if (cs.isEmpty()) {
      return null;
    }
    Multiaddr.Component first = cs.get(0);
    return switch (first.protocol()) {
      case IP4, IP6 -> ofIp(first.value());
      case DNS, DNS4, DNS6 -> {
        String name = first.valueText().toLowerCase(Locale.ROOT);
        yield name.equals("localhost") || name.endsWith(".localhost") ? LOOPBACK : PUBLIC;
      }
      default -> null;
    };
  }

  private static AddressScope ofIp(byte[] raw) {
    InetAddress ip;
    try {
      ip = InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      return null;
    }
    if (ip.isLoopbackAddress()) {
      return LOOPBACK;
    }
    if (ip.isAnyLocalAddress() || ip.isLinkLocalAddress() || ip.isMulticastAddress()) {
      return null;
    }
    if (ip.isSiteLocalAddress()) {
      return PRIVATE;
    }
    if (raw.length == 4 && (raw[0] & 0xFF) == 100 && (raw[1] & 0xC0) == 64) {
      return PRIVATE; // 100.64.0.0/10
    }
    if (raw.length == 16 && (raw[0] & 0xFE) == 0xFC) {
      return PRIVATE; // fc00::/7
    }
    return PUBLIC;
  }

  /** Whether an address of this scope may be used by a node that learnt it from {@code from}. */
  public boolean reachableFrom(AddressScope from) {
    return from != null && ordinal() >= from.ordinal();
  }

  /**
   * The addresses of {@code addresses} reachable from {@code from} (the scope of the peer they were
   * learnt from), in order, at most {@code max}.
   */
  public static List<Multiaddr> filter(List<Multiaddr> addresses, AddressScope from, int max) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      AddressScope s = of(a);
      if (s != null && s.reachableFrom(from) && !out.contains(a) && out.size() < max) {
        out.add(a);
      }
    }
    return out;
  }

  /** Whether the address is a relayed one ({@code /p2p-circuit}). */
  static boolean isRelayed(Multiaddr a) {
    return a.first(Protocol.P2P_CIRCUIT) != null;
  }
}
