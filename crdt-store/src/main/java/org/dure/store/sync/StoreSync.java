package org.dure.store.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Documents;
import org.dure.store.doc.StoreException;
import org.dure.store.format.SyncMessage;
import org.dure.store.format.SyncMessagePeek;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;

/**
 * What the sync protocol needs from the store: which spaces and documents to offer a peer,
 * Automerge sync messages per (peer, document) with their state kept across reconnects, snapshots
 * to bootstrap a document new to a peer, and events when a document changes.
 *
 * <p>Every byte from a peer is checked ({@link Untrusted}) before it reaches Automerge, and refused
 * if it is or carries what crashed native code before ({@link Quarantine}); a snapshot is loaded by
 * a disposable child process ({@link NativeSandbox}) first; and an {@link InflightLog} record names
 * the input while native code runs on it (written on its lane right before the native call, not
 * while it waits), so that if the process dies anyway the next start quarantines that input and
 * blocks its sender ({@link CrashRecovery}). Who may see or write what is not decided here: the
 * caller (the network's access policy) asks first.
 *
 * <p>A {@link PeerDataException} means the peer's input was refused; a {@link StoreException} is a
 * local fault (database, disk, the sandbox not running), which is not the peer's.
 */
public final class StoreSync {

  /** Called after a document changed: by a local edit ({@code fromPeer} empty) or by sync. */
  public interface Listener {
    void changed(DocumentRef doc, Optional<String> fromPeer);
  }

  /** The outcome of a received sync message. */
  public record Received(boolean changed, Set<String> missingPages) {}

  /**
   * The file the launcher ({@code ./dure}) creates in the data directory when the JVM died in
   * native code (abort or segmentation fault): only then is what was in native code blamed (see
   * {@link CrashRecovery}).
   */
  public static final String NATIVE_CRASH_MARKER = CrashRecovery.NATIVE_CRASH_MARKER;

  private final Documents docs;
  private final Attestations attestations;
  private final BlockedPeers blocked;
  private final InflightLog inflight;
  private final Quarantine quarantine;
  private final IngestSettings settings;
  private final SyncSessions sessions;
  private final Offers offers;
  private final MessageIngest messages;
  private final SnapshotIngest snapshots;

  /**
   * Sync for the documents of {@code docs} and the spaces of {@code wiki}: attestations held and
   * signed in {@code attestations}; peers whose input crashed native code go on {@code blocked};
   * {@code inflight} records input while native code works on it; snapshots from peers are first
   * loaded in {@code sandbox}.
   */
  public StoreSync(
      Documents docs,
      Wiki wiki,
      Attestations attestations,
      BlockedPeers blocked,
      InflightLog inflight,
      NativeSandbox sandbox) {
    this.docs = docs;
    this.attestations = attestations;
    this.blocked = blocked;
    this.inflight = inflight;
    this.quarantine = new Quarantine(docs, docs.clock());
    this.settings = new IngestSettings(sandbox);
    this.sessions = new SyncSessions(docs);
    this.offers = new Offers(docs, wiki);
    this.messages =
        new MessageIngest(docs, sessions, offers, attestations, quarantine, inflight, settings);
    this.snapshots = new SnapshotIngest(docs, offers, quarantine, inflight, settings);
    docs.observe(IngestState.OBSERVER);
  }

  /**
   * Deals, before any document is loaded, with what a process that died in native code was doing in
   * {@code dataDir} (see {@link CrashRecovery}): what crashed it is quarantined, its sender
   * blocked, a stored document that crashed loading marked damaged.
   */
  public void recoverFromCrash(Path dataDir) {
    try {
      CrashRecovery.recover(
          dataDir.resolve(CrashRecovery.NATIVE_CRASH_MARKER),
          inflight,
          quarantine,
          settings.sandbox(),
          new CrashRecovery.Store() {
            @Override
            public void blockPeer(PeerId peer, String reason) {
              blocked.block(peer, reason);
            }

            @Override
            public void markDamaged(String docId, String reason) {
              docs.markDamaged(docId, reason);
            }

            @Override
            public byte[] storedBytes(String docId) {
              return docs.storedBytes(docId);
            }
          });
    } catch (IOException e) {
      throw new StoreException("Cannot check for inputs left in flight: " + e.getMessage(), e);
    }
  }

  /** See {@link IngestSettings#validateSyncMessages}: for crash tests in this package only. */
  void handUnvalidatedSyncMessagesToNativeCodeForCrashTests() {
    settings.handUnvalidatedSyncMessagesToNativeCode();
  }

  /** Number of changes quarantined after they crashed native code (for tests, diagnostics). */
  int quarantinedChangeCount() {
    return quarantine.changeCount();
  }

  /** Replaces the sandbox snapshots from peers are first loaded in. */
  public void setSandbox(NativeSandbox sandbox) {
    settings.sandbox(sandbox);
  }

  public void setLimits(Untrusted.Limits limits) {
    settings.limits(limits);
  }

  public Untrusted.Limits limits() {
    return settings.limits();
  }

  /** Adds a listener of changed documents; closing the result removes it. */
  public AutoCloseable addListener(Listener l) {
    return docs.feed()
        .addListener(
            (id, kind, space, fromPeer) ->
                l.changed(
                    new DocumentRef(id, DocumentRef.Kind.ofKey(kind.key()), new SpaceId(space)),
                    fromPeer));
  }

  // ---------------------------------------------------------------- what to offer

  /** Spaces held here whose membership lists {@code peerId}. */
  public List<SpaceId> spacesSharedWith(PeerId peerId) {
    return offers.spacesSharedWith(peerId);
  }

  /**
   * The documents of the space held here: index, membership (if held), pages, then members'
   * profiles and pages' comments.
   */
  public List<DocumentRef> documents(SpaceId space) {
    return offers.documents(space);
  }

  /** The class of the kind of document {@code ref} names (its shape, guarded keys...). */
  public DocumentKind kindOf(DocumentRef ref) {
    return offers.kindOf(ref);
  }

  /** The document with this id, if it is held here (and not damaged). */
  public Optional<DocumentRef> document(String docId) {
    return offers.document(docId);
  }

  /** The page ids the space's index lists (held here or not). */
  public Set<String> listedPages(SpaceId space) {
    return offers.listedPages(space);
  }

  /**
   * Whether {@code docId}, a document of {@code space} not held here, is one this side expects by
   * its derived id: a profile of a member the space's membership lists, or the comments of a page
   * the space's index lists. Empty if neither (or the index or membership is not here). The
   * expected ids are computed once per change of the space's index or membership.
   */
  public Optional<DocumentRef.Kind> derivedDocument(SpaceId space, String docId) {
    return offers.derivedDocument(space, docId);
  }

  // ---------------------------------------------------------------- Automerge sync

  /**
   * Starts a new sync session with {@code peer} (a new connection): sync states are taken from what
   * was persisted, as Automerge requires after a reconnect.
   */
  public long startSession(PeerId peer) {
    return sessions.start(peer.toString());
  }

  /**
   * Ends sync session {@code session} with {@code peer} (its connection closed): the Automerge sync
   * states it held in memory are freed (what was agreed is kept in the database for the next
   * session), and calls still made with its token do nothing.
   */
  public void endSession(PeerId peer, long session) {
    sessions.end(peer.toString(), session);
  }

  /** Number of sync states held in memory (for tests and diagnostics). */
  int syncStatesHeld() {
    return sessions.held();
  }

  /** The next sync message for {@code peer} about {@code docId}, or empty when in sync. */
  public Optional<byte[]> generateMessage(PeerId peer, String docId) {
    return generateMessage(peer, docId, sessions.current(peer.toString()));
  }

  /**
   * The next sync message for {@code peer} about {@code docId} in sync session {@code session}
   * (from {@link #startSession}); empty when in sync, or when that session is no longer the peer's
   * current one.
   */
  public Optional<byte[]> generateMessage(PeerId peer, String docId, long session) {
    String p = peer.toString();
    return docs.withDocument(
        docId,
        live ->
            sessions.isCurrent(p, session)
                ? live.doc().generateSyncMessage(sessions.state(live, p, session))
                : Optional.<byte[]>empty());
  }

  /**
   * Applies a sync message from {@code peer} about a document held here.
   *
   * @throws PeerDataException if the message does not validate or is a known bad input (nothing
   *     changed)
   */
  public Received receiveMessage(
      PeerId peer,
      String docId,
      byte[] message,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    return receiveMessage(
        peer, docId, message, attestations, authors, sessions.current(peer.toString()));
  }

  /**
   * Like {@link #receiveMessage(PeerId, String, byte[], Collection, AuthorPolicy)}, in sync session
   * {@code session}: a message that arrives for a session that is no longer the peer's current one
   * is dropped unapplied (the peer sends what it holds again in the new session).
   */
  public Received receiveMessage(
      PeerId peer,
      String docId,
      byte[] message,
      Collection<Attestation> attestations,
      AuthorPolicy authors,
      long session)
      throws PeerDataException {
    return receiveMessage(peer, docId, SyncMessage.of(message), attestations, authors, session);
  }

  /**
   * Like {@link #receiveMessage(PeerId, String, byte[], Collection, AuthorPolicy, long)}, for a
   * message the caller has read already (what it read is not read again).
   */
  public Received receiveMessage(
      PeerId peer,
      String docId,
      SyncMessage message,
      Collection<Attestation> attestations,
      AuthorPolicy authors,
      long session)
      throws PeerDataException {
    return messages.receive(peer.toString(), docId, message, attestations, authors, session);
  }

  /**
   * A sync message and the attestations that cover the changes it carries (none when it carries
   * none), both taken in one turn on the document's lane.
   *
   * @param message the Automerge sync message
   * @param attestations the newest held per actor when the message was made
   */
  public record AttestedMessage(byte[] message, List<Attestation> attestations) {}

  /**
   * Like {@link #generateMessage(PeerId, String, long)}, with the attestations for its changes
   * ({@link #attestations}) from the same turn on the document's lane. Taken one after the other, a
   * local edit in between leaves the message without the newest change while its actor's
   * attestation names it: the receiver then holds the message's changes back until that change
   * arrives, and judges them only with it.
   */
  public Optional<AttestedMessage> generateAttestedMessage(
      PeerId peer, String docId, long session) {
    String p = peer.toString();
    return docs.withDocument(
        docId,
        live -> {
          if (!sessions.isCurrent(p, session)) {
            return Optional.<AttestedMessage>empty();
          }
          Optional<byte[]> msg = live.doc().generateSyncMessage(sessions.state(live, p, session));
          if (msg.isEmpty()) {
            return Optional.<AttestedMessage>empty();
          }
          if (!SyncMessagePeek.carriesChanges(msg.get())) {
            return Optional.of(new AttestedMessage(msg.get(), List.of()));
          }
          return Optional.of(new AttestedMessage(msg.get(), signedAttestations(live)));
        });
  }

  /**
   * The attestations that go with changes of {@code docId} sent to peers: the newest held per
   * actor, after signing this node's own newest changes where no attestation covers them yet.
   */
  public List<Attestation> attestations(String docId) {
    return docs.withDocument(docId, this::signedAttestations);
  }

  /**
   * On the document's lane: signs this node's own newest changes where no attestation covers them
   * yet, and returns the attestations held (the newest per actor).
   */
  private List<Attestation> signedAttestations(org.dure.store.doc.LiveDocument live) {
    attestations.signOwn(live, IngestState.of(live).context(live));
    return attestations.forDocument(live.id());
  }

  /** Whether the document is in sync with {@code peer} as far as this side knows. */
  public boolean isInSync(PeerId peer, String docId) {
    String p = peer.toString();
    long session = sessions.current(p);
    return docs.withDocument(docId, live -> sessions.state(live, p, session).isInSync(live.doc()));
  }

  /** Forgets what was agreed with {@code peer} about every document (a full resync next time). */
  public void forgetPeer(PeerId peer) {
    sessions.forget(peer.toString());
  }

  // ---------------------------------------------------------------- bootstrap by snapshot

  /** The document as one saved snapshot, to bootstrap a peer that does not have it. */
  public byte[] snapshot(String docId) {
    return docs.withDocument(docId, live -> live.doc().save());
  }

  /**
   * A snapshot and the attestations that cover its history, for a peer that does not have the
   * document.
   *
   * @param snapshot the document saved whole
   * @param attestations the newest held per actor when the snapshot was taken
   */
  public record AttestedSnapshot(byte[] snapshot, List<Attestation> attestations) {}

  /**
   * The document saved whole with its attestations ({@link #attestations}), both taken in one turn
   * on the document's lane. Taken one after the other, an edit in between would leave the snapshot
   * without the newest change while the attestation of its actor names that change (only the newest
   * per actor is kept), and the receiver would refuse the snapshot as incomplete.
   */
  public AttestedSnapshot attestedSnapshot(String docId) {
    return docs.withDocument(
        docId,
        live -> {
          byte[] saved = live.doc().save();
          return new AttestedSnapshot(saved, signedAttestations(live));
        });
  }

  /**
   * Stores a document a peer sent whole. The bytes are validated, loaded once in the sandbox, and
   * only then here; the document must be what {@code ref} says (a page of that space, the space's
   * index or its membership).
   *
   * @throws PeerDataException if any check fails (nothing is stored)
   * @throws IllegalStateException if the document is already held (sync it instead)
   */
  public DocumentRef importSnapshot(
      PeerId peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    return snapshots.importSnapshot(peer.toString(), ref, snapshot, attestations, authors);
  }

  /**
   * Merges a document a peer sent whole into the one held here (its changes did not fit a sync
   * message). Checked as {@link #importSnapshot} checks a new one: validated, loaded once in the
   * sandbox, every change of its history covered by an attestation of an author who may make it;
   * only then merged and stored.
   *
   * @return whether it brought anything new
   * @throws PeerDataException if any check fails (nothing is merged)
   * @throws java.util.NoSuchElementException if the document is not held here
   */
  public boolean mergeSnapshot(
      PeerId peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    return snapshots.mergeSnapshot(peer.toString(), ref, snapshot, attestations, authors);
  }
}
