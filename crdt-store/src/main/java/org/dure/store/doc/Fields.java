package org.dure.store.doc;

import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.identity.PeerId;

/** Reading a document's top-level fields (on its lane, like every read of it). */
public final class Fields {
  private Fields() {}

  /** The string at the root's {@code key}, or "" if there is none (or it is not a string). */
  public static String str(Document doc, String key) {
    return str(doc, key, null);
  }

  /**
   * Like {@link #str(Document, String)}, in the document as it was at {@code heads} (null: now).
   */
  public static String str(Document doc, String key, ChangeHash[] heads) {
    Optional<AmValue> v =
        heads == null ? doc.get(ObjectId.ROOT, key) : doc.get(ObjectId.ROOT, key, heads);
    return v.filter(AmValue.Str.class::isInstance)
        .map(x -> ((AmValue.Str) x).getValue())
        .orElse("");
  }

  /**
   * The map at the root's {@code key}.
   *
   * @throws StoreException if there is none
   */
  public static ObjectId mapAt(Document doc, String key) {
    return doc.get(ObjectId.ROOT, key)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseThrow(() -> new StoreException("The document has no map " + key));
  }

  /**
   * The peer ID written as {@code text} in a document (base58, as the store writes it), or empty if
   * the text is not one: a document from a peer may hold anything, and a key or value that is no
   * peer ID names no peer.
   */
  public static Optional<PeerId> peerId(String text) {
    try {
      return Optional.of(PeerId.parseBase58(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
