package org.dure.net.presence;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;

/**
 * Who has which page open, as announced, without threads or I/O: fed announcements that the service
 * has already checked (the sender is a member of the space), the peers that left and the time. An
 * announcement holds until its ttl runs out, its sender says it closed the page, or its sender
 * disconnects. Bounded: at most {@link #MAX_PAGES_PER_PEER} pages per peer (more is ignored) and
 * {@link #MAX_PEERS} peers.
 *
 * <p>Not thread-safe: the service calls it under one lock.
 */
public final class PresenceEngine {
  /** Pages one peer may be announced on at once; a person has a few editors open. */
  public static final int MAX_PAGES_PER_PEER = 16;

  /** Peers tracked at once (as many as a host keeps connections to, with room). */
  public static final int MAX_PEERS = 4096;

  private record Entry(SpaceId space, long expiresAt) {}

  private final Map<PeerId, Map<PageId, Entry>> byPeer = new HashMap<>();

  /**
   * Takes in {@code m} from {@code peer} at {@code now} (nanoTime).
   *
   * @return whether who is on some page changed (false also when the announcement was dropped for a
   *     bound)
   */
  public boolean heard(PeerId peer, PresenceMessage m, long now) {
    Map<PageId, Entry> pages = byPeer.get(peer);
    if (!m.here()) {
      if (pages == null || pages.remove(m.page()) == null) {
        return false;
      }
      if (pages.isEmpty()) {
        byPeer.remove(peer);
      }
      return true;
    }
    if (pages == null) {
      if (byPeer.size() >= MAX_PEERS) {
        return false;
      }
      pages = new LinkedHashMap<>();
      byPeer.put(peer, pages);
    }
    boolean isNew = !pages.containsKey(m.page());
    if (isNew && pages.size() >= MAX_PAGES_PER_PEER) {
      return false;
    }
    pages.put(m.page(), new Entry(m.space(), now + m.ttlSeconds() * 1_000_000_000L));
    return isNew;
  }

  /** {@code peer} is gone (disconnected): it is on no page. Returns whether it was on one. */
  public boolean left(PeerId peer) {
    return byPeer.remove(peer) != null;
  }

  /** Forgets announcements whose ttl ran out by {@code now}; returns whether any did. */
  public boolean expire(long now) {
    boolean changed = false;
    for (var it = byPeer.values().iterator(); it.hasNext(); ) {
      Map<PageId, Entry> pages = it.next();
      changed |= pages.values().removeIf(e -> now - e.expiresAt() >= 0);
      if (pages.isEmpty()) {
        it.remove();
      }
    }
    return changed;
  }

  /**
   * Forgets what {@code peer} said about spaces other than {@code spaces} (those it is still a
   * member of); returns whether it had said any.
   */
  public boolean retain(PeerId peer, Set<SpaceId> spaces) {
    Map<PageId, Entry> pages = byPeer.get(peer);
    if (pages == null) {
      return false;
    }
    boolean changed = pages.values().removeIf(e -> !spaces.contains(e.space()));
    if (pages.isEmpty()) {
      byPeer.remove(peer);
    }
    return changed;
  }

  /** The peers something is held about. */
  public Set<PeerId> peers() {
    return Set.copyOf(byPeer.keySet());
  }

  /** The peers on {@code page} at {@code now}. */
  public Set<PeerId> on(PageId page, long now) {
    Set<PeerId> out = new HashSet<>();
    for (var e : byPeer.entrySet()) {
      Entry x = e.getValue().get(page);
      if (x != null && now - x.expiresAt() < 0) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** The announcements held for {@code peer} (for tests and bounds). */
  public int pagesOf(PeerId peer) {
    Map<PageId, Entry> pages = byPeer.get(peer);
    return pages == null ? 0 : pages.size();
  }
}
