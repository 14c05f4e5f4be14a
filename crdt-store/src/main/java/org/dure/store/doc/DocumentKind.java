package org.dure.store.doc;

import java.util.Set;
import org.automerge.Document;

/**
 * One kind of document (a page, a space's index, its membership, a profile...): everything the
 * kernel and the sync ingest need to know about it, in one class per kind, so that what depends on
 * the kind is a call here rather than a switch. The feature that owns a kind implements it; the
 * kernel only calls it.
 *
 * <p>Adding a field to a kind of document touches its class (shape check, hooks), the feature's
 * views of it, and the spec.
 */
public interface DocumentKind {

  /** The kind's name, stored with every document of it and used on the wire ({@code "page"}). */
  String key();

  /**
   * Characters of text the document holds (Automerge keeps about one operation in memory per
   * character): a lower bound of its operations for the memory estimate. None by default.
   */
  default long textLength(Document doc) {
    return 0;
  }

  /**
   * Whether documents of this kind have one change without dependencies (their creation by one
   * peer, once): another one would start a rival history, and is refused.
   */
  default boolean hasOneRoot() {
    return false;
  }

  /**
   * Whether other documents' lane tasks wait on documents of this kind (a space's membership, which
   * every change's check reads): a task of such a document never waits on another lane (see {@code
   * concurrency.md}).
   */
  default boolean isWaitedOn() {
    return false;
  }

  /**
   * Why a document received from a peer with id {@code docId} in {@code spaceId} cannot be of this
   * kind (ids derived from the space must be the derived ones), or null if it can.
   */
  default String checkId(String docId, String spaceId) {
    return null;
  }

  /**
   * The keys of the document whose writes by peers are checked one by one against the space's rules
   * (by signer, as the signer saw the document): {@code DocumentContext.EVERY_KEY} for all of them;
   * none by default (only who may author changes to it at all is checked).
   */
  default Set<String> guardedKeys() {
    return Set.of();
  }

  /**
   * Whether a document of this kind may arrive before its space's index (true only for the index).
   */
  default boolean opensSpace() {
    return false;
  }

  /**
   * Why {@code doc}, received from a peer as document {@code docId} of {@code spaceId}, is not a
   * document of this kind, or null if it is.
   */
  default String checkShape(String docId, String spaceId, Document doc) {
    return null;
  }

  /**
   * The documents {@code doc} lists by id (a space's index: its pages), held here or not; empty by
   * default. Peers announce new documents by changing the one that lists them.
   */
  default Set<String> listed(Document doc) {
    return Set.of();
  }

  /**
   * SQL that lists a document received whole from a peer (computed from it now, run in the
   * transaction that stores it at {@code timeMillis}); none by default.
   */
  default Sql.OnCommit afterImport(String docId, String spaceId, Document doc, long timeMillis) {
    return Sql.OnCommit.NONE;
  }

  /**
   * SQL that brings a document's listing up to date after changes from elsewhere were merged into
   * it (computed from it now, run in the transaction that persists them at {@code timeMillis});
   * none by default.
   */
  default Sql.OnCommit afterMerge(LiveDocument live, long timeMillis) {
    return Sql.OnCommit.NONE;
  }
}
