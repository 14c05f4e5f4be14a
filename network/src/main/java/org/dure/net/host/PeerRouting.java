package org.dure.net.host;

import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Finds where a peer can be reached when the peer store knows no address that works (libp2p's peer
 * routing; Dure's is the DHT, {@link org.dure.net.kad.KadDht}). Asked by {@link
 * Host#connect(PeerId)} as a last resort; may block for seconds.
 */
@FunctionalInterface
public interface PeerRouting {
  /** Addresses of {@code peer} (without {@code /p2p/}), best first; empty if not found. */
  List<Multiaddr> findPeer(PeerId peer);
}
