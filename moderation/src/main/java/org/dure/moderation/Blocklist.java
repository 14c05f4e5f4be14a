package org.dure.moderation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;
import org.dure.net.host.ConnectionGater;
import org.dure.net.host.Direction;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.WikiStore;
import org.dure.store.moderation.ModerationRecords;

/**
 * Blocked peers: kept in the store (so a block survives restarts, including one the store made
 * itself after a crash on a peer's input) and in memory for the connection gater, which runs on the
 * network's event loop and must not wait for the database.
 */
public final class Blocklist implements ConnectionGater {
  private final WikiStore store;
  private final Set<PeerId> blocked = ConcurrentHashMap.newKeySet();

  public Blocklist(WikiStore store) {
    this.store = store;
    refresh();
  }

  /** Re-reads the blocked peers from the store (blocks made there directly). */
  public void refresh() {
    Map<PeerId, String> now = store.blockedPeers();
    blocked.retainAll(now.keySet());
    blocked.addAll(now.keySet());
  }

  public void block(PeerId peer, String reason) {
    store.blockPeer(peer, reason);
    blocked.add(peer);
  }

  public void unblock(PeerId peer) {
    store.unblockPeer(peer);
    blocked.remove(peer);
  }

  public boolean isBlocked(PeerId peer) {
    return blocked.contains(peer);
  }

  /** Blocked peers and why. */
  public Map<PeerId, String> list() {
    return store.blockedPeers();
  }

  /** Blocked peers with why and since when, most recent first. */
  public List<ModerationRecords.ListedPeer> entries() {
    return store.moderation().blockList();
  }

  @Override
  public boolean allowDial(PeerId peer, Multiaddr address) {
    return peer == null || !blocked.contains(peer);
  }

  @Override
  public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
    return !blocked.contains(peer);
  }
}
