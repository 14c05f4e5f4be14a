package org.dure.net.sync;

import java.util.List;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/** One frame of {@code /dure/sync/1.0.0}: a type byte and its body ({@link SyncFrameCodec}). */
public sealed interface SyncFrame {
  byte HELLO = 0x01;
  byte SYNC = 0x02;
  byte NEED = 0x03;
  byte SNAPSHOT = 0x04;
  byte BYE = 0x05;
  byte SYNC_PART = 0x06;
  byte ATTEST = 0x07;

  /** The spaces the sender offers; sent first, and again whenever that set changes. */
  record Hello(int version, List<SpaceId> spaces) implements SyncFrame {
    public Hello {
      spaces = List.copyOf(spaces);
    }
  }

  /** An Automerge sync message about one document. */
  record Sync(String docId, byte[] message) implements SyncFrame {}

  /** Asks for a document the sender lacks, whole. */
  record Need(String docId, SpaceId space, DocumentRef.Kind kind) implements SyncFrame {}

  /** One chunk of a document's snapshot, answering a {@link Need}. */
  record Snapshot(
      String docId, SpaceId space, DocumentRef.Kind kind, long total, long offset, byte[] chunk)
      implements SyncFrame {}

  /**
   * One piece of a sync message too large for one frame; the pieces come in order, and the receiver
   * handles the whole message as a {@link Sync} once it has them all.
   */
  record SyncPart(String docId, long total, long offset, byte[] chunk) implements SyncFrame {}

  /**
   * Signed authorship of changes to one document (see {@link org.dure.store.sync.Attestation}):
   * sent before the SYNC or SNAPSHOT frames whose changes they cover.
   */
  record Attest(String docId, List<org.dure.store.sync.Attestation> attestations)
      implements SyncFrame {
    public Attest {
      attestations = List.copyOf(attestations);
    }
  }

  /** Ends the session. */
  record Bye(int code, String message) implements SyncFrame {}
}
