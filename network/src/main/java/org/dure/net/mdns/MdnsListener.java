package org.dure.net.mdns;

import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/** Told about peers found on the local network. */
@FunctionalInterface
public interface MdnsListener {
  /**
   * A response announced {@code peer} with these addresses (without the {@code /p2p/} part; never
   * empty, never loopback, at most {@link MdnsConfig#maxAddressesPerPeer()}).
   *
   * <p>Called on the discovery thread, once per response, so the same peer is reported again at
   * every query interval: do not block, and de-duplicate if needed. Never called for this node.
   */
  void onPeer(PeerId peer, List<Multiaddr> addresses);
}
