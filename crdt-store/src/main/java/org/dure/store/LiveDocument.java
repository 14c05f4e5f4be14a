package org.dure.store;

import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;

/**
 * A loaded Automerge document and what the store tracks about it. Confined to its lane's thread:
 * never share an instance with another thread.
 */
final class LiveDocument {
  final String id;
  final String kind;
  final String spaceId;
  final Document doc;
  long snapshotSeq;
  long lastSeq;
  long snapshotBytes;
  long changeBytes;
  ChangeHash[] heads;

  /** Local edits made a snapshot due; taken when the lane is idle. */
  boolean compactionDue;

  /** {@link System#nanoTime()} of the last local edit journalled. */
  long lastLocalEditNanos;

  /**
   * A page's text object, once looked up; reset when changes from elsewhere are merged (they could
   * replace it).
   */
  ObjectId body;

  /**
   * What the format validator knows of this document's history (objects, changes per actor), made
   * when a peer first sends something for it and kept up to date with every local change.
   */
  org.dure.store.format.DocumentContext formatContext;

  /**
   * The top-level keys whose writes {@link #formatContext} records per change: those the document's
   * {@link AuthorPolicy} guards, as the last peer input asked (empty for pages).
   */
  java.util.Set<String> guardedKeys = java.util.Set.of();

  /**
   * Changes from peers held back until the history their author signed is complete here (see {@link
   * Attestations}), by hash; bounded by {@link Attestations#MAX_WITHHELD_BYTES}. Lost when the
   * document leaves memory: the peer sends them again in a later session.
   */
  final java.util.Map<java.nio.ByteBuffer, org.dure.store.format.ChangeHeader> withheld =
      new java.util.LinkedHashMap<>();

  /** Changes accepted from peers that Automerge may still queue (a dependency missing), by hash. */
  final java.util.Map<java.nio.ByteBuffer, org.dure.store.format.ChangeHeader> queued =
      new java.util.LinkedHashMap<>();

  record PeerSyncState(long session, org.automerge.SyncState state) {}

  /** Frees the native memory of the document (its sync states live in StoreSync). */
  void free() {
    doc.free();
  }

  /**
   * The length of {@link #body} in code points at {@link #bodyLengthAt}; see {@link #bodyLength}.
   */
  private long bodyLength;

  private ChangeHash[] bodyLengthAt;

  /**
   * The length of the page's text object {@code body} in code points, remembered from the last
   * splice while the heads are the same array (every persisted change replaces {@link #heads}), so
   * typing does not ask Automerge for it on every keystroke.
   */
  long bodyLength(ObjectId body) {
    if (bodyLengthAt == null || bodyLengthAt != heads) {
      bodyLength = doc.length(body);
      bodyLengthAt = heads;
    }
    return bodyLength;
  }

  /** Records the body's length after a change that made {@link #heads} what they are now. */
  void bodyLengthIs(long length) {
    bodyLength = length;
    bodyLengthAt = heads;
  }

  /** Forgets the remembered length (changes from elsewhere are being merged). */
  void forgetBodyLength() {
    bodyLengthAt = null;
  }

  /** Set when memory ran ahead of disk (a failed write): the lane drops and reloads it. */
  boolean stale;

  LiveDocument(String id, String kind, String spaceId, Document doc) {
    this.id = id;
    this.kind = kind;
    this.spaceId = spaceId;
    this.doc = doc;
    this.heads = doc.getHeads();
  }

  /**
   * A lower bound of the document's operations: the characters of its text when loaded, plus the
   * characters inserted and deleted since.
   */
  long opsEstimate;

  /** Native bytes Automerge-Java 0.0.7 holds per text operation (measured: 310–370). */
  static final long BYTES_PER_OP = 400;

  /**
   * Estimated native memory held by the document. Automerge keeps every operation in memory,
   * measured at 310–370 bytes per character of text (see docs/PERFORMANCE.md); saved bytes say
   * little, as a repetitive text compresses to almost nothing.
   */
  long estimatedNativeBytes() {
    return 32 * 1024 + 16 * (snapshotBytes + changeBytes) + BYTES_PER_OP * opsEstimate;
  }

  /** The length of the document's {@code body} text, or 0 if it has none. */
  static long visibleTextLength(Document doc) {
    return doc.get(ObjectId.ROOT, "body")
        .filter(AmValue.Text.class::isInstance)
        .map(v -> doc.length(((AmValue.Text) v).getId()))
        .orElse(0L);
  }
}
