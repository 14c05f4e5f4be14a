package org.dure.net.host;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;

/**
 * This host's own addresses: those its listeners are bound to, the external ones set by the
 * application (a forwarded port) and the relayed ones (reservations). Thread-safe.
 */
final class LocalAddresses {
  /** Most external and most relayed addresses kept. */
  static final int MAX_SET = 8;

  private final PeerId self;
  private final List<Multiaddr> bound = new CopyOnWriteArrayList<>();
  private volatile List<Multiaddr> external = List.of();
  private volatile List<Multiaddr> relayed = List.of();

  LocalAddresses(PeerId self) {
    this.self = self;
  }

  void addBound(Multiaddr address) {
    bound.add(address);
  }

  void clearBound() {
    bound.clear();
  }

  List<Multiaddr> bound() {
    return List.copyOf(bound);
  }

  /** Sets the external addresses (see {@link Host#setExternalAddresses}). */
  void setExternal(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      a.toTcpSocketAddress(); // checks the form
      Multiaddr bare = a.withoutPeerId();
      if (!out.contains(bare) && out.size() < MAX_SET) {
        out.add(bare);
      }
    }
    external = List.copyOf(out);
  }

  List<Multiaddr> external() {
    return external;
  }

  /**
   * Sets the relayed addresses (see {@link Host#setRelayedAddresses}).
   *
   * @return whether they changed
   */
  boolean setRelayed(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      Multiaddr bare = a.withoutPeerId();
      if (bare.first(Protocol.P2P_CIRCUIT) == null) {
        throw new IllegalArgumentException("not a relayed address: " + a);
      }
      if (!out.contains(bare) && out.size() < MAX_SET) {
        out.add(bare);
      }
    }
    List<Multiaddr> now = List.copyOf(out);
    if (now.equals(relayed)) {
      return false;
    }
    relayed = now;
    return true;
  }

  List<Multiaddr> relayed() {
    return relayed;
  }

  /** The external, then the relayed addresses (what identify always announces). */
  List<Multiaddr> announced() {
    List<Multiaddr> out = new ArrayList<>(external);
    out.addAll(relayed);
    return out;
  }

  /** See {@link Host#advertisedAddresses()}. */
  List<Multiaddr> advertised() {
    List<Multiaddr> out = new ArrayList<>(listen());
    for (Multiaddr a : external) {
      Multiaddr full = a.withPeerId(self);
      if (!out.contains(full)) {
        out.add(full);
      }
    }
    for (Multiaddr a : relayed) {
      out.add(a.withPeerId(self));
    }
    return out;
  }

  /** The bound addresses, each ending in {@code /p2p/<peer id>}, wildcards expanded. */
  List<Multiaddr> listen() {
    return expanded().stream().map(a -> a.withPeerId(self)).toList();
  }

  /**
   * The bound addresses with a wildcard ({@code 0.0.0.0}, {@code ::}) expanded to the addresses of
   * the up network interfaces of its family (link-local ones left out).
   */
  List<Multiaddr> expanded() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : bound) {
      InetSocketAddress sa = a.toTcpSocketAddress();
      if (!sa.getAddress().isAnyLocalAddress()) {
        out.add(a);
        continue;
      }
      boolean v6 = sa.getAddress() instanceof Inet6Address;
      try {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (!ni.isUp()) {
            continue;
          }
          for (InetAddress ip : Collections.list(ni.getInetAddresses())) {
            if ((ip instanceof Inet6Address) == v6 && !ip.isLinkLocalAddress()) {
              out.add(Multiaddr.fromSocketAddress(new InetSocketAddress(ip, sa.getPort())));
            }
          }
        }
      } catch (SocketException e) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The local address to dial {@code target} from so that the connection leaves from a listen port:
   * the listen address of the same IP family, or {@code null} if there is none (or it cannot reach
   * the target: a listener on loopback for another machine).
   */
  InetSocketAddress reuseAddress(InetSocketAddress target) {
    boolean v6 = target.getAddress() instanceof Inet6Address;
    for (Multiaddr a : bound) {
      InetSocketAddress sa = a.toTcpSocketAddress();
      if ((sa.getAddress() instanceof Inet6Address) != v6) {
        continue;
      }
      if (sa.getAddress().isAnyLocalAddress()
          || sa.getAddress().isLoopbackAddress() == target.getAddress().isLoopbackAddress()) {
        return sa;
      }
    }
    return null;
  }

  /** Whether this connection's local end is a listen port (inbound, or dialled from it). */
  boolean fromListenPort(Connection conn) {
    if (conn.direction() == Direction.INBOUND) {
      return true;
    }
    try {
      int port = conn.localAddress().toTcpSocketAddress().getPort();
      for (Multiaddr a : bound) {
        if (a.toTcpSocketAddress().getPort() == port) {
          return true;
        }
      }
    } catch (IllegalArgumentException e) {
      // not TCP
    }
    return false;
  }
}
