package org.dure.node;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The Dure nodes that announced themselves on the local network (mDNS) in the last minute, at most
 * {@value #MAX} of them: anyone on the LAN can announce anything, so this is only shown.
 */
final class LanPeers {
  /** Nodes remembered at most (a LAN flooded with announcements costs no more). */
  static final int MAX = 256;

  private final Map<String, PeerNode.LanPeer> seen = new ConcurrentHashMap<>();

  /** Remembers {@code peer}'s announcement (a known one is updated even when full). */
  void announced(PeerId peer, List<Multiaddr> addresses) {
    List<String> addrs = addresses.stream().map(Multiaddr::toString).toList();
    if (seen.size() < MAX || seen.containsKey(peer.toString())) {
      seen.put(peer.toString(), new PeerNode.LanPeer(peer.toString(), addrs, Instant.now()));
    }
  }

  /** The nodes seen in the last minute, by peer ID (older ones are forgotten). */
  List<PeerNode.LanPeer> recent() {
    Instant recent = Instant.now().minusSeconds(60);
    seen.values().removeIf(p -> p.lastSeen().isBefore(recent));
    return seen.values().stream().sorted(Comparator.comparing(PeerNode.LanPeer::peerId)).toList();
  }

  void clear() {
    seen.clear();
  }
}
