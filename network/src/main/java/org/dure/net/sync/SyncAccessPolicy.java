package org.dure.net.sync;

import java.util.Set;
import org.dure.net.peer.PeerId;
import org.dure.store.DocumentRef;
import org.dure.store.SpaceId;
import org.dure.store.format.FieldPath;

/**
 * Who sees and writes what over sync: the hook the moderation layer implements. Called from sync
 * sessions' threads; implementations must be thread-safe and should be quick (they are asked on
 * every HELLO and on membership changes).
 */
public interface SyncAccessPolicy {

  /** The spaces this node offers {@code peer} (version 1: those whose membership lists it). */
  Set<SpaceId> spacesFor(PeerId peer);

  /**
   * Whether this node takes space {@code space}, which it does not hold yet, from {@code peer}
   * (version 1: the user joined it through an invite from that peer).
   */
  boolean acceptsSpace(PeerId peer, SpaceId space);

  /** Whether changes from {@code peer} to documents of {@code space} are applied. */
  boolean mayWrite(PeerId peer, SpaceId space);

  /**
   * Whether changes from {@code peer} to the document {@code doc} are applied; by default {@link
   * #mayWrite} for its space. The moderation layer narrows it per kind (e.g. a space's membership
   * changes only from its owner and moderators). Asked about this node's own peer ID too: changes
   * this node may not make itself are not sent (so an honest peer never relays them, and a peer
   * that sends them anyway can be penalised, see {@link #penalizesRefused}).
   */
  default boolean mayChange(PeerId peer, DocumentRef doc) {
    return mayWrite(peer, doc.space());
  }

  /**
   * Whether changes to {@code doc} whose signed attestation proves {@code author} made them are
   * taken, whoever relays them; {@code attestedTime} is when the author says it made them. The
   * signature itself is always checked (by the store); by default every validly signed author is
   * taken. The moderation layer narrows this to members who may write the document, former members
   * for changes made before they left, and, while this node does not hold the space's membership
   * yet (it is joining from the member that invited it), every signed author.
   */
  default boolean mayAuthor(PeerId author, DocumentRef doc, long attestedTime) {
    return true;
  }

  /**
   * The top-level keys of {@code doc} whose writes are checked per author with {@link
   * #mayWriteField}; by default none (and then the store records nothing per op: keep it empty for
   * pages). Must be quick and the same for every call about one document.
   */
  default Set<String> guardedKeys(DocumentRef doc) {
    return Set.of();
  }

  /**
   * Whether {@code author}, whom {@link #mayAuthor} lets write {@code doc}, may write at {@code
   * path} under one of its {@link #guardedKeys} ({@link FieldPath#UNKNOWN}: a write into an object
   * the store has not seen made). A change that writes where its author may not is refused with the
   * input it came in, without penalty for the peer that relayed it. By default yes.
   */
  default boolean mayWriteField(PeerId author, DocumentRef doc, long attestedTime, FieldPath path) {
    return true;
  }

  /**
   * Whether a peer whose changes to {@code doc} were refused by {@link #mayChange} is penalised for
   * it (counted like bad input: repeated, it is blocked). By default no: a reader's relayed edits
   * are refused without blame.
   */
  default boolean penalizesRefused(DocumentRef doc) {
    return false;
  }
}
