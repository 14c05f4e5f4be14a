package org.dure.moderation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.moderation.ModerationRecords;

/**
 * Peers this user muted: their content is left out of this user's feed and comments. Local only:
 * nothing is sent, the peer is not told and still syncs. Kept in the store and in memory (the feed
 * asks for every item).
 */
public final class Mutes {
  private final WikiStore store;
  private final Set<PeerId> muted = ConcurrentHashMap.newKeySet();

  public Mutes(WikiStore store) {
    this.store = store;
    muted.addAll(store.moderation().mutedPeers().keySet());
  }

  public void mute(PeerId peer, String reason) {
    store.moderation().mute(peer, reason);
    muted.add(peer);
  }

  public void unmute(PeerId peer) {
    store.moderation().unmute(peer);
    muted.remove(peer);
  }

  public boolean isMuted(PeerId peer) {
    return muted.contains(peer);
  }

  /** Muted peers and why. */
  public Map<PeerId, String> list() {
    return store.moderation().mutedPeers();
  }

  /** Muted peers with why and since when, most recent first. */
  public List<ModerationRecords.ListedPeer> entries() {
    return store.moderation().muteList();
  }

  /** Keeps what is by a peer that is not muted: {@code items.filter(mutes.shows())}. */
  public Predicate<PeerId> shows() {
    return peer -> !muted.contains(peer);
  }
}
