package org.dure.net.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Stream;
import org.dure.net.peer.PeerId;
import org.dure.store.doc.StoreException;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /dure/sync/1.0.0} session on one stream: a reader (the calling thread of {@link #run})
 * that applies what the peer sends, and a writer thread, the only one writing to the stream, which
 * sends control frames (HELLO, NEED, BYE) first and otherwise serves queued documents round-robin:
 * one sync message or one snapshot chunk per turn.
 */
final class SyncSession {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

  /** Sync messages arriving in parts at once per session (spec: 4). */
  private static final int MAX_SYNC_PARTS = 4;

  /** Transfers in parts from the peer: admitted at their first frame, bounded (spec). */
  private final InboundTransfers inbound;

  /** The session's input; the service's watchdog asks it whether a transfer stalled. */
  private volatile WatchedInput input;

  /**
   * Unknown documents a SYNC was about that are remembered to look at again (each costs a look at
   * the space's index and membership whenever one of them changes).
   */
  private static final int MAX_UNRECOGNISED = 1_000;

  /** NEEDs for documents not held yet that are remembered, to serve when they arrive. */
  private static final int MAX_WANTED = 10_000;

  /** A writer turn: a sync message for a document, or the next chunk of its snapshot. */
  private record Turn(String docId, boolean snapshot) {}

  /** A snapshot being sent (fields used by the writer thread only, once started). */
  private static final class Outgoing {
    final SyncFrame.Need need;
    byte[] bytes;
    int offset;

    Outgoing(SyncFrame.Need need) {
      this.need = need;
    }
  }

  /** Bad input from the peer: the stream is reset and the peer penalised. */
  private static final class PeerFault extends Exception {
    private static final long serialVersionUID = 1L;

    PeerFault(String message) {
      super(message, null, false, false);
    }
  }

  /** This node cannot take more from the peer now: the stream is reset without penalty. */
  private static final class Overloaded extends Exception {
    private static final long serialVersionUID = 1L;

    Overloaded(String message) {
      super(message, null, false, false);
    }
  }

  final SyncService service;
  final Stream stream;
  final PeerId remote;
  final boolean dialer;
  private final String peer;
  private final StoreSync sync;
  private final SyncAccessPolicy policy;
  private final int maxSnapshots;
  private final int chunkSize;

  // Guarded by this.
  private final ArrayDeque<SyncFrame> control = new ArrayDeque<>();
  private final LinkedHashSet<Turn> turns = new LinkedHashSet<>();
  private Set<SpaceId> offeredToRemote = Set.of();
  private Set<SpaceId> offeredByRemote = Set.of();
  private boolean recheckOffer = true; // the first HELLO
  private boolean helloSent;
  private final Map<String, SyncFrame.Need> needed = new HashMap<>();
  private final ArrayDeque<SyncFrame.Need> toServe = new ArrayDeque<>();
  private final Set<String> serving = new HashSet<>();
  private final Map<String, Outgoing> sending = new HashMap<>();
  private final Map<String, SyncFrame.Need> wanted = new HashMap<>();
  // Documents the peer asked for by NEED and got (or gets) as a snapshot: the peer starts their
  // sync once it has imported them, so this side sends nothing about them until it hears from it.
  private final Set<String> bootstrapped = new HashSet<>();
  // Writer thread only: the last small (change-free) SYNC sent per document in this session.
  private final Map<String, byte[]> lastSent = new HashMap<>();

  /**
   * This session's token in the store ({@link StoreSync#startSession}): a session that ended while
   * a thread of it was still busy cannot touch the sync state of the session that replaced it.
   * Taken when the service registers the session ({@link #beginInStore}), not when it starts
   * running: a session replaced before its thread ran must not take the token from its successor.
   */
  private volatile long syncSession;

  /**
   * Starts this session in the store; called by the service when it registers this session as the
   * peer's one, atomically with that registration.
   */
  void beginInStore() {
    syncSession = sync.startSession(peer);
  }

  /** Attestations the peer sent, per document and actor (the newest); see onAttest. */
  private final Map<String, Map<java.nio.ByteBuffer, org.dure.store.sync.Attestation>> offeredAtts =
      new HashMap<>();

  private int offeredAttCount;

  /** Attestations received per session at most (a document's actors, over many documents). */
  static final int MAX_ATTESTATIONS = 16_384;

  /** The attestations sent to the peer: per document and actor, the seq (writer thread only). */
  private final Map<String, Map<java.nio.ByteBuffer, Long>> sentAtts = new HashMap<>();

  private static final int REMEMBER_SYNC = 512;
  private boolean closing;
  private boolean ended;
  private boolean reset;

  // Reader thread only: what the peer's HELLOs cost (spec, "HELLO").
  private final HelloGuard hellos;
  // Reader thread only: documents a SYNC was about that were not held or recognised (yet).
  private final Set<String> unrecognised = new LinkedHashSet<>();
  // Reader thread only: pages a sync message listed as new in their index (bounded).
  private final Set<String> listedNew = new HashSet<>();

  private volatile Thread writer;

  // Writer thread only: frames written while more are queued, sent together (fewer Yamux and
  // Noise frames: 30 bytes of overhead each) when the queue runs dry or this much is pending.
  private final ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
  private static final int WRITE_BATCH = 32 * 1024;

  SyncSession(SyncService service, Stream stream, boolean dialer) {
    this.service = service;
    this.stream = stream;
    this.remote = stream.remotePeer();
    this.dialer = dialer;
    this.peer = remote.toString();
    this.sync = service.store().sync();
    this.policy = service.policy();
    this.maxSnapshots = service.config().maxConcurrentSnapshots();
    this.chunkSize = service.config().snapshotChunk();
    this.inbound =
        new InboundTransfers(
            service.transferBudget(),
            service.config().maxBufferedPerPeer(),
            MAX_SYNC_PARTS,
            maxSnapshots);
    this.hellos = new HelloGuard(service.config());
  }

  /** Runs the session until either side ends it; returns when the writer has finished too. */
  void run() {
    if (syncSession == 0) {
      beginInStore(); // not registered by a service (tests that run a session directly)
    }
    writer = Thread.ofVirtual().name("sync-writer " + peer).start(this::writeLoop);
    String reason = "closed";
    try {
      WatchedInput in = new WatchedInput(stream.inputStream());
      input = in;
      while (true) {
        SyncFrame f = SyncFrameCodec.read(in);
        if (f == null) {
          reason = "the peer closed the stream";
          break;
        }
        if (f instanceof SyncFrame.Bye bye) {
          reason = "the peer said goodbye (" + bye.code() + ": " + bye.message() + ")";
          LOG.debug("Sync with {}: {}", peer, reason);
          break;
        }
        handle(f);
      }
    } catch (ProtocolViolationException e) {
      // Input read after the session ended (e.g. dropped as stalled meanwhile) is discarded.
      reason = isEnded() ? "closed" : fault(e.getMessage());
    } catch (PeerFault e) {
      reason = isEnded() ? "closed" : fault(e.getMessage());
    } catch (Overloaded e) {
      reason = e.getMessage();
      LOG.info("Sync with {}: {}; resetting the stream (no penalty)", peer, reason);
      abort(reason);
    } catch (IOException e) {
      reason = isEnded() ? "closed" : "stream failed: " + e.getMessage();
    } catch (StoreException e) {
      // A local fault (database, disk, the sandbox not running): not the peer's. The session ends
      // unpenalised; what was not applied is sent again in the next one.
      LOG.warn(
          "Sync with {} stopped by a local fault, not blamed on the peer: {}", peer, e.toString());
      reason = "local fault: " + e.getMessage();
      abort(reason);
      service.retryAfterLocalFault(stream.connection());
    } catch (RuntimeException e) {
      LOG.warn("Sync with {} failed", peer, e);
      reason = "internal error: " + e;
      abort(reason);
    }
    finish(reason);
    inbound.clear();
    try {
      if (!writer.join(java.time.Duration.ofSeconds(5))) {
        stream.reset(); // the writer is stuck on a peer that does not read: unblock it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset();
    } finally {
      try {
        sync.endSession(peer, syncSession); // frees this session's sync states
      } catch (RuntimeException e) {
        LOG.debug("Sync with {}: ending the session in the store failed", peer, e);
      }
    }
  }

  // ---------------------------------------------------------------- reading

  private void handle(SyncFrame f) throws PeerFault, Overloaded, ProtocolViolationException {
    switch (f) {
      case SyncFrame.Hello h -> onHello(h);
      case SyncFrame.Sync s -> {
        check(service.quota().messageSize(remote, s.message().length));
        onSync(s);
      }
      case SyncFrame.Need n -> onNeed(n);
      case SyncFrame.Snapshot s -> onSnapshot(s);
      case SyncFrame.SyncPart p -> onSyncPart(p);
      case SyncFrame.Attest a -> onAttest(a);
      case SyncFrame.Bye b -> throw new IllegalStateException("handled by the read loop");
    }
  }

  /** Spec, session step 2. */
  private void onHello(SyncFrame.Hello h) throws PeerFault {
    String tooMany = hellos.hello(System.nanoTime());
    if (tooMany != null) {
      throw new PeerFault(tooMany);
    }
    Set<SpaceId> added;
    Set<SpaceId> withdrawn;
    synchronized (this) {
      added = new LinkedHashSet<>(h.spaces());
      added.removeAll(offeredByRemote);
      withdrawn = new HashSet<>(offeredByRemote);
      h.spaces().forEach(withdrawn::remove);
      offeredByRemote = Set.copyOf(h.spaces());
      noteShared();
      // The peer stops sending what it no longer offers: forget what was coming of it.
      needed.values().removeIf(n -> withdrawn.contains(n.space()));
    }
    inbound.dropSpaces(withdrawn);
    for (SpaceId s : added) {
      boolean held = sync.document(s.value()).isPresent();
      if (held && isOfferedToRemote(s)) {
        startSharing(s);
      } else if (policy.acceptsSpace(remote, s)) {
        // Not here, or not complete enough to offer back (a bootstrap cut short before the
        // membership arrived): ask for what is missing.
        requestMissing(s);
      } else if (!isOfferedToRemote(s)) {
        String unknown = hellos.unknownSpace(s);
        if (unknown != null) {
          throw new PeerFault(unknown);
        }
      }
    }
  }

  /** Spaces shared with the peer at some time in this session (at most this many are kept). */
  private static final int MAX_EVER_SHARED = 4_096;

  // Guarded by this.
  private final Set<SpaceId> everShared = new HashSet<>();

  /** Remembers the spaces shared now (called under this lock whenever an offer changes). */
  private void noteShared() {
    for (SpaceId s : offeredByRemote) {
      if (offeredToRemote.contains(s) && everShared.size() < MAX_EVER_SHARED) {
        everShared.add(s);
      }
    }
  }

  /** Whether {@code s} was shared with the peer earlier in this session (and is not now). */
  private synchronized boolean wasShared(SpaceId s) {
    return everShared.contains(s) && !isShared(s);
  }

  /** Whether the peer shares any space with this side now. */
  private synchronized boolean sharesAny() {
    for (SpaceId s : offeredByRemote) {
      if (offeredToRemote.contains(s)) {
        return true;
      }
    }
    return false;
  }

  private void onSync(SyncFrame.Sync s) throws PeerFault {
    Optional<DocumentRef> held = sync.document(s.docId());
    if (held.isEmpty()) {
      askForUnknown(s.docId());
      return;
    }
    DocumentRef ref = held.get();
    synchronized (this) {
      bootstrapped.remove(ref.id());
    }
    if (!isShared(ref.space())) {
      LOG.debug("Sync from {} about {} of a space not shared with it: ignored", peer, ref.id());
      return;
    }
    // Judged by who signed the changes (the store asks the policy per author), never by who sent
    // them: a member relays every signed change it holds.
    byte[] message = s.message();
    if (SyncMessages.carriesChanges(message)) {
      org.dure.store.format.SyncMessageStats stats;
      try {
        stats = org.dure.store.format.SyncMessageStats.of(message);
      } catch (org.dure.store.format.InvalidAutomergeDataException e) {
        throw new PeerFault("bad sync message for " + ref.id() + ": " + e.getMessage());
      }
      if (!check(service.quota().changes(remote, ref.space(), stats))) {
        LOG.debug("Sync message from {} about {} left out: over a quota", peer, ref.id());
        return;
      }
    }
    StoreSync.Received r;
    try {
      r =
          sync.receiveMessage(
              peer, ref.id(), message, attestationsFrom(ref.id()), authors(ref), syncSession);
    } catch (PeerDataException e) {
      if (!e.penalised()) {
        refused(ref, e);
        return;
      }
      throw new PeerFault("bad sync message for " + ref.id() + ": " + e.getMessage());
    } catch (NoSuchElementException e) {
      return; // gone meanwhile
    } catch (StoreException e) {
      throw e; // a local fault: see run
    } catch (RuntimeException e) {
      throw new PeerFault("Automerge refused the sync message for " + ref.id() + ": " + e);
    }
    queue(ref.id()); // our reply, if any
    for (String page : r.missingPages()) {
      if (listedNew.size() < MAX_WANTED) {
        listedNew.add(page);
      }
      need(page, ref.space(), DocumentRef.Kind.PAGE);
    }
    if (r.changed()
        && (ref.kind() == DocumentRef.Kind.SPACE || ref.kind() == DocumentRef.Kind.MEMBERS)) {
      retryUnknown();
    }
  }

  /**
   * Spec, step 4: "…and for any document of a shared space it receives a SYNC about but does not
   * hold."
   */
  private void askForUnknown(String docId) {
    if (!recognise(docId) && unrecognised.size() < MAX_UNRECOGNISED) {
      unrecognised.add(docId); // its page or member may not be known here yet: see retryUnknown
    }
  }

  /**
   * The space's index or membership changed here: documents heard of before that were not
   * recognised may be now (a page's comments whose page was not listed yet, a new member's
   * profile).
   */
  private void retryUnknown() {
    if (unrecognised.isEmpty()) {
      return;
    }
    unrecognised.removeIf(id -> sync.document(id).isPresent() || recognise(id));
  }

  /** Sends NEED for {@code docId} if it is a document of a shared space; whether it was. */
  private boolean recognise(String docId) {
    List<SpaceId> spaces;
    synchronized (this) {
      spaces = offeredByRemote.stream().filter(offeredToRemote::contains).toList();
    }
    for (SpaceId s : spaces) {
      if (docId.equals(SyncMessages.membershipDocId(s))) {
        need(docId, s, DocumentRef.Kind.MEMBERS);
        return true;
      }
      if (docId.equals(SyncMessages.moderationDocId(s))) {
        need(docId, s, DocumentRef.Kind.MODERATION);
        return true;
      }
      if (sync.document(s.value()).isPresent() && sync.listedPages(s).contains(docId)) {
        need(docId, s, DocumentRef.Kind.PAGE);
        return true;
      }
      // A member's profile or a listed page's comments, from any member: the snapshot's whole
      // history is checked by who signed it.
      Optional<DocumentRef.Kind> derived = sync.derivedDocument(s, docId);
      if (derived.isPresent()) {
        need(docId, s, derived.get());
        return true;
      }
    }
    return false;
  }

  /**
   * Changes from the peer that the space's rules refused: logged and reported; the peer is
   * penalised only when it sent its own change that it could tell breaks them (a member relaying
   * another's overstep, or two members briefly disagreeing about roles, is not to blame).
   */
  private void refused(DocumentRef ref, PeerDataException e) throws PeerFault {
    boolean ownOverstep = e.culprit() != null && e.culprit().peerId().equals(peer);
    LOG.info(
        "Changes from {} to {} {} refused{}: {}",
        peer,
        ref.kind().wireName(),
        ref.id(),
        ownOverstep ? " (its own)" : "",
        e.getMessage());
    service.quota().changesRefused(remote, ref.space(), e.getMessage());
    if (ownOverstep) {
      throw new PeerFault("sent its own change that breaks the space's rules: " + e.getMessage());
    }
  }

  private void onNeed(SyncFrame.Need n) {
    if (!isOfferedToRemote(n.space())) {
      return; // never say anything about a space the peer may not see
    }
    Optional<DocumentRef> ref = sync.document(n.docId());
    if (ref.isEmpty()) {
      synchronized (this) {
        if (wanted.size() < MAX_WANTED) {
          wanted.put(n.docId(), n); // served when it arrives here
        }
      }
      return;
    }
    if (ref.get().space().equals(n.space()) && ref.get().kind() == n.kind()) {
      serve(n);
    }
  }

  private synchronized void serve(SyncFrame.Need n) {
    bootstrapped.add(n.docId());
    if (serving.add(n.docId())) {
      toServe.add(n);
      startSnapshots();
    }
  }

  /**
   * Attestations for a document's changes, sent before the changes: kept (the newest per actor,
   * bounded) until the SYNC or SNAPSHOT they cover arrives. Checked there, not here.
   */
  private void onAttest(SyncFrame.Attest a) throws PeerFault {
    if (!admitAttestations(a.docId())) {
      return;
    }
    Map<java.nio.ByteBuffer, org.dure.store.sync.Attestation> forDoc;
    synchronized (this) {
      forDoc = offeredAtts.computeIfAbsent(a.docId(), k -> new HashMap<>());
    }
    for (org.dure.store.sync.Attestation x : a.attestations()) {
      java.nio.ByteBuffer actor = java.nio.ByteBuffer.wrap(x.actor());
      org.dure.store.sync.Attestation had = forDoc.get(actor);
      if (had == null) {
        if (++offeredAttCount > MAX_ATTESTATIONS) {
          throw new PeerFault("more than " + MAX_ATTESTATIONS + " attestations in one session");
        }
        offeredAttBytes += ATTESTATION_OVERHEAD + x.message().length() * 3L;
        if (offeredAttBytes > MAX_ATTESTATION_BYTES) {
          throw new PeerFault("more than " + MAX_ATTESTATION_BYTES + " bytes of attestations");
        }
        forDoc.put(actor, x);
      } else if (x.seq() > had.seq()) {
        forDoc.put(actor, x);
      }
    }
  }

  /** Bytes of attestations kept per session at most (messages are at most 1 KiB each). */
  static final long MAX_ATTESTATION_BYTES = 8L << 20;

  /** What one kept attestation costs besides its message: ids, hash, signature, the maps. */
  private static final int ATTESTATION_OVERHEAD = 256;

  private long offeredAttBytes;

  /**
   * Whether to keep attestations for {@code docId}: yes for one asked for by NEED (held here by now
   * or not), or a document held here of a space shared with the peer; no for one of a space shared
   * earlier in this session, or one not held here while the peer shares a space (it is asked for
   * whole, and its snapshot comes with them all again).
   *
   * @throws PeerFault for anything else: the peer was never offered that document
   */
  private boolean admitAttestations(String docId) throws PeerFault {
    synchronized (this) {
      // Asked for by NEED: even if another session brought it meanwhile (held by now), the peer
      // sends what this session asked for.
      if (needed.containsKey(docId)) {
        return true;
      }
    }
    Optional<DocumentRef> held = sync.document(docId);
    if (held.isPresent()) {
      SpaceId s = held.get().space();
      if (isShared(s)) {
        return true;
      }
      if (wasShared(s)) {
        return false;
      }
      throw new PeerFault("attestations for " + docId + ", not offered to it");
    }
    if (!sharesAny()) {
      throw new PeerFault("attestations for " + docId + ", not offered to it");
    }
    return false;
  }

  private synchronized List<org.dure.store.sync.Attestation> attestationsFrom(String docId) {
    Map<java.nio.ByteBuffer, org.dure.store.sync.Attestation> m = offeredAtts.get(docId);
    return m == null ? List.of() : List.copyOf(m.values());
  }

  /** Who may author changes to {@code ref}, and make which writes, as the policy says. */
  private org.dure.store.sync.AuthorPolicy authors(DocumentRef ref) {
    Set<String> guarded = policy.guardedKeys(ref);
    return new org.dure.store.sync.AuthorPolicy() {
      @Override
      public boolean mayAuthor(org.dure.store.doc.Author author, long time) {
        return policy.mayAuthor(PeerId.parse(author.peerId()), ref, time);
      }

      @Override
      public Set<String> guardedKeys() {
        return guarded;
      }

      @Override
      public org.dure.store.sync.Refusal checkWrite(
          org.dure.store.doc.Author author,
          long time,
          org.dure.store.format.FieldWrite write,
          org.dure.store.sync.DocumentView asSeen) {
        return policy.checkWrite(PeerId.parse(author.peerId()), ref, time, write, asSeen);
      }
    };
  }

  /**
   * Sends, before changes of {@code docId}, the attestations covering them that this session has
   * not sent yet (all of them before a snapshot).
   */
  private void sendAttestations(String docId) throws IOException {
    List<org.dure.store.sync.Attestation> atts;
    try {
      atts = sync.attestations(docId);
    } catch (NoSuchElementException e) {
      return;
    }
    sendAttestations(docId, atts);
  }

  /** Sends those of {@code atts} this session has not sent yet. */
  private void sendAttestations(String docId, List<org.dure.store.sync.Attestation> atts)
      throws IOException {
    Map<java.nio.ByteBuffer, Long> sent = sentAtts.computeIfAbsent(docId, k -> new HashMap<>());
    List<org.dure.store.sync.Attestation> fresh = new ArrayList<>();
    for (org.dure.store.sync.Attestation a : atts) {
      java.nio.ByteBuffer actor = java.nio.ByteBuffer.wrap(a.actor());
      Long had = sent.get(actor);
      if (had == null || had < a.seq()) {
        fresh.add(a);
        sent.put(actor, a.seq());
      }
    }
    for (int i = 0; i < fresh.size(); i += SyncFrameCodec.MAX_ATTESTATIONS) {
      write(
          new SyncFrame.Attest(
              docId,
              fresh.subList(i, Math.min(fresh.size(), i + SyncFrameCodec.MAX_ATTESTATIONS))));
    }
  }

  /**
   * A large sync message arriving in parts (spec, "Transfers in parts"): admitted at its first
   * part, reassembled in order within the caps, then handled as one SYNC.
   */
  private void onSyncPart(SyncFrame.SyncPart p)
      throws PeerFault, Overloaded, ProtocolViolationException {
    if (p.offset() == 0) {
      if (inbound.get(InboundTransfers.Kind.PARTS, p.docId()) != null
          || inbound.count(InboundTransfers.Kind.PARTS) >= MAX_SYNC_PARTS) {
        throw new PeerFault("too many or restarted sync messages in parts");
      }
      boolean keep = admitSyncPart(p.docId());
      if (keep) {
        check(service.quota().messageSize(remote, p.total()));
      }
      started(
          inbound.start(InboundTransfers.Kind.PARTS, p.docId(), null, null, p.total(), keep, false),
          "a sync message of " + p.total() + " bytes");
    }
    byte[] all =
        inbound.add(InboundTransfers.Kind.PARTS, p.docId(), p.total(), p.offset(), p.chunk());
    if (all != null && all.length > 0) {
      onSync(new SyncFrame.Sync(p.docId(), all));
    }
  }

  /**
   * Whether to keep a sync message in parts about {@code docId}: yes for a document held here of a
   * space shared with the peer; no (followed, not kept) for one of a space shared earlier in this
   * session, or for a document not held here while the peer shares a space with this side (it is
   * asked for whole, as a SYNC about it would be).
   *
   * @throws PeerFault for anything else: the peer was never offered that document
   */
  private boolean admitSyncPart(String docId) throws PeerFault {
    Optional<DocumentRef> held = sync.document(docId);
    if (held.isPresent()) {
      SpaceId s = held.get().space();
      if (isShared(s)) {
        return true;
      }
      if (wasShared(s)) {
        return false;
      }
      throw new PeerFault("sync message in parts about " + docId + ", not offered to it");
    }
    if (!sharesAny()) {
      throw new PeerFault("sync message in parts about " + docId + ", not offered to it");
    }
    askForUnknown(docId);
    return false;
  }

  /** Goes on if a transfer started; a cap it would exceed ends the session without penalty. */
  private void started(InboundTransfers.Refusal r, String what) throws Overloaded {
    switch (r) {
      case NONE -> {}
      case PEER_CAP ->
          throw new Overloaded(
              what
                  + " would make the peer's transfers in progress exceed "
                  + service.config().maxBufferedPerPeer()
                  + " bytes");
      case NODE_CAP ->
          throw new Overloaded(
              what
                  + " would make all transfers in progress exceed "
                  + service.config().maxBufferedTotal()
                  + " bytes");
    }
  }

  private void onSnapshot(SyncFrame.Snapshot s)
      throws PeerFault, Overloaded, ProtocolViolationException {
    InboundTransfers.Transfer t = inbound.get(InboundTransfers.Kind.SNAPSHOT, s.docId());
    if (t == null) {
      if (s.offset() != 0) {
        throw new PeerFault("snapshot of " + s.docId() + " does not start at 0");
      }
      startSnapshot(s);
      t = inbound.get(InboundTransfers.Kind.SNAPSHOT, s.docId());
    } else if (!t.space.equals(s.space()) || t.docKind != s.kind()) {
      throw new PeerFault("snapshot chunk of " + s.docId() + " out of order");
    }
    byte[] all =
        inbound.add(InboundTransfers.Kind.SNAPSHOT, s.docId(), s.total(), s.offset(), s.chunk());
    if (t.keep) {
      service.progress(remote, s.docId(), true, t.received(), t.total);
    }
    if (all == null || all.length == 0) {
      return;
    }
    DocumentRef ref = new DocumentRef(s.docId(), s.kind(), s.space());
    if (t.merge) {
      merge(ref, all);
      return;
    }
    try {
      sync.importSnapshot(peer, ref, all, attestationsFrom(ref.id()), authors(ref));
      LOG.debug("Received {} {} of {} from {}", ref.kind().wireName(), ref.id(), s.space(), peer);
    } catch (PeerDataException e) {
      if (!e.penalised()) {
        refused(ref, e);
        return;
      }
      throw new PeerFault("bad snapshot of " + ref.id() + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      // Arrived meanwhile from another peer or session (e.g. the one this session replaces, as a
      // relayed connection gives way to a hole-punched one). Go on as after an import: the session
      // that imported it may have ended before asking for the rest of the space.
      LOG.debug("{} {} from {} was here already", ref.kind().wireName(), ref.id(), peer);
    } finally {
      // Only now: until the document is here, the writer (requestMissing) must not ask again, or
      // a second copy arrives (and, held by then, is merged for nothing).
      synchronized (this) {
        needed.remove(s.docId());
      }
    }
    if (ref.kind() == DocumentRef.Kind.SPACE) {
      requestMissing(ref.space());
    }
    if (ref.kind() == DocumentRef.Kind.SPACE || ref.kind() == DocumentRef.Kind.MEMBERS) {
      retryUnknown();
    }
  }

  /**
   * Spec, step 3: a document whose changes do not fit a sync message arrives whole and is merged
   * into the one held here, every change of its history checked as for a snapshot imported.
   */
  private void merge(DocumentRef ref, byte[] snapshot) throws PeerFault {
    try {
      boolean changed =
          sync.mergeSnapshot(peer, ref, snapshot, attestationsFrom(ref.id()), authors(ref));
      LOG.debug(
          "Merged {} {} from {} (changed: {})", ref.kind().wireName(), ref.id(), peer, changed);
    } catch (PeerDataException e) {
      if (!e.penalised()) {
        refused(ref, e);
        return;
      }
      throw new PeerFault("bad snapshot of " + ref.id() + ": " + e.getMessage());
    } catch (NoSuchElementException e) {
      return; // gone meanwhile
    }
    queue(ref.id()); // the sync goes on from here: the sender waits to hear from this side
  }

  /**
   * Admits a snapshot at its first chunk (spec, "Transfers in parts"): one asked for by NEED is
   * kept; one of a document held here, of a space shared with the peer, is kept to be merged (its
   * changes did not fit a sync message), unless the storage kept for others is full; one of a space
   * shared earlier in this session is followed, not kept; anything else was never offered to the
   * peer.
   */
  private void startSnapshot(SyncFrame.Snapshot s) throws PeerFault, Overloaded {
    SyncFrame.Need asked;
    synchronized (this) {
      asked = needed.get(s.docId());
    }
    boolean keep = asked != null && asked.space().equals(s.space()) && asked.kind() == s.kind();
    boolean merge = false;
    if (!keep) {
      Optional<DocumentRef> held = sync.document(s.docId());
      if (held.isEmpty()) {
        throw new PeerFault("snapshot of " + s.docId() + " that was not asked for");
      }
      SpaceId space = held.get().space();
      if (isShared(space)) {
        if (!space.equals(s.space()) || held.get().kind() != s.kind()) {
          throw new PeerFault("snapshot of " + s.docId() + " as another kind or space");
        }
        merge = service.quota().mayRequest(remote, space, s.kind());
        keep = merge;
      } else if (!wasShared(space)) {
        throw new PeerFault("snapshot of " + s.docId() + ", not offered to it");
      }
    }
    if (inbound.count(InboundTransfers.Kind.SNAPSHOT) >= maxSnapshots) {
      throw new PeerFault("more than " + maxSnapshots + " snapshots at once");
    }
    if (keep && !merge) {
      boolean created = listedNew.remove(s.docId());
      check(service.quota().newDocument(remote, s.space(), s.kind(), s.total(), created));
    }
    started(
        inbound.start(
            InboundTransfers.Kind.SNAPSHOT, s.docId(), s.space(), s.kind(), s.total(), keep, merge),
        "a snapshot of " + s.total() + " bytes");
  }

  // ---------------------------------------------------------------- what to send

  /**
   * The store changed {@code ref}: queue it if shared, re-check the offer if membership changed.
   */
  synchronized void changed(DocumentRef ref) {
    if (ended) {
      return;
    }
    if (ref.kind() == DocumentRef.Kind.MEMBERS) {
      recheckOffer = true;
      notifyAll();
    }
    SyncFrame.Need w = wanted.remove(ref.id());
    if (w != null
        && w.space().equals(ref.space())
        && w.kind() == ref.kind()
        && offeredToRemote.contains(ref.space())) {
      serve(w);
    }
    if (offeredToRemote.contains(ref.space()) && offeredByRemote.contains(ref.space())) {
      if (ref.kind() == DocumentRef.Kind.MEMBERS) {
        // Ahead of everything queued: a ban or a removal reaches the peer before pages made after
        // it, so a member relaying both stops serving the banned peer before it holds them.
        turns.addFirst(new Turn(ref.id(), false));
      } else {
        turns.add(new Turn(ref.id(), false));
      }
      notifyAll();
    }
  }

  /** The user accepted {@code space} from this peer: ask for it if the peer offered it. */
  void accepted(SpaceId space) {
    boolean offered;
    synchronized (this) {
      offered = offeredByRemote.contains(space);
    }
    if (offered) {
      requestMissing(space);
    }
  }

  private synchronized boolean isShared(SpaceId s) {
    return offeredToRemote.contains(s) && offeredByRemote.contains(s);
  }

  private synchronized boolean isOfferedToRemote(SpaceId s) {
    return offeredToRemote.contains(s);
  }

  private synchronized void queue(String docId) {
    turns.add(new Turn(docId, false));
    notifyAll();
  }

  /** Both sides offer {@code s}: sync every document of it held here, ask for the others. */
  private void startSharing(SpaceId s) {
    List<DocumentRef> docs = sync.documents(s); // index, membership, pages
    synchronized (this) {
      for (DocumentRef d : docs) {
        turns.add(new Turn(d.id(), false));
      }
      notifyAll();
    }
    requestMissing(s);
  }

  /** Asks for what of {@code s} is not here: index first, then membership and listed pages. */
  private void requestMissing(SpaceId s) {
    if (sync.document(s.value()).isEmpty()) {
      need(s.value(), s, DocumentRef.Kind.SPACE);
      return;
    }
    String members = SyncMessages.membershipDocId(s);
    if (sync.document(members).isEmpty()) {
      need(members, s, DocumentRef.Kind.MEMBERS);
    }
    String moderation = SyncMessages.moderationDocId(s);
    if (sync.document(moderation).isEmpty()) {
      need(moderation, s, DocumentRef.Kind.MODERATION);
    }
    for (String page : sync.listedPages(s)) {
      if (sync.document(page).isEmpty()) {
        need(page, s, DocumentRef.Kind.PAGE);
      }
    }
  }

  /** Sends NEED unless already waiting for that document or the quota says no. */
  private void need(String docId, SpaceId space, DocumentRef.Kind kind) {
    synchronized (this) {
      if (ended || needed.containsKey(docId)) {
        return;
      }
    }
    if (!service.quota().mayRequest(remote, space, kind)) {
      LOG.debug("Not asking {} for {} of {}: over quota", peer, docId, space);
      return;
    }
    SyncFrame.Need n = new SyncFrame.Need(docId, space, kind);
    synchronized (this) {
      if (ended || needed.containsKey(docId)) {
        return;
      }
      needed.put(docId, n);
      control.add(n);
      notifyAll();
    }
  }

  /** Starts serving NEEDs up to the limit of snapshots at once. */
  private void startSnapshots() {
    while (sending.size() < maxSnapshots && !toServe.isEmpty()) {
      SyncFrame.Need n = toServe.poll();
      sending.put(n.docId(), new Outgoing(n));
      turns.add(new Turn(n.docId(), true));
    }
    notifyAll();
  }

  /**
   * Called by the service's watchdog (any thread): a transfer in parts is in progress and the
   * reader has waited longer than the stall timeout for the peer's next byte. The transfer is
   * dropped (the stream is reset), the peer penalised, and what this session was waiting for
   * (NEEDs) is asked of another peer that offers its space.
   *
   * @return whether the session stalled
   */
  boolean checkStall(long nowNanos) {
    WatchedInput in = input;
    if (in == null || isEnded() || !inbound.inProgress()) {
      return false;
    }
    long waited = in.waitingNanos(nowNanos);
    if (waited < service.config().stallTimeout().toNanos()) {
      return false;
    }
    List<SyncFrame.Need> pending;
    synchronized (this) {
      pending = List.copyOf(needed.values());
      needed.clear();
    }
    inbound.clear();
    fault(
        "a transfer made no progress for "
            + service.config().stallTimeout().toSeconds()
            + " s (stalled)");
    service.askElsewhere(this, pending);
    return true;
  }

  /**
   * Another session's peer stalled while sending what {@code n} asked for: ask this peer if it
   * offers that space and this side shares or accepts it (the user accepted the space).
   */
  void askAgain(SyncFrame.Need n) {
    synchronized (this) {
      if (ended || !offeredByRemote.contains(n.space())) {
        return;
      }
    }
    if (sync.document(n.docId()).isPresent()) {
      return; // arrived meanwhile
    }
    need(n.docId(), n.space(), n.kind());
  }

  /** Ends the session with BYE (from any thread). */
  void bye(int code, String message) {
    synchronized (this) {
      if (closing || ended) {
        return;
      }
      closing = true;
      control.clear();
      control.add(new SyncFrame.Bye(code, message));
      notifyAll();
    }
  }

  /**
   * Ends a session that a newer one replaces, and waits briefly for its writer, so that it does not
   * generate messages from the sync states the new session starts afresh.
   */
  void replace() {
    abort("replaced by a newer session");
    Thread w = writer;
    if (w != null && w != Thread.currentThread()) {
      try {
        w.join(java.time.Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Resets the stream and ends the session (from any thread). */
  void abort(String reason) {
    synchronized (this) {
      reset = true;
    }
    finish(reason); // first: the peer may open a new stream as soon as it sees the reset
    stream.reset();
  }

  /**
   * Applies a quota verdict on the reader thread: a rejection is a peer fault; a throttle stops
   * reading this peer's stream for the time given (or until the session ends); returns false for a
   * decline (leave the input out, no penalty).
   */
  private boolean check(PeerQuota.Verdict v) throws PeerFault {
    switch (v.kind()) {
      case ACCEPT -> {}
      case REJECT -> throw new PeerFault(v.reason());
      case THROTTLE -> pause(v.delay().toMillis());
      case DECLINE -> {
        return false;
      }
    }
    return true;
  }

  private void pause(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    long left = millis;
    while (left > 0) {
      synchronized (this) {
        if (ended) {
          return;
        }
        try {
          wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      long asked = service.quota().throttledFor(remote).toMillis();
      deadline = Math.min(deadline, System.currentTimeMillis() + asked);
      left = deadline - System.currentTimeMillis();
    }
  }

  private synchronized boolean isEnded() {
    return ended;
  }

  private String fault(String reason) {
    LOG.warn("Sync with {}: {}; resetting the stream", peer, reason);
    synchronized (this) {
      reset = true;
    }
    finish(reason);
    service.penalize(remote, reason); // counted before the peer sees the reset
    stream.reset();
    return reason;
  }

  private void finish(String reason) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      notifyAll();
    }
    service.ended(this, reason);
  }

  // ---------------------------------------------------------------- writing

  private void writeLoop() {
    try {
      while (true) {
        SyncFrame frame;
        Turn turn = null;
        boolean recheck;
        boolean idle;
        synchronized (this) {
          idle = !ended && control.isEmpty() && turns.isEmpty() && !recheckOffer;
        }
        if (idle) {
          flushOut();
        }
        synchronized (this) {
          while (!ended && control.isEmpty() && turns.isEmpty() && !recheckOffer) {
            wait();
          }
          if (ended) {
            break;
          }
          recheck = recheckOffer && !closing;
          recheckOffer = false;
          frame = recheck ? null : control.poll();
          if (!recheck && frame == null && !closing) {
            Iterator<Turn> it = turns.iterator();
            turn = it.next();
            it.remove();
          }
        }
        if (recheck) {
          sendHello();
        } else if (frame != null) {
          write(frame);
          if (frame instanceof SyncFrame.Bye) {
            flushOut();
            finish("said goodbye");
            break;
          }
        } else if (turn != null) {
          take(turn);
        }
      }
    } catch (IOException e) {
      if (!isEnded()) {
        LOG.debug("Sync with {}: write failed: {}", peer, e.toString());
        abort("write failed: " + e.getMessage());
      }
    } catch (InterruptedException e) {
      abort("interrupted");
    } catch (RuntimeException e) {
      LOG.warn("Sync with {}: writer failed", peer, e);
      abort("internal error: " + e);
    } finally {
      boolean graceful;
      synchronized (this) {
        graceful = !reset;
      }
      if (graceful) {
        try {
          stream.close();
        } catch (IOException e) {
          stream.reset();
        }
      }
    }
  }

  // Writer thread only: when the last HELLO was sent (System.nanoTime()), 0 before the first.
  private long lastHello;

  /**
   * Waits until a HELLO may follow the last one (spec, "HELLO floods": the peer takes one per
   * {@link SyncConfig#helloInterval} after a burst; an honest side sends them no faster, so that
   * joining many spaces at once never looks like a flood). Offers changed meanwhile go in one
   * HELLO.
   */
  private void paceHello() throws InterruptedException {
    if (lastHello == 0) {
      return;
    }
    long due = lastHello + service.config().helloInterval().toNanos();
    synchronized (this) {
      long left;
      while (!ended && (left = due - System.nanoTime()) > 0) {
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Spec, step 1 (and again whenever the set of spaces offered to the peer changes). */
  private void sendHello() throws IOException, InterruptedException {
    paceHello();
    Set<SpaceId> now = new LinkedHashSet<>();
    for (SpaceId s : policy.spacesFor(remote)) {
      if (now.size() == SyncFrameCodec.MAX_HELLO_SPACES) {
        LOG.warn("More than {} spaces shared with {}", now.size(), peer);
        break;
      }
      now.add(s);
    }
    Set<SpaceId> added;
    boolean nothingLeft;
    synchronized (this) {
      if (helloSent && now.equals(offeredToRemote)) {
        return;
      }
      nothingLeft = helloSent && !offeredToRemote.isEmpty() && now.isEmpty();
      added = new LinkedHashSet<>(now);
      added.removeAll(offeredToRemote);
      added.retainAll(offeredByRemote);
      offeredToRemote = Set.copyOf(now);
      noteShared();
      helloSent = true;
    }
    write(new SyncFrame.Hello(SyncFrameCodec.VERSION, List.copyOf(now)));
    lastHello = System.nanoTime();
    if (nothingLeft) {
      // Spec, step 7: the peer was removed from (or banned in) the last space shared with it.
      bye(SyncService.BYE_NOTHING_SHARED, "no space is shared with you any more");
      return;
    }
    for (SpaceId s : added) {
      startSharing(s);
    }
  }

  private void take(Turn turn) throws IOException {
    if (turn.snapshot()) {
      sendChunk(turn.docId());
      return;
    }
    synchronized (this) {
      if (bootstrapped.contains(turn.docId())) {
        return; // spec, step 4: the peer starts the sync of a document sent as a snapshot
      }
    }
    Optional<DocumentRef> ref = sync.document(turn.docId());
    if (ref.isEmpty() || !isShared(ref.get().space())) {
      return;
    }
    Optional<byte[]> msg;
    try {
      msg = sync.generateMessage(peer, turn.docId(), syncSession);
    } catch (NoSuchElementException e) {
      return;
    }
    if (msg.isEmpty()) {
      return;
    }
    byte[] last = lastSent.get(turn.docId());
    if (last != null && java.util.Arrays.equals(last, msg.get())) {
      // Spec, step 3: the peer has this message already. A sync state the store reloaded from
      // disk (its document was evicted from the cache) forgets what it sent and yields the same
      // message again; with more documents than the cache holds, two peers ping-ponged these
      // forever.
      return;
    }
    if (msg.get().length <= REMEMBER_SYNC && !SyncMessages.carriesChanges(msg.get())) {
      lastSent.put(turn.docId(), msg.get());
    } else {
      lastSent.remove(turn.docId());
    }
    if (msg.get().length > service.config().maxSyncMessage()) {
      // Spec, step 3: sent whole instead, for the peer to merge; it then syncs on from there.
      LOG.info(
          "The sync message for {} to {} is {} bytes, more than the protocol carries: sending the"
              + " document whole",
          turn.docId(),
          peer,
          msg.get().length);
      serve(new SyncFrame.Need(turn.docId(), ref.get().space(), ref.get().kind()));
      return;
    }
    if (SyncMessages.carriesChanges(msg.get())) {
      sendAttestations(turn.docId());
    }
    for (SyncFrame f : SyncFrameCodec.syncFrames(turn.docId(), msg.get())) {
      write(f);
    }
  }

  private void sendChunk(String docId) throws IOException {
    Outgoing o;
    synchronized (this) {
      o = sending.get(docId);
    }
    if (o == null) {
      return;
    }
    if (!isOfferedToRemote(o.need.space())) {
      notSent(docId); // no longer offered (our HELLO said so first)
      return;
    }
    if (o.bytes == null) {
      // Snapshot and attestations from one turn on the document's lane: an edit between them
      // would leave the newest attestation naming a change the snapshot lacks.
      org.dure.store.sync.StoreSync.AttestedSnapshot snap = snapshotOrNull(docId);
      if (snap == null
          || snap.snapshot().length == 0
          || snap.snapshot().length > SyncFrameCodec.MAX_SNAPSHOT) {
        notSent(docId);
        return;
      }
      o.bytes = snap.snapshot();
      sentAtts.remove(docId); // the peer gets the whole history: all its attestations
      sendAttestations(docId, snap.attestations());
    }
    int n = Math.min(chunkSize, o.bytes.length - o.offset);
    byte[] chunk = new byte[n];
    System.arraycopy(o.bytes, o.offset, chunk, 0, n);
    write(
        new SyncFrame.Snapshot(
            docId, o.need.space(), o.need.kind(), o.bytes.length, o.offset, chunk));
    o.offset += n;
    service.progress(remote, docId, false, o.offset, o.bytes.length);
    if (o.offset < o.bytes.length) {
      synchronized (this) {
        turns.add(new Turn(docId, true));
      }
    } else {
      doneSending(docId);
    }
  }

  private org.dure.store.sync.StoreSync.AttestedSnapshot snapshotOrNull(String docId) {
    try {
      return sync.attestedSnapshot(docId);
    } catch (RuntimeException e) {
      LOG.warn("No snapshot of {} for {}", docId, peer, e);
      return null;
    }
  }

  /** The snapshot of {@code docId} will not be sent after all. */
  private synchronized void notSent(String docId) {
    bootstrapped.remove(docId);
    doneSending(docId);
  }

  private synchronized void doneSending(String docId) {
    sending.remove(docId);
    serving.remove(docId);
    startSnapshots();
  }

  private void write(SyncFrame f) throws IOException {
    pendingOut.writeBytes(SyncFrameCodec.encode(f));
    if (pendingOut.size() >= WRITE_BATCH) {
      flushOut();
    }
  }

  private void flushOut() throws IOException {
    if (pendingOut.size() == 0) {
      return;
    }
    var out = stream.outputStream();
    pendingOut.writeTo(out);
    pendingOut.reset();
    out.flush();
  }

  @Override
  public String toString() {
    return "SyncSession[" + peer + (dialer ? " dialled" : " accepted") + "]";
  }
}
