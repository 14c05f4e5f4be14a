package org.dure.net.dcutr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.dure.identity.PeerId;

/**
 * Who runs the hole punch with a peer, so that at most one punch per pair of peers is under way. No
 * threads or I/O; {@link DcutrService} asks it under its own lock.
 *
 * <p>The spec gives the punch to the side that did not dial the relayed connection. When both peers
 * dialled each other through the relay at about the same time (each one's reconnector, a restarted
 * peer and the one that lost it), each is that side on one of the two relayed connections and both
 * start a punch: each CONNECT reaches a node that is punching itself. Both nodes must keep the same
 * punch, whatever the order their messages cross in: the one started by the peer with the smaller
 * {@link PeerId}. Its CONNECT is served even while this node's own punch runs (which then
 * {@linkplain #yielded stands down}); the other CONNECT is refused. A punch does not start while
 * this node is serving the peer's.
 *
 * <p>A CONNECT from a peer whose earlier CONNECT is still being served is the peer's next attempt
 * (its dial of the earlier one gave up, perhaps a moment before ours): it {@linkplain
 * Answer#SERVE_REPLACING replaces} the attempt being served, which {@linkplain #isCurrentResponder
 * stands down} without reporting, as go-libp2p serves each CONNECT it gets. Refusing it would fail
 * the peer's retries for as long as our dial of the first attempt lasts.
 */
final class PunchRoles {
  /** What to do with a CONNECT that {@code peer} sent. */
  enum Answer {
    /** Serve it: this node is the responder of the peer's punch. */
    SERVE,
    /** Refuse it: this node's own punch with the peer wins (its peer ID is the smaller). */
    REFUSE_OURS_WINS,
    /** Serve it in place of the peer's earlier attempt, which is being served still. */
    SERVE_REPLACING
  }

  private final PeerId self;
  private final Set<PeerId> initiating = new HashSet<>();

  /** The peers whose punch this node serves, with the number of the attempt being served. */
  private final Map<PeerId, Long> responding = new HashMap<>();

  private long attempts;
  private final Set<PeerId> yielded = new HashSet<>();

  PunchRoles(PeerId self) {
    this.self = self;
  }

  /**
   * Whether this node may start its own punch with {@code peer} now (not if one runs already, or
   * the peer's punch is being served); if so, it is under way until {@link #endInitiator}.
   */
  boolean startInitiator(PeerId peer) {
    if (responding.containsKey(peer) || initiating.contains(peer)) {
      return false;
    }
    initiating.add(peer);
    yielded.remove(peer);
    return true;
  }

  void endInitiator(PeerId peer) {
    initiating.remove(peer);
    yielded.remove(peer);
  }

  /**
   * Decides on a CONNECT from {@code peer}; {@link Answer#SERVE} and {@link Answer#SERVE_REPLACING}
   * make it the {@linkplain #servedAttempt attempt served} until {@link #endResponder} or the next
   * CONNECT.
   */
  Answer startResponder(PeerId peer) {
    boolean replacing = responding.containsKey(peer);
    if (!replacing && initiating.contains(peer)) {
      if (winsOver(peer)) {
        return Answer.REFUSE_OURS_WINS;
      }
      yielded.add(peer); // the peer's punch wins: ours stands down
    }
    responding.put(peer, ++attempts);
    return replacing ? Answer.SERVE_REPLACING : Answer.SERVE;
  }

  /** The number of the attempt of {@code peer} being served now (after {@link #startResponder}). */
  long servedAttempt(PeerId peer) {
    Long attempt = responding.get(peer);
    if (attempt == null) {
      throw new IllegalStateException("no punch of " + peer + " is served");
    }
    return attempt;
  }

  /** Whether {@code attempt} is still the one of {@code peer} served (no newer CONNECT came). */
  boolean isCurrentResponder(PeerId peer, long attempt) {
    Long current = responding.get(peer);
    return current != null && current == attempt;
  }

  /** Ends {@code attempt}; a no-op for an attempt replaced by a newer one (which goes on). */
  void endResponder(PeerId peer, long attempt) {
    responding.remove(peer, attempt);
  }

  /** Whether this node's punch with {@code peer} gave way to the peer's (served meanwhile). */
  boolean yielded(PeerId peer) {
    return yielded.contains(peer);
  }

  /** Whether this node is serving {@code peer}'s punch now. */
  boolean responding(PeerId peer) {
    return responding.containsKey(peer);
  }

  /**
   * Whether, when both punch at once, this node's punch is the one both keep: its peer ID is the
   * smaller. The other one's refused CONNECT is not a failure of the hole punch.
   */
  boolean winsOver(PeerId peer) {
    return self.compareTo(peer) < 0;
  }
}
