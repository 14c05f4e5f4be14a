package org.dure.net.sync;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.store.doc.StoreException;
import org.dure.store.format.InvalidAutomergeDataException;
import org.dure.store.format.SyncMessage;
import org.dure.store.format.SyncMessageStats;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one {@code /dure/sync/1.0.0} session ({@code docs/protocol/sync.md}),
 * without I/O: no threads, streams, sleeps or clocks of its own. Its shell ({@link SyncSession})
 * feeds it the peer's frames ({@link #receive}) and writes what it asks for ({@link #poll}); the
 * store is called synchronously through a {@link SyncStore}. What the shell must do with time is
 * returned as values: a throttle's pause ({@link Outcome.Pause}), when a HELLO may go ({@link
 * Output.WaitUntil}), when a transfer counts as stalled ({@link #stallDeadline}).
 *
 * <p>Threads: {@link #receive} and {@link #resume} are called by one reader, {@link #poll} by one
 * writer; {@link #changed}, {@link #accepted}, {@link #askAgain}, {@link #bye} and {@link
 * #checkStall} by any thread. What both sides share is in a {@link SessionState}; the store and the
 * policy are never called under its lock.
 */
final class SyncEngine {
  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

  /** Sync messages arriving in parts at once per session (spec: 4). */
  static final int MAX_SYNC_PARTS = 4;

  /** Pages a sync message listed as new that are remembered (for {@link PeerQuota#newDocument}). */
  private static final int MAX_LISTED_NEW = 10_000;

  /** Told of snapshot chunks going out and coming in (for a UI). */
  @FunctionalInterface
  interface Progress {
    void snapshot(String docId, boolean receiving, long done, long total);
  }

  /** What the shell does after the engine took a frame. */
  sealed interface Outcome {
    /** Read the next frame. */
    Outcome CONTINUE = new Continue();

    /** Read the next frame. */
    record Continue() implements Outcome {}

    /**
     * A quota throttles the peer: stop reading its stream for {@code delay} (or until the session
     * ends, or {@link PeerQuota#throttledFor} says less), then {@link #resume} this.
     */
    record Pause(Duration delay, Then then) implements Outcome {}

    /**
     * Reset the stream: the peer sent bad input ({@code penalise}), or more than this node takes.
     */
    record Reset(String reason, boolean penalise) implements Outcome {}

    /** The peer said goodbye: the session ends. */
    record End(String reason) implements Outcome {}
  }

  /** What is left of a frame's handling after a pause. */
  @FunctionalInterface
  interface Then {
    Outcome run() throws PeerFault, Overloaded, ProtocolViolationException;
  }

  /** What the writer does next ({@link #poll}). */
  sealed interface Output {
    /** Write these frames (possibly none), then poll again. */
    record Frames(List<SyncFrame> frames) implements Output {}

    /** Write this goodbye, flush, and end the session. */
    record Goodbye(SyncFrame.Bye bye) implements Output {}

    /** Poll again at {@code nanos} (nanoTime), or when woken. */
    record WaitUntil(long nanos) implements Output {}

    /** Flush; poll again when woken. */
    record Idle() implements Output {}

    /** The session ended: stop writing. */
    record Ended() implements Output {}
  }

  /** A transfer stalled ({@link #checkStall}): the NEEDs still pending, to ask elsewhere. */
  record Stall(String reason, List<SyncFrame.Need> pending) {}

  /** Bad input from the peer: the stream is reset and the peer penalised. */
  static final class PeerFault extends Exception {
    private static final long serialVersionUID = 1L;

    PeerFault(String message) {
      super(message, null, false, false);
    }
  }

  /** This node cannot take more from the peer now: the stream is reset without penalty. */
  static final class Overloaded extends Exception {
    private static final long serialVersionUID = 1L;

    Overloaded(String message) {
      super(message, null, false, false);
    }
  }

  private final PeerId remote;
  private final String peer;
  private final SyncStore store;
  private final SyncAccessPolicy policy;
  private final SyncConfig config;
  private final Supplier<PeerQuota> quota;
  private final Progress progress;
  private final SessionState state;
  private final InboundTransfers inbound;
  private final SyncSender sender;
  private final DocumentRequests requests;

  // Reader only: what the peer's HELLOs cost (spec, "HELLO").
  private final HelloGuard hellos;
  // Reader only: the attestations the peer sent.
  private final PeerAttestations attestations = new PeerAttestations();
  // Reader only: pages a sync message listed as new in their index (bounded).
  private final Set<String> listedNew = new HashSet<>();

  /**
   * The engine of a session with {@code remote}: {@code budget} bounds what all sessions buffer,
   * {@code quota} is asked for the current quota each time, {@code wake} is run whenever the writer
   * may have something to do or the session ended (on any thread, under the session's lock: it must
   * only signal); {@code ledger}, shared by the node's sessions, says which of them asks for which
   * document, its claims dated by {@code clock} (nanoTime).
   */
  SyncEngine(
      PeerId remote,
      SyncStore store,
      SyncAccessPolicy policy,
      SyncConfig config,
      TransferBudget budget,
      Supplier<PeerQuota> quota,
      Progress progress,
      Runnable wake,
      NeedLedger ledger,
      java.util.function.LongSupplier clock) {
    this.remote = remote;
    this.peer = remote.toString();
    this.store = store;
    this.policy = policy;
    this.config = config;
    this.quota = quota;
    this.progress = progress;
    this.state = new SessionState(config.maxConcurrentSnapshots(), wake);
    this.inbound =
        new InboundTransfers(
            budget, config.maxBufferedPerPeer(), MAX_SYNC_PARTS, config.maxConcurrentSnapshots());
    this.requests = new DocumentRequests(remote, store, state, quota, ledger, clock);
    this.sender = new SyncSender(remote, store, policy, state, requests, config, progress);
    this.hellos = new HelloGuard(config);
  }

  // ---------------------------------------------------------------- reading

  /** Takes one frame from the peer, at {@code now} (nanoTime). */
  Outcome receive(SyncFrame f, long now) {
    return outcome(() -> handle(f, now));
  }

  /** Goes on with a frame's handling after {@code pause}. */
  Outcome resume(Outcome.Pause pause) {
    return outcome(pause.then());
  }

  private static Outcome outcome(Then step) {
    try {
      return step.run();
    } catch (PeerFault | ProtocolViolationException e) {
      return new Outcome.Reset(e.getMessage(), true);
    } catch (Overloaded e) {
      return new Outcome.Reset(e.getMessage(), false);
    }
  }

  private Outcome handle(SyncFrame f, long now)
      throws PeerFault, Overloaded, ProtocolViolationException {
    return switch (f) {
      case SyncFrame.Hello h -> onHello(h, now);
      case SyncFrame.Sync s ->
          check(
              quota.get().messageSize(remote, s.message().length),
              () -> onSync(s.docId(), SyncMessage.of(s.message())));
      case SyncFrame.Need n -> onNeed(n);
      case SyncFrame.Snapshot s -> onSnapshot(s);
      case SyncFrame.SyncPart p -> onSyncPart(p);
      case SyncFrame.Attest a -> onAttest(a);
      case SyncFrame.Bye bye ->
          new Outcome.End("the peer said goodbye (" + bye.code() + ": " + bye.message() + ")");
    };
  }

  /** Spec, session step 2. */
  private Outcome onHello(SyncFrame.Hello h, long now) throws PeerFault {
    String tooMany = hellos.hello(now);
    if (tooMany != null) {
      throw new PeerFault(tooMany);
    }
    SessionState.PeerOffer offer = state.peerOffers(h.spaces());
    inbound.dropSpaces(offer.withdrawn());
    for (SpaceId s : offer.added()) {
      boolean held = store.document(s.value()).isPresent();
      if (held && state.isOfferedToRemote(s)) {
        requests.startSharing(s);
      } else if (policy.acceptsSpace(remote, s)) {
        // Not here, or not complete enough to offer back (a bootstrap cut short before the
        // membership arrived): ask for what is missing.
        requests.requestMissing(s);
      } else if (!state.isOfferedToRemote(s)) {
        String unknown = hellos.unknownSpace(s);
        if (unknown != null) {
          throw new PeerFault(unknown);
        }
      }
    }
    return Outcome.CONTINUE;
  }

  private Outcome onSync(String docId, SyncMessage message)
      throws PeerFault, Overloaded, ProtocolViolationException {
    Optional<DocumentRef> held = store.document(docId);
    if (held.isEmpty()) {
      requests.askForUnknown(docId);
      return Outcome.CONTINUE;
    }
    DocumentRef ref = held.get();
    if (state.heardOf(ref.id())) {
      // What was held back while the peer imported the snapshot (edits made meanwhile) goes out
      // now, whatever becomes of this message: one refused would otherwise queue no reply, and the
      // peer waits for one before it sends again.
      state.queue(ref.id());
    }
    if (!state.isShared(ref.space())) {
      LOG.debug("Sync from {} about {} of a space not shared with it: ignored", peer, ref.id());
      return Outcome.CONTINUE;
    }
    // Judged by who signed the changes (the store asks the policy per author), never by who sent
    // them: a member relays every signed change it holds.
    if (!message.carriesChanges()) {
      return apply(ref, message);
    }
    SyncMessageStats stats;
    try {
      stats = message.stats();
    } catch (InvalidAutomergeDataException e) {
      throw new PeerFault("bad sync message for " + ref.id() + ": " + e.getMessage());
    }
    PeerQuota.Verdict v = quota.get().changes(remote, ref.space(), stats);
    if (v.kind() == PeerQuota.Verdict.Kind.DECLINE) {
      LOG.debug("Sync message from {} about {} left out: over a quota", peer, ref.id());
      return Outcome.CONTINUE;
    }
    return check(v, () -> apply(ref, message));
  }

  private Outcome apply(DocumentRef ref, SyncMessage message) throws PeerFault {
    StoreSync.Received r;
    try {
      r = store.receiveMessage(ref, message, attestations.of(ref.id()));
    } catch (PeerDataException e) {
      if (!e.penalised()) {
        refused(ref, e);
        return Outcome.CONTINUE;
      }
      throw new PeerFault("bad sync message for " + ref.id() + ": " + e.getMessage());
    } catch (NoSuchElementException e) {
      return Outcome.CONTINUE; // gone meanwhile
    } catch (StoreException e) {
      throw e; // a local fault: the shell ends the session unpenalised
    } catch (RuntimeException e) {
      throw new PeerFault("Automerge refused the sync message for " + ref.id() + ": " + e);
    }
    state.queue(ref.id()); // our reply, if any
    for (String page : r.missingPages()) {
      if (listedNew.size() < MAX_LISTED_NEW) {
        listedNew.add(page);
      }
      requests.need(page, ref.space(), DocumentRef.Kind.PAGE);
    }
    if (r.changed()
        && (ref.kind() == DocumentRef.Kind.SPACE || ref.kind() == DocumentRef.Kind.MEMBERS)) {
      requests.retryUnknown();
    }
    return Outcome.CONTINUE;
  }

  /**
   * Changes from the peer that the space's rules refused: logged and reported; the peer is
   * penalised only when it sent its own change that it could tell breaks them (a member relaying
   * another's overstep, or two members briefly disagreeing about roles, is not to blame).
   */
  private void refused(DocumentRef ref, PeerDataException e) throws PeerFault {
    boolean ownOverstep = e.culprit() != null && e.culprit().peerId().equals(remote);
    LOG.info(
        "Changes from {} to {} {} refused{}: {}",
        peer,
        ref.kind().wireName(),
        ref.id(),
        ownOverstep ? " (its own)" : "",
        e.getMessage());
    quota.get().changesRefused(remote, ref.space(), e.getMessage());
    if (ownOverstep) {
      throw new PeerFault("sent its own change that breaks the space's rules: " + e.getMessage());
    }
  }

  private Outcome onNeed(SyncFrame.Need n) {
    if (!state.isOfferedToRemote(n.space())) {
      return Outcome.CONTINUE; // never say anything about a space the peer may not see
    }
    Optional<DocumentRef> ref = store.document(n.docId());
    if (ref.isEmpty()) {
      state.want(n); // served when it arrives here
    } else if (ref.get().space().equals(n.space()) && ref.get().kind() == n.kind()) {
      state.serve(n);
    }
    return Outcome.CONTINUE;
  }

  /**
   * Attestations for a document's changes, sent before the changes: kept (the newest per actor,
   * bounded) until the SYNC or SNAPSHOT they cover arrives. Checked there, not here.
   */
  private Outcome onAttest(SyncFrame.Attest a) throws PeerFault {
    if (admit(a.docId(), true, "attestations for ") == Admission.KEEP) {
      String tooMany = attestations.add(a.docId(), a.attestations());
      if (tooMany != null) {
        throw new PeerFault(tooMany);
      }
    }
    return Outcome.CONTINUE;
  }

  /** What becomes of input about a document that comes before its changes. */
  private enum Admission {
    /** Kept. */
    KEEP,
    /** Followed, not kept: the document's space was shared earlier in this session. */
    FOLLOW,
    /** Followed, not kept: not held here while the peer shares a space (asked for whole). */
    NOT_HELD
  }

  /**
   * What to do with what the peer sends about {@code docId} before its changes (attestations, a
   * sync message in parts): keep it for a document asked for by NEED (only if {@code askedCounts};
   * held here by now or not) or held here of a space shared with the peer; follow it without
   * keeping it for one of a space shared earlier in this session, or one not held here while the
   * peer shares a space (it is asked for whole, and comes with it all again).
   *
   * @throws PeerFault for anything else: the peer was never offered that document
   */
  private Admission admit(String docId, boolean askedCounts, String what) throws PeerFault {
    // Asked for by NEED: even if another session brought it meanwhile (held by now), the peer
    // sends what this session asked for.
    if (askedCounts && state.needed(docId) != null) {
      return Admission.KEEP;
    }
    Optional<DocumentRef> held = store.document(docId);
    if (held.isPresent()) {
      SpaceId s = held.get().space();
      if (state.isShared(s)) {
        return Admission.KEEP;
      }
      if (state.wasShared(s)) {
        return Admission.FOLLOW;
      }
      throw new PeerFault(what + docId + ", not offered to it");
    }
    if (!state.sharesAny()) {
      throw new PeerFault(what + docId + ", not offered to it");
    }
    return Admission.NOT_HELD;
  }

  /**
   * A large sync message arriving in parts (spec, "Transfers in parts"): admitted at its first
   * part, reassembled in order within the caps, then handled as one SYNC.
   */
  private Outcome onSyncPart(SyncFrame.SyncPart p)
      throws PeerFault, Overloaded, ProtocolViolationException {
    if (p.offset() != 0) {
      return syncPart(p);
    }
    if (inbound.get(InboundTransfers.Kind.PARTS, p.docId()) != null
        || inbound.count(InboundTransfers.Kind.PARTS) >= MAX_SYNC_PARTS) {
      throw new PeerFault("too many or restarted sync messages in parts");
    }
    Admission admitted = admit(p.docId(), false, "sync message in parts about ");
    if (admitted == Admission.NOT_HELD) {
      requests.askForUnknown(p.docId());
    }
    boolean keep = admitted == Admission.KEEP;
    Then start =
        () -> {
          started(
              inbound.start(
                  InboundTransfers.Kind.PARTS, p.docId(), null, null, p.total(), keep, false),
              "a sync message of " + p.total() + " bytes");
          return syncPart(p);
        };
    return keep ? check(quota.get().messageSize(remote, p.total()), start) : start.run();
  }

  private Outcome syncPart(SyncFrame.SyncPart p)
      throws PeerFault, Overloaded, ProtocolViolationException {
    byte[] all =
        inbound.add(InboundTransfers.Kind.PARTS, p.docId(), p.total(), p.offset(), p.chunk());
    if (all != null && all.length > 0) {
      return onSync(p.docId(), SyncMessage.of(all));
    }
    return Outcome.CONTINUE;
  }

  /** Goes on if a transfer started; a cap it would exceed ends the session without penalty. */
  private void started(InboundTransfers.Refusal r, String what) throws Overloaded {
    switch (r) {
      case NONE -> {}
      case PEER_CAP ->
          throw new Overloaded(
              what
                  + " would make the peer's transfers in progress exceed "
                  + config.maxBufferedPerPeer()
                  + " bytes");
      case NODE_CAP ->
          throw new Overloaded(
              what
                  + " would make all transfers in progress exceed "
                  + config.maxBufferedTotal()
                  + " bytes");
    }
  }

  private Outcome onSnapshot(SyncFrame.Snapshot s)
      throws PeerFault, Overloaded, ProtocolViolationException {
    InboundTransfers.Transfer t = inbound.get(InboundTransfers.Kind.SNAPSHOT, s.docId());
    if (t == null) {
      if (s.offset() != 0) {
        throw new PeerFault("snapshot of " + s.docId() + " does not start at 0");
      }
      return startSnapshot(s);
    }
    if (!t.space.equals(s.space()) || t.docKind != s.kind()) {
      throw new PeerFault("snapshot chunk of " + s.docId() + " out of order");
    }
    return snapshotChunk(s, t);
  }

  /**
   * Admits a snapshot at its first chunk (spec, "Transfers in parts"): one asked for by NEED is
   * kept; one of a document held here, of a space shared with the peer, is kept to be merged (its
   * changes did not fit a sync message), unless the storage kept for others is full; one of a space
   * shared earlier in this session is followed, not kept; anything else was never offered to the
   * peer.
   */
  private Outcome startSnapshot(SyncFrame.Snapshot s)
      throws PeerFault, Overloaded, ProtocolViolationException {
    SyncFrame.Need asked = state.needed(s.docId());
    boolean keep = asked != null && asked.space().equals(s.space()) && asked.kind() == s.kind();
    boolean merge = false;
    if (!keep) {
      Optional<DocumentRef> held = store.document(s.docId());
      if (held.isEmpty()) {
        throw new PeerFault("snapshot of " + s.docId() + " that was not asked for");
      }
      SpaceId space = held.get().space();
      if (state.isShared(space)) {
        if (!space.equals(s.space()) || held.get().kind() != s.kind()) {
          throw new PeerFault("snapshot of " + s.docId() + " as another kind or space");
        }
        merge = quota.get().mayRequest(remote, space, s.kind());
        keep = merge;
      } else if (!state.wasShared(space)) {
        throw new PeerFault("snapshot of " + s.docId() + ", not offered to it");
      }
    }
    if (inbound.count(InboundTransfers.Kind.SNAPSHOT) >= config.maxConcurrentSnapshots()) {
      throw new PeerFault("more than " + config.maxConcurrentSnapshots() + " snapshots at once");
    }
    boolean kept = keep;
    boolean merged = merge;
    Then start =
        () -> {
          started(
              inbound.start(
                  InboundTransfers.Kind.SNAPSHOT,
                  s.docId(),
                  s.space(),
                  s.kind(),
                  s.total(),
                  kept,
                  merged),
              "a snapshot of " + s.total() + " bytes");
          return snapshotChunk(s, inbound.get(InboundTransfers.Kind.SNAPSHOT, s.docId()));
        };
    if (keep && !merge) {
      boolean created = listedNew.remove(s.docId());
      return check(quota.get().newDocument(remote, s.space(), s.kind(), s.total(), created), start);
    }
    return start.run();
  }

  private Outcome snapshotChunk(SyncFrame.Snapshot s, InboundTransfers.Transfer t)
      throws PeerFault, ProtocolViolationException {
    byte[] all =
        inbound.add(InboundTransfers.Kind.SNAPSHOT, s.docId(), s.total(), s.offset(), s.chunk());
    if (t.keep) {
      progress.snapshot(s.docId(), true, t.received(), t.total);
    }
    if (all == null || all.length == 0) {
      return Outcome.CONTINUE;
    }
    DocumentRef ref = new DocumentRef(s.docId(), s.kind(), s.space());
    if (t.merge) {
      merge(ref, all);
      return Outcome.CONTINUE;
    }
    try {
      store.importSnapshot(ref, all, attestations.of(ref.id()));
      LOG.debug("Received {} {} of {} from {}", ref.kind().wireName(), ref.id(), s.space(), peer);
    } catch (PeerDataException e) {
      if (!e.penalised()) {
        refused(ref, e);
        return Outcome.CONTINUE;
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
      requests.answered(s.docId());
    }
    if (ref.kind() == DocumentRef.Kind.SPACE) {
      requests.requestMissing(ref.space());
    }
    if (ref.kind() == DocumentRef.Kind.SPACE || ref.kind() == DocumentRef.Kind.MEMBERS) {
      requests.retryUnknown();
    }
    return Outcome.CONTINUE;
  }

  /**
   * Spec, step 3: a document whose changes do not fit a sync message arrives whole and is merged
   * into the one held here, every change of its history checked as for a snapshot imported.
   */
  private void merge(DocumentRef ref, byte[] snapshot) throws PeerFault {
    try {
      boolean changed = store.mergeSnapshot(ref, snapshot, attestations.of(ref.id()));
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
    state.queue(ref.id()); // the sync goes on from here: the sender waits to hear from this side
  }

  /**
   * Applies a quota verdict: a rejection is a peer fault; a throttle pauses before {@code then}; a
   * decline is taken as an accept here (only {@link PeerQuota#changes} declines, see onSync).
   */
  private static Outcome check(PeerQuota.Verdict v, Then then)
      throws PeerFault, Overloaded, ProtocolViolationException {
    return switch (v.kind()) {
      case ACCEPT, DECLINE -> then.run();
      case REJECT -> throw new PeerFault(v.reason());
      case THROTTLE -> new Outcome.Pause(v.delay(), then);
    };
  }

  /**
   * The store changed {@code ref}: queue it if shared, re-check the offer if membership changed.
   */
  void changed(DocumentRef ref) {
    state.changed(ref);
  }

  /** The user accepted {@code space} from this peer: ask for it if the peer offered it. */
  void accepted(SpaceId space) {
    requests.accepted(space);
  }

  /**
   * Another session's peer stalled while sending what {@code n} asked for: ask this peer if it
   * offers that space and this side shares or accepts it (the user accepted the space).
   */
  void askAgain(SyncFrame.Need n) {
    requests.askAgain(n);
  }

  // ---------------------------------------------------------------- writing

  /** What the writer does next, at {@code now} (nanoTime). */
  Output poll(long now) {
    return sender.poll(now);
  }

  // ---------------------------------------------------------------- time and ending

  /**
   * When the transfer in progress counts as stalled if the reader, waiting for the peer's next byte
   * since {@code waitingSince} (nanoTime; 0: not waiting), gets none: {@link Long#MAX_VALUE} if no
   * transfer is in progress or the reader is not waiting.
   */
  long stallDeadline(long waitingSince) {
    if (waitingSince == 0 || state.isEnded() || !inbound.inProgress()) {
      return Long.MAX_VALUE;
    }
    return waitingSince + config.stallTimeout().toNanos();
  }

  /**
   * At {@code now}, past the {@link #stallDeadline}: the transfers in progress are dropped and the
   * NEEDs not answered forgotten, to be asked of another peer; the shell resets the stream and
   * penalises the peer. Null if not stalled.
   */
  Stall checkStall(long now, long waitingSince) {
    long deadline = stallDeadline(waitingSince);
    if (deadline == Long.MAX_VALUE || now - deadline < 0) {
      return null;
    }
    List<SyncFrame.Need> pending = state.takeNeeded();
    requests.releaseAll();
    inbound.clear();
    return new Stall(
        "a transfer made no progress for " + config.stallTimeout().toSeconds() + " s (stalled)",
        pending);
  }

  /** Queues BYE ahead of everything; nothing is sent after it. */
  void bye(int code, String message) {
    state.bye(code, message);
  }

  /** Ends the session; whether this call ended it (any thread). */
  boolean end() {
    return state.end();
  }

  boolean isEnded() {
    return state.isEnded();
  }

  /** Releases what the peer's transfers in progress hold (the session is over). */
  void release() {
    inbound.clear();
    requests.releaseAll();
  }

  /** Bytes the peer's transfers in progress hold now. */
  long buffered() {
    return inbound.reserved();
  }
}
