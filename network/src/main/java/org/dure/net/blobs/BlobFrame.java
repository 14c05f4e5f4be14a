package org.dure.net.blobs;

import org.dure.store.blob.BlobHash;

/** A frame of {@code /dure/blobs/1.0.0}: a request, or the answer to one. */
public sealed interface BlobFrame {
  /** The blob the frame is about. */
  BlobHash root();

  /** Asks for the manifest of blob {@code root}. */
  record GetManifest(BlobHash root) implements BlobFrame {}

  /** Asks for chunk {@code index} of blob {@code root}. */
  record GetChunk(BlobHash root, int index) implements BlobFrame {
    public GetChunk {
      if (index < 0) {
        throw new IllegalArgumentException("negative chunk index " + index);
      }
    }
  }

  /** The manifest of blob {@code root}: its encoding, whose SHA-256 the receiver checks. */
  record Manifest(BlobHash root, byte[] encoded) implements BlobFrame {}

  /** Chunk {@code index} of blob {@code root}, checked by the receiver against the manifest. */
  record Chunk(BlobHash root, int index, byte[] data) implements BlobFrame {
    public Chunk {
      if (index < 0) {
        throw new IllegalArgumentException("negative chunk index " + index);
      }
    }
  }

  /**
   * A request not answered: {@code index} is the chunk's, or {@link #MANIFEST} for the manifest.
   */
  record Refused(BlobHash root, int index, Reason reason) implements BlobFrame {
    /** The index of a refused manifest request. */
    public static final int MANIFEST = -1;
  }

  /** Why a request was refused. */
  enum Reason {
    /** This node does not hold it (or not that chunk yet). */
    NOT_HERE(1),
    /** The asker may not have it: it is a member of no space this node holds the blob for. */
    NOT_ALLOWED(2),
    /** This node serves too much now; ask later or elsewhere. */
    BUSY(3);

    final int code;

    Reason(int code) {
      this.code = code;
    }

    /** The reason of wire code {@code code}, or null if it is unknown. */
    static Reason of(int code) {
      for (Reason r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      return null;
    }
  }
}
