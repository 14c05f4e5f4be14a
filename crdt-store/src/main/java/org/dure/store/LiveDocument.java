package org.dure.store;

import org.automerge.ChangeHash;
import org.automerge.Document;

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
   * Estimated native memory held by the document. Automerge keeps the full operation history
   * uncompressed; measured at roughly 10–20 times the compressed saved size, so count 16 times.
   */
  long estimatedNativeBytes() {
    return 32 * 1024 + 16 * (snapshotBytes + changeBytes);
  }
}
