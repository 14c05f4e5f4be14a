package org.dure.store;

import java.util.Optional;
import org.dure.store.sync.AuthorPolicy;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.wiki.SpaceId;

/**
 * Two stores syncing in-process, as the sync protocol does over a network (without one): documents
 * one side lacks go over as snapshots with their attestations, the rest as Automerge sync messages.
 * For tests in every module (this class is in crdt-store's test jar).
 */
public final class InProcessSync {
  private InProcessSync() {}

  /** Syncs {@code space} between two stores until neither side has anything to send. */
  public static void sync(WikiStore a, WikiStore b, SpaceId space) throws PeerDataException {
    for (int round = 0; round < 50; round++) {
      boolean sent = copyMissing(a, b, space) | copyMissing(b, a, space);
      for (DocumentRef ref : a.sync().documents(space)) {
        if (b.sync().document(ref.id()).isEmpty()) {
          continue;
        }
        sent |= send(a, b, ref.id()) | send(b, a, ref.id());
      }
      if (!sent) {
        return;
      }
    }
    throw new AssertionError("sync did not settle in 50 rounds");
  }

  /** Syncs one document both ways until neither side has anything to send. */
  public static void syncDocument(WikiStore a, WikiStore b, String docId) throws PeerDataException {
    for (int round = 0; round < 50; round++) {
      if (!(send(a, b, docId) | send(b, a, docId))) {
        return;
      }
    }
    throw new AssertionError("sync of " + docId + " did not settle in 50 rounds");
  }

  /** Copies every document of {@code space} that {@code to} lacks, as joining by invite does. */
  public static boolean copyMissing(WikiStore from, WikiStore to, SpaceId space)
      throws PeerDataException {
    boolean sent = false;
    for (DocumentRef ref : from.sync().documents(space)) {
      if (to.sync().document(ref.id()).isEmpty()) {
        copy(from, to, ref.id());
        sent = true;
      }
    }
    return sent;
  }

  /** Copies one document {@code to} lacks, whole (a snapshot with its attestations). */
  public static void copy(WikiStore from, WikiStore to, String docId) throws PeerDataException {
    to.sync()
        .importSnapshot(
            from.identity().peerId(),
            from.sync().document(docId).orElseThrow(),
            from.sync().snapshot(docId),
            from.sync().attestations(docId),
            AuthorPolicy.ANY);
  }

  /** Sends {@code to} the next sync message {@code from} has about {@code docId}; whether any. */
  public static boolean send(WikiStore from, WikiStore to, String docId) throws PeerDataException {
    Optional<byte[]> msg = from.sync().generateMessage(to.identity().peerId(), docId);
    if (msg.isEmpty()) {
      return false;
    }
    to.sync()
        .receiveMessage(
            from.identity().peerId(),
            docId,
            msg.get(),
            from.sync().attestations(docId),
            AuthorPolicy.ANY);
    return true;
  }
}
