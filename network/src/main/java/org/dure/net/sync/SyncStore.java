package org.dure.net.sync;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.dure.identity.PeerId;
import org.dure.store.doc.Author;
import org.dure.store.format.FieldWrite;
import org.dure.store.format.SyncMessage;
import org.dure.store.sync.Attestation;
import org.dure.store.sync.AuthorPolicy;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.PeerDataException;
import org.dure.store.sync.Refusal;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;

/**
 * What a {@link SyncEngine} asks of the store, for one peer in one session: the calls of {@link
 * StoreSync} it makes, with the peer, the session's token and the access policy's author rules
 * bound ({@link #of}). Synchronous; a {@link org.dure.store.doc.StoreException} is a local fault, a
 * {@link PeerDataException} a refusal of the peer's input, as in {@link StoreSync}.
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

  /**
   * The next sync message for the peer about {@code docId} with the attestations of its changes
   * (see {@link StoreSync#generateAttestedMessage}), or empty when in sync.
   */
  Optional<StoreSync.AttestedMessage> generateMessage(String docId);

  /**
   * Applies the peer's sync message about {@code ref}, held here, its changes judged by their
   * signers ({@link SyncAccessPolicy#mayAuthor}, {@link SyncAccessPolicy#checkWrite}).
   */
  StoreSync.Received receiveMessage(
      DocumentRef ref, SyncMessage message, Collection<Attestation> attestations)
      throws PeerDataException;

  /** Stores a document the peer sent whole (see {@link StoreSync#importSnapshot}), judged alike. */
  void importSnapshot(DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations)
      throws PeerDataException;

  /** Merges a document the peer sent whole (see {@link StoreSync#mergeSnapshot}), judged alike. */
  boolean mergeSnapshot(DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations)
      throws PeerDataException;

  /**
   * See {@link StoreSync#attestedSnapshot}: the snapshot and its attestations from one turn on the
   * document's lane (an edit between two reads would leave the newest attestation naming a change
   * the snapshot lacks).
   */
  StoreSync.AttestedSnapshot attestedSnapshot(String docId);

  /**
   * The store's sync calls for {@code remote}, in the sync session whose token is {@code session},
   * who may author what judged by {@code policy}.
   */
  static SyncStore of(
      StoreSync sync, PeerId remote, LongSupplier session, SyncAccessPolicy policy) {
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
      public Optional<StoreSync.AttestedMessage> generateMessage(String docId) {
        return sync.generateAttestedMessage(remote, docId, session.getAsLong());
      }

      @Override
      public StoreSync.Received receiveMessage(
          DocumentRef ref, SyncMessage message, Collection<Attestation> attestations)
          throws PeerDataException {
        return sync.receiveMessage(
            remote, ref.id(), message, attestations, authors(policy, ref), session.getAsLong());
      }

      @Override
      public void importSnapshot(
          DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations)
          throws PeerDataException {
        sync.importSnapshot(remote, ref, snapshot, attestations, authors(policy, ref));
      }

      @Override
      public boolean mergeSnapshot(
          DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations)
          throws PeerDataException {
        return sync.mergeSnapshot(remote, ref, snapshot, attestations, authors(policy, ref));
      }

      @Override
      public StoreSync.AttestedSnapshot attestedSnapshot(String docId) {
        return sync.attestedSnapshot(docId);
      }
    };
  }

  /** Who may author changes to {@code ref}, and make which writes, as the policy says. */
  private static AuthorPolicy authors(SyncAccessPolicy policy, DocumentRef ref) {
    Set<String> guarded = policy.guardedKeys(ref);
    return new AuthorPolicy() {
      @Override
      public boolean mayAuthor(Author author, long time) {
        return policy.mayAuthor(author.peerId(), ref, time);
      }

      @Override
      public Set<String> guardedKeys() {
        return guarded;
      }

      @Override
      public Refusal checkWrite(Author author, long time, FieldWrite write, DocumentView asSeen) {
        return policy.checkWrite(author.peerId(), ref, time, write, asSeen);
      }
    };
  }
}
