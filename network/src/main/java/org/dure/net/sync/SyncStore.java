package org.dure.net.sync;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.dure.store.format.SyncMessage;
import org.dure.store.sync.Attestation;
import org.dure.store.sync.AuthorPolicy;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;

/**
 * What a {@link SyncEngine} asks of the store, for one peer in one session: the calls of {@link
 * StoreSync} it makes, with the peer and the session's token bound ({@link #of}). Synchronous; a
 * {@link org.dure.store.doc.StoreException} is a local fault, a {@link PeerDataException} a refusal
 * of the peer's input, as in {@link StoreSync}.
 */
interface SyncStore {

  /** See {@link StoreSync#document}. */
  Optional<DocumentRef> document(String docId);

  /** See {@link StoreSync#documents}. */
  List<DocumentRef> documents(SpaceId space);

  /** See {@link StoreSync#listedPages}. */
  Set<String> listedPages(SpaceId space);

  /** See {@link StoreSync#derivedDocument}. */
  Optional<DocumentRef.Kind> derivedDocument(SpaceId space, String docId);

  /** The next sync message for the peer about {@code docId}, or empty when in sync. */
  Optional<byte[]> generateMessage(String docId);

  /** Applies the peer's sync message about a document held here. */
  StoreSync.Received receiveMessage(
      String docId, SyncMessage message, Collection<Attestation> attestations, AuthorPolicy authors)
      throws PeerDataException;

  /** Stores a document the peer sent whole (see {@link StoreSync#importSnapshot}). */
  void importSnapshot(
      DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations, AuthorPolicy authors)
      throws PeerDataException;

  /** Merges a document the peer sent whole (see {@link StoreSync#mergeSnapshot}). */
  boolean mergeSnapshot(
      DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations, AuthorPolicy authors)
      throws PeerDataException;

  /** See {@link StoreSync#attestations}. */
  List<Attestation> attestations(String docId);

  /** See {@link StoreSync#snapshot}. */
  byte[] snapshot(String docId);

  /**
   * The store's sync calls for {@code peer}, in the sync session whose token is {@code session}.
   */
  static SyncStore of(StoreSync sync, String peer, LongSupplier session) {
    return new SyncStore() {
      @Override
      public Optional<DocumentRef> document(String docId) {
        return sync.document(docId);
      }

      @Override
      public List<DocumentRef> documents(SpaceId space) {
        return sync.documents(space);
      }

      @Override
      public Set<String> listedPages(SpaceId space) {
        return sync.listedPages(space);
      }

      @Override
      public Optional<DocumentRef.Kind> derivedDocument(SpaceId space, String docId) {
        return sync.derivedDocument(space, docId);
      }

      @Override
      public Optional<byte[]> generateMessage(String docId) {
        return sync.generateMessage(peer, docId, session.getAsLong());
      }

      @Override
      public StoreSync.Received receiveMessage(
          String docId,
          SyncMessage message,
          Collection<Attestation> attestations,
          AuthorPolicy authors)
          throws PeerDataException {
        return sync.receiveMessage(
            peer, docId, message, attestations, authors, session.getAsLong());
      }

      @Override
      public void importSnapshot(
          DocumentRef ref,
          byte[] snapshot,
          Collection<Attestation> attestations,
          AuthorPolicy authors)
          throws PeerDataException {
        sync.importSnapshot(peer, ref, snapshot, attestations, authors);
      }

      @Override
      public boolean mergeSnapshot(
          DocumentRef ref,
          byte[] snapshot,
          Collection<Attestation> attestations,
          AuthorPolicy authors)
          throws PeerDataException {
        return sync.mergeSnapshot(peer, ref, snapshot, attestations, authors);
      }

      @Override
      public List<Attestation> attestations(String docId) {
        return sync.attestations(docId);
      }

      @Override
      public byte[] snapshot(String docId) {
        return sync.snapshot(docId);
      }
    };
  }
}
