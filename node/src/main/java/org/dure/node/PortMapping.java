package org.dure.node;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.nat.PortMapper;
import org.dure.net.nat.PortMapperConfig;
import org.dure.net.nat.PortMappingState;

/**
 * Asks the home router to forward the peer port (NAT-PMP, then UPnP; see {@link PortMapper}) while
 * the node is online and the setting {@code network.portMapping} is on, and advertises the
 * forwarded address. Not thread-safe: {@link PeerNode} calls it with itself locked.
 */
final class PortMapping {
  private final PortMapperConfig config;
  private PortMapper mapper;

  /**
   * @param config how to reach the router, or null when this node never maps ports (tests, tools)
   */
  PortMapping(PortMapperConfig config) {
    this.config = config;
  }

  /**
   * Starts or stops the port mapper as the setting says (checked with the offline switch, every 2
   * s), so that turning it off in Settings deletes the mapping on the router.
   *
   * @param online the running session, or null when offline
   */
  void follow(OnlineSession online, boolean settingOn) {
    boolean want =
        online != null
            && config != null
            && settingOn
            && forwardablePort(online.host.boundAddresses()) >= 0;
    if (want && mapper == null) {
      start(online);
    } else if (!want && mapper != null) {
      stop(online);
    }
  }

  private void start(OnlineSession online) {
    int p = forwardablePort(online.host.boundAddresses());
    PortMapper m = PortMapper.forRouter(p, config);
    m.addListener(
        state -> {
          // Only an address others on the internet can reach is worth advertising.
          List<Multiaddr> external =
              state instanceof PortMappingState.Mapped mapped && mapped.reachableFromInternet()
                  ? List.of(Multiaddr.parse(mapped.multiaddr()))
                  : List.of();
          online.nat.setMapped(external);
        });
    mapper = m.start();
  }

  /**
   * Deletes the mapping on the router (waits a few seconds at most), if there is one.
   *
   * @param online the running session, or null when offline
   */
  void stop(OnlineSession online) {
    PortMapper m = mapper;
    if (m == null) {
      return;
    }
    mapper = null;
    m.close();
    if (online != null) {
      online.nat.setMapped(List.of());
    }
  }

  /**
   * The port mapping's state on {@code host} (online); null when this node never maps ports.
   *
   * @param settingOn whether the setting {@code network.portMapping} is on
   */
  PeerNode.Router router(Host host, boolean settingOn) {
    if (config == null) {
      return null;
    }
    int p = forwardablePort(host.boundAddresses());
    PortMapper m = mapper;
    if (m != null) {
      return new PeerNode.Router(m.state(), m.internalPort());
    }
    if (settingOn && p < 0) {
      return new PeerNode.Router(
          new PortMappingState.Unavailable(
              "Dure listens on no IPv4 address a router could forward to"),
          0);
    }
    return new PeerNode.Router(new PortMappingState.Disabled(), Math.max(p, 0));
  }

  /**
   * The TCP port of the first IPv4 address bound that is not loopback ({@code 0.0.0.0} included),
   * or -1.
   */
  static int forwardablePort(List<Multiaddr> bound) {
    for (Multiaddr a : bound) {
      try {
        InetSocketAddress sa = a.toTcpSocketAddress();
        if (sa.getAddress() instanceof Inet4Address ip && !ip.isLoopbackAddress()) {
          return sa.getPort();
        }
      } catch (RuntimeException e) {
        // not TCP over IP: skip
      }
    }
    return -1;
  }
}
