package org.dure.node;

import java.util.List;
import java.util.Objects;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.nat.PortMapperConfig;

/**
 * How a node reaches peers: where it listens and which optional services it runs while online (set
 * through {@link DureNode.Builder}).
 *
 * @param port the TCP port to listen on; -1 for {@link PeerNode#DEFAULT_P2P_PORT} or any free one
 *     if that is taken; 0 for any free port
 * @param listen multiaddrs to listen on ({@code --listen}); when not empty they replace {@code
 *     port}
 * @param lanDiscovery whether to find and be found by Dure nodes on the local network (mDNS)
 * @param portMapping how to ask the home router to forward the peer port, or null never to ask
 * @param dht the DHT's bootstrap peers, or null for no DHT
 */
record NodeConfig(
    int port,
    List<String> listen,
    boolean lanDiscovery,
    PortMapperConfig portMapping,
    DhtReach.Options dht) {

  /**
   * @throws IllegalArgumentException for a malformed multiaddr in {@code listen}
   */
  NodeConfig {
    listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
    for (String a : listen) {
      Multiaddr.parse(a);
    }
  }
}
