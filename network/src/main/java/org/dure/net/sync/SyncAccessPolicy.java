package org.dure.net.sync;

import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.format.FieldWrite;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.Refusal;
import org.dure.store.wiki.SpaceId;

/**
 * Who sees and writes what over sync: the hook the moderation layer implements. Called from sync
 * sessions' threads; implementations must be thread-safe and should be quick (they are asked on
 * every HELLO and on membership changes).
 *
 * <p>Changes are judged by who signed them, never by which peer sent them: a session applies
 * whatever signed changes a member relays, as far as {@link #mayAuthor} and {@link #checkWrite}
 * allow their authors, and relays all it holds unchanged.
 */
public interface SyncAccessPolicy {

  /** The spaces this node offers {@code peer} (version 1: those whose membership lists it). */
  Set<SpaceId> spacesFor(PeerId peer);

  /**
   * Whether this node takes space {@code space}, which it does not hold yet, from {@code peer}
   * (version 1: the user joined it through an invite from that peer).
   */
  boolean acceptsSpace(PeerId peer, SpaceId space);

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
   * The top-level keys of {@code doc} whose writes are checked per author with {@link #checkWrite}
   * ({@link org.dure.store.format.DocumentContext#EVERY_KEY}: all); by default none (and then the
   * store records nothing per op: keep it empty for pages). Must be quick and the same for every
   * call about one document.
   */
  default Set<String> guardedKeys(DocumentRef doc) {
    return Set.of();
  }

  /**
   * Why {@code author}, whom {@link #mayAuthor} lets write {@code doc}, may not make {@code write}
   * under one of its {@link #guardedKeys} (at {@link org.dure.store.format.FieldPath#UNKNOWN}: a
   * write into an object the store has not seen made); null if it may. {@code asSeen} is the
   * document as the change's author saw it (at the change's dependencies): rules judged on it, or
   * binding a field to the signer, decide alike on every node and blame the author ({@link
   * Refusal#knowingly}); rules judged on this node's own view of the space do not ({@link
   * Refusal#unknowingly}). A change refused either way is refused with the input it came in; its
   * sender is penalised only when it is the author and the author could tell. By default every
   * write is allowed.
   */
  default Refusal checkWrite(
      PeerId author, DocumentRef doc, long attestedTime, FieldWrite write, DocumentView asSeen) {
    return null;
  }
}
