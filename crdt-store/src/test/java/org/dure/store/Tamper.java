package org.dure.store;

import java.util.Optional;
import java.util.function.BiConsumer;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.dure.store.sync.DocumentRef;

/**
 * A modified node's hands on its own store, for attack tests: writes any change to a document as
 * its user, past every check the store and the moderation layer make, signed like any other change
 * when it is sent, and sent by sync like any other. {@link #writeAt} builds on an old version, as a
 * node that pretends not to have seen later changes would.
 */
public final class Tamper {

  private Tamper() {}

  /** Writes {@code ops} on the document's current version and tells sync it changed. */
  public static void write(WikiStore store, String docId, BiConsumer<Document, Transaction> ops) {
    writeAt(store, docId, null, ops);
  }

  /**
   * Writes {@code ops} on the document as it was at {@code at} (null: now): the change depends on
   * {@code at} alone, as if its author had seen nothing since.
   */
  public static void writeAt(
      WikiStore store, String docId, ChangeHash[] at, BiConsumer<Document, Transaction> ops) {
    DocumentRef ref =
        store.sync().document(docId).orElseThrow(() -> new IllegalArgumentException(docId));
    store
        .documents()
        .withDocument(
            docId,
            live ->
                store
                    .documents()
                    .commitAt(
                        live,
                        at,
                        tx -> ops.accept(live.doc(), tx),
                        store.documents().meta(Optional.of("Tampered with")),
                        (d, seq) -> {}));
    store
        .documents()
        .fire(
            docId,
            store.documents().kinds().of(ref.kind().key()),
            ref.space().value(),
            Optional.empty());
  }

  /** The document's current heads (to build on them later, see {@link #writeAt}). */
  public static ChangeHash[] heads(WikiStore store, String docId) {
    return store.documents().withDocument(docId, live -> live.doc().getHeads());
  }

  /** The map at the root's {@code key}. */
  public static ObjectId map(Document doc, String key) {
    return doc.get(ObjectId.ROOT, key)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseThrow(() -> new IllegalStateException("no map " + key));
  }

  /** The map at {@code key} inside {@code obj}. */
  public static ObjectId map(Document doc, ObjectId obj, String key) {
    return doc.get(obj, key)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseThrow(() -> new IllegalStateException("no map " + key));
  }
}
