package org.dure.store.sync;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.automerge.SyncState;
import org.dure.store.doc.Author;
import org.dure.store.doc.ClaimedAuthors;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Heads;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Automerge sync messages from peers: each is checked against the document's history
 * ({@link Untrusted}, the format validator) and the quarantine before Automerge sees it, its
 * changes' authorship against their attestations and the author policy ({@link
 * Attestations#cover}); changes whose signed history is not complete here are held back ({@link
 * IngestState#withheld}). An {@link InflightLog} record names the message while native code works
 * on it.
 */
final class MessageIngest {
  private static final Logger LOG = LoggerFactory.getLogger(MessageIngest.class);

  private final Documents docs;
  private final SyncSessions sessions;
  private final Offers offers;
  private final Attestations attestations;
  private final Quarantine quarantine;
  private final InflightLog inflight;
  private final IngestSettings settings;

  MessageIngest(
      Documents docs,
      SyncSessions sessions,
      Offers offers,
      Attestations attestations,
      Quarantine quarantine,
      InflightLog inflight,
      IngestSettings settings) {
    this.docs = docs;
    this.sessions = sessions;
    this.offers = offers;
    this.attestations = attestations;
    this.quarantine = quarantine;
    this.inflight = inflight;
    this.settings = settings;
  }

  /**
   * Applies a sync message from {@code peer} about a document held here, in sync session {@code
   * session}: a message that arrives for a session that is no longer the peer's current one is
   * dropped unapplied (the peer sends what it holds again in the new session).
   *
   * @throws PeerDataException if the message does not validate or is a known bad input (nothing
   *     changed)
   */
  StoreSync.Received receive(
      String peer,
      String docId,
      SyncMessage parsed,
      Collection<Attestation> attestations,
      AuthorPolicy authors,
      long session)
      throws PeerDataException {
    byte[] message = parsed.bytes();
    Untrusted.Limits limits = settings.limits();
    if (message.length > limits.maxSyncMessage()) {
      throw new PeerDataException(
          "A sync message of " + message.length + " bytes exceeds " + limits.maxSyncMessage());
    }
    byte[] sha = Heads.sha256(message);
    quarantine.refuseInput(peer, docId, sha, "a sync message");
    DocumentRef ref =
        offers
            .document(docId)
            .orElseThrow(() -> new NoSuchElementException("No document " + docId));
    boolean[] changed = new boolean[1];
    InflightLog.Entry[] inFlight = new InflightLog.Entry[1];
    Set<String> missing;
    try {
      missing =
          docs.withDocument(
              docId,
              live -> {
                IngestState ingest = IngestState.of(live);
                if (!sessions.isCurrent(peer, session)) {
                  return null; // a session that ended: see isCurrent
                }
                Attestations.Coverage cover;
                try {
                  ingest.guard(authors);
                  DocumentContext ctx = ingest.context(live);
                  if (settings.validateSyncMessages()) {
                    Untrusted.checkSyncMessage(message, limits, ctx);
                  }
                  // Changes the document has (a member relaying what their author sent us
                  // too) are not judged again: Automerge ignores them.
                  List<ChangeHeader> arriving = ctx.lastNewChanges();
                  boolean wholeDocument = ctx.lastHadDocument();
                  ctx.forgetLastValidated();
                  try {
                    quarantine.refuseChanges(peer, docId, "a sync message", arriving);
                  } catch (PeerDataException e) {
                    ingest.formatContext = null; // it learned the refused changes
                    throw e;
                  }
                  inFlight[0] = InflightLog.Entry.syncMessage(peer, docId, sha, arriving, message);
                  if (wholeDocument) {
                    // Its changes cannot be checked one by one; a Dure peer never sends one
                    // (documents new to a peer go as SNAPSHOTs, with their attestations).
                    ingest.formatContext = null;
                    throw new PeerDataException(
                        "A sync message carrying a whole document for "
                            + docId
                            + ": refused (documents are sent as snapshots)");
                  }
                  cover = coverage(live, ingest, docId, arriving, attestations, authors);
                } catch (PeerDataException e) {
                  if (!e.penalised() && inFlight[0] != null) {
                    hearWithoutChanges(live, peer, session, parsed, inFlight[0]);
                  }
                  throw new Refused(e);
                }
                SyncState st = sessions.state(live, peer, session);
                Set<String> listedBefore = live.kind().listed(live.doc());
                // From here native code works on the message: the record names it until done.
                Path record = inflight.begin(inFlight[0]);
                try {
                  try {
                    apply(live, ingest, st, parsed, cover);
                  } catch (PeerDataException e) {
                    throw new Refused(e);
                  }
                  changed[0] = persistSynced(docs, live, peer, verifiedAuthors(cover));
                  keepAttestations(cover);
                  sessions.save(peer, docId, st);
                  Set<String> now = changed[0] ? live.kind().listed(live.doc()) : Set.of();
                  if (!now.isEmpty()) {
                    now = new HashSet<>(now);
                    now.removeAll(listedBefore);
                  }
                  return now;
                } finally {
                  inflight.end(record);
                }
              });
    } catch (Refused e) {
      throw e.reason;
    }
    if (missing == null) {
      return new StoreSync.Received(false, Set.of()); // the session ended meanwhile
    }
    Set<String> notHeld = new HashSet<>();
    for (String id : missing) {
      if (!docs.exists(id)) {
        notHeld.add(id);
      }
    }
    if (changed[0]) {
      offers.fire(ref, Optional.of(peer));
    }
    return new StoreSync.Received(changed[0], notHeld);
  }

  /**
   * Hears what a message whose changes the rules refused says besides them: the peer's heads, what
   * it has and needs. Refused whole, a message from a peer that holds a refused change (a reader
   * who edited, an editor demoted while offline) can be the first this side hears from it in a
   * session: Automerge would then never learn what the peer has, and never send it this side's
   * changes.
   */
  private void hearWithoutChanges(
      LiveDocument live, String peer, long session, SyncMessage message, InflightLog.Entry entry) {
    byte[] bare = message.withoutChanges();
    if (bare == null) {
      return;
    }
    SyncState st = sessions.state(live, peer, session);
    Path record = inflight.begin(entry);
    try {
      live.doc().receiveSyncMessage(st, bare);
    } finally {
      inflight.end(record);
    }
    sessions.save(peer, live.id(), st);
  }

  /** Checks the authorship of arriving changes (and of changes withheld before); null if none. */
  private Attestations.Coverage coverage(
      LiveDocument live,
      IngestState ingest,
      String docId,
      List<ChangeHeader> arriving,
      Collection<Attestation> offered,
      AuthorPolicy authors)
      throws PeerDataException {
    LOG.debug(
        "{}: {} arriving changes, {} withheld, {} attestations offered",
        docId,
        arriving.size(),
        ingest.withheld.size(),
        offered.size());
    if (arriving.isEmpty() && ingest.withheld.isEmpty()) {
      return null;
    }
    DocumentContext ctx = ingest.formatContext;
    ingest.queued.keySet().removeIf(h -> ctx.knows(h.array()));
    List<Attestation> all = new ArrayList<>(offered);
    all.addAll(attestations.forDocument(docId));
    List<ChangeHeader> pending = new ArrayList<>(arriving);
    pending.addAll(ingest.withheld.values());
    pending.addAll(ingest.queued.values());
    try (ViewsAtDeps asSeen = new ViewsAtDeps(live.doc(), ctx::knows, pending)) {
      refuseSecondRoot(live, arriving, ctx);
      return Attestations.cover(
          docId, arriving, ingest.withheld, ingest.queued, ctx::knows, all, authors, asSeen);
    } catch (PeerDataException e) {
      ingest.formatContext = null; // it learned the refused changes: rebuild it from the document
      throw e;
    }
  }

  /**
   * A document that one peer creates once (a space's index, membership and moderation records) has
   * one change without dependencies, its creation. Another one would start a rival history beside
   * it (a second {@code owner}, a second member map), which rules judged at a change's dependencies
   * could not stop: the author of such a change saw nothing. An honest node never holds one, so
   * none relays one: the sender is penalised.
   */
  private static void refuseSecondRoot(
      LiveDocument live, List<ChangeHeader> arriving, DocumentContext ctx)
      throws PeerDataException {
    if (!live.kind().hasOneRoot()) {
      return;
    }
    for (ChangeHeader c : arriving) {
      if (c.deps().isEmpty() && !ctx.knows(c.hash())) {
        throw new PeerDataException(
            "A second first change of "
                + live.kind().key()
                + " document "
                + live.id()
                + ": refused (only its creator starts it, once)");
      }
    }
  }

  /**
   * Applies a validated sync message whose changes {@code cover} decided on: as it is when all its
   * changes are covered, else its covered changes alone and then the message without changes (so
   * Automerge still hears the peer's heads, needs and haves); then withheld changes now covered.
   */
  private void apply(
      LiveDocument live,
      IngestState ingest,
      SyncState st,
      SyncMessage message,
      Attestations.Coverage cover)
      throws PeerDataException {
    if (cover == null) {
      live.doc().receiveSyncMessage(st, message.bytes());
      return;
    }
    Set<ByteBuffer> pool = new HashSet<>(ingest.withheld.keySet());
    List<ChangeHeader> arriving = new ArrayList<>();
    List<ChangeHeader> fromPool = new ArrayList<>();
    for (ChangeHeader c : cover.covered()) {
      (pool.contains(ByteBuffer.wrap(c.hash())) ? fromPool : arriving).add(c);
    }
    boolean whole =
        cover.withheld().stream().allMatch(c -> pool.contains(ByteBuffer.wrap(c.hash())));
    if (whole) {
      live.doc().receiveSyncMessage(st, message.bytes());
    } else {
      ingest.formatContext = null; // it learned changes that are not applied now
      applyChanges(live, ingest, arriving);
      byte[] bare = message.withoutChanges();
      if (bare == null) {
        throw new PeerDataException("Unreadable sync message");
      }
      live.doc().receiveSyncMessage(st, bare);
    }
    applyChanges(live, ingest, fromPool);
    for (ChangeHeader c : cover.covered()) {
      ingest.withheld.remove(ByteBuffer.wrap(c.hash()));
    }
    long held = 0;
    for (ChangeHeader c : ingest.withheld.values()) {
      held += weight(c);
    }
    for (ChangeHeader c : cover.withheld()) {
      ByteBuffer h = ByteBuffer.wrap(c.hash());
      if (!ingest.withheld.containsKey(h) && held + weight(c) <= Attestations.MAX_WITHHELD_BYTES) {
        ingest.withheld.put(h, c);
        held += weight(c);
      }
    }
    if (!cover.withheld().isEmpty()) {
      LOG.info(
          "{} changes of {} held back until the history their author signed arrives",
          ingest.withheld.size(),
          live.id());
    }
    DocumentContext ctx = ingest.context(live);
    for (ChangeHeader c : cover.covered()) {
      ByteBuffer h = ByteBuffer.wrap(c.hash());
      if (!ctx.knows(c.hash()) && ingest.queued.size() < 10_000) {
        // Decided: what it writes is no longer needed.
        ingest.queued.put(
            h,
            c.writes() == null
                ? c
                : new ChangeHeader(
                    c.actor(),
                    c.seq(),
                    c.hash(),
                    c.deps(),
                    c.input(),
                    c.chunkStart(),
                    c.chunkEnd()));
      }
    }
  }

  /**
   * What a withheld change counts against {@link Attestations#MAX_WITHHELD_BYTES}: its chunk, and
   * the places it writes (kept with it until it is decided).
   */
  private static long weight(ChangeHeader c) {
    return c.chunkLength() + (c.writes() == null ? 0 : 128L * c.writes().size());
  }

  /** Validates change chunks through the document's context and applies them. */
  private static void applyChanges(
      LiveDocument live, IngestState ingest, List<ChangeHeader> changes) throws PeerDataException {
    if (changes.isEmpty()) {
      return;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (ChangeHeader c : changes) {
      out.write(c.input(), c.chunkStart(), c.chunkLength());
    }
    byte[] bytes = out.toByteArray();
    try {
      org.dure.store.format.AutomergeFormat.validateChanges(
          bytes, org.dure.store.format.Limits.defaults(), ingest.context(live));
    } catch (org.dure.store.format.InvalidAutomergeDataException e) {
      ingest.formatContext = null;
      throw new PeerDataException("Invalid changes: " + e.getMessage(), e);
    }
    ingest.formatContext.forgetLastValidated();
    live.doc().applyEncodedChanges(bytes);
  }

  private static Set<Author> verifiedAuthors(Attestations.Coverage cover) {
    return cover == null ? Set.of() : cover.authors();
  }

  private void keepAttestations(Attestations.Coverage cover) {
    if (cover == null || cover.used().isEmpty()) {
      return;
    }
    docs.lazyTransaction(
        d -> {
          Attestations.save(d, cover.used());
          return null;
        });
  }

  /** Carries a refusal out of a lane task. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient PeerDataException reason;

    Refused(PeerDataException reason) {
      super(reason.getMessage(), reason, false, false);
      this.reason = reason;
    }
  }

  /**
   * Persists what a peer's input changed in {@code live} (on its lane), with {@code verified} as
   * the proven authors of the new version, and brings the document's listing up to date ({@link
   * DocumentKind#afterMerge}). Returns whether anything changed.
   */
  static boolean persistSynced(
      Documents docs, LiveDocument live, String peer, Set<Author> verified) {
    var meta = docs.received("Synced with " + shortPeer(peer));
    Sql.OnCommit listing = live.kind().afterMerge(live, meta.time().toEpochMilli());
    OptionalLong seq =
        docs.persistExternal(
            live,
            meta,
            listing.andThen((d, s) -> ClaimedAuthors.markVerified(d, live.id(), s, verified)));
    live.atLeastOps(live.kind().textLength(live.doc()));
    return seq.isPresent();
  }

  /** The last 8 characters of a peer ID, for messages. */
  static String shortPeer(String peer) {
    return peer.length() > 8 ? "…" + peer.substring(peer.length() - 8) : peer;
  }
}
