package org.dure.net.sync;

import org.dure.identity.PeerId;

/**
 * Events of a {@link SyncService}, for a UI. Called on session threads: return quickly, do not
 * block.
 */
public interface SyncListener {

  /** A sync session with {@code peer} started. */
  default void sessionStarted(PeerId peer) {}

  /** The sync session with {@code peer} ended. */
  default void sessionEnded(PeerId peer, String reason) {}

  /**
   * A snapshot chunk went out or came in: {@code bytesDone} of {@code bytesTotal} of document
   * {@code docId} so far.
   */
  default void snapshotProgress(
      PeerId peer, String docId, boolean receiving, long bytesDone, long bytesTotal) {}

  /** {@code peer} sent bad input too often and was blocked. */
  default void peerBlocked(PeerId peer, String reason) {}
}
