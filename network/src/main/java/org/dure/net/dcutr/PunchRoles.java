package org.dure.net.dcutr;

import java.util.HashSet;
import java.util.Set;
import org.dure.net.peer.PeerId;

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
 */
final class PunchRoles {
  /** What to do with a CONNECT that {@code peer} sent. */
  enum Answer {
    /** Serve it: this node is the responder of the peer's punch. */
    SERVE,
    /** Refuse it: this node's own punch with the peer wins (its peer ID is the smaller). */
    REFUSE_OURS_WINS,
    /** Refuse it: the peer's punch is being served already. */
    REFUSE_BUSY
  }

  private final PeerId self;
  private final Set<PeerId> initiating = new HashSet<>();
  private final Set<PeerId> responding = new HashSet<>();
  private final Set<PeerId> yielded = new HashSet<>();

  PunchRoles(PeerId self) {
    this.self = self;
  }

  /**
   * Whether this node may start its own punch with {@code peer} now (not if one runs already, or
   * the peer's punch is being served); if so, it is under way until {@link #endInitiator}.
   */
  boolean startInitiator(PeerId peer) {
    if (responding.contains(peer) || initiating.contains(peer)) {
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
   * Decides on a CONNECT from {@code peer}; {@link Answer#SERVE} lasts until {@link #endResponder}.
   */
  Answer startResponder(PeerId peer) {
    if (responding.contains(peer)) {
      return Answer.REFUSE_BUSY;
    }
    if (initiating.contains(peer)) {
      if (winsOver(peer)) {
        return Answer.REFUSE_OURS_WINS;
      }
      yielded.add(peer); // the peer's punch wins: ours stands down
    }
    responding.add(peer);
    return Answer.SERVE;
  }

  void endResponder(PeerId peer) {
    responding.remove(peer);
  }

  /** Whether this node's punch with {@code peer} gave way to the peer's (served meanwhile). */
  boolean yielded(PeerId peer) {
    return yielded.contains(peer);
  }

  /** Whether this node is serving {@code peer}'s punch now. */
  boolean responding(PeerId peer) {
    return responding.contains(peer);
  }

  /**
   * Whether, when both punch at once, this node's punch is the one both keep: its peer ID is the
   * smaller. The other one's refused CONNECT is not a failure of the hole punch.
   */
  boolean winsOver(PeerId peer) {
    return self.compareTo(peer) < 0;
  }
}
