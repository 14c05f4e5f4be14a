package org.dure.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.SyncMessagePeek;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(StoreSync.class);

  /** Called after a document changed: by a local edit ({@code fromPeer} empty) or by sync. */
  public interface Listener {
    void changed(DocumentRef doc, Optional<String> fromPeer);
  }

  /** The outcome of a received sync message. */
  public record Received(boolean changed, Set<String> missingPages) {}

  private final WikiStore store;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Long> sessions = new ConcurrentHashMap<>();

  /**
   * Automerge sync states per "peer/document", with the session they belong to. Kept here, not with
   * the document, so that a document leaving the memory cache (a large one can be evicted after
   * every use) does not take them along: reloaded from disk, a state keeps only the shared heads
   * and forgets what the peer said it has and needs, so the next message carries no changes and the
   * two sides could settle, idle, with a change never sent. Each entry is used only on its
   * document's lane.
   */
  private final ConcurrentHashMap<String, LiveDocument.PeerSyncState> syncStates =
      new ConcurrentHashMap<>();

  private final AtomicLong sessionCounter = new AtomicLong();
  private final Quarantine quarantine;
  private volatile NativeSandbox sandbox;
  private volatile Untrusted.Limits limits = Untrusted.Limits.DEFAULTS;
  // Profile and comments ids expected per space (see derivedDocument), dropped when its index or
  // membership changes.
  private final ConcurrentHashMap<SpaceId, Map<String, DocumentRef.Kind>> derived =
      new ConcurrentHashMap<>();
  private final AtomicLong derivedGeneration = new AtomicLong();

  StoreSync(WikiStore store, Quarantine quarantine, NativeSandbox sandbox) {
    this.store = store;
    this.quarantine = quarantine;
    this.sandbox = sandbox;
  }

  /**
   * The file the launcher ({@code ./dure}) creates in the data directory when the JVM died in
   * native code (abort or segmentation fault): only then is what was in native code blamed (see
   * {@link CrashRecovery}).
   */
  public static final String NATIVE_CRASH_MARKER = CrashRecovery.NATIVE_CRASH_MARKER;

  /**
   * Off only in tests that make native code crash on purpose (a child JVM that hands a committed
   * crasher to Automerge, to test what a crash leaves behind); the application never turns it off.
   */
  private volatile boolean validateSyncMessages = true;

  /** See {@link #validateSyncMessages}: for crash tests in this package only. */
  void handUnvalidatedSyncMessagesToNativeCodeForCrashTests() {
    validateSyncMessages = false;
  }

  /** Number of changes quarantined after they crashed native code (for tests, diagnostics). */
  int quarantinedChangeCount() {
    return quarantine.changeCount();
  }

  /** Replaces the sandbox snapshots from peers are first loaded in. */
  public void setSandbox(NativeSandbox sandbox) {
    this.sandbox = sandbox;
  }

  public void setLimits(Untrusted.Limits limits) {
    this.limits = limits;
  }

  public Untrusted.Limits limits() {
    return limits;
  }

  public AutoCloseable addListener(Listener l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  void fire(DocumentRef doc, Optional<String> fromPeer) {
    if (doc.kind() == DocumentRef.Kind.SPACE || doc.kind() == DocumentRef.Kind.MEMBERS) {
      derivedGeneration.incrementAndGet();
      derived.remove(doc.space());
    }
    for (Listener l : listeners) {
      try {
        l.changed(doc, fromPeer);
      } catch (RuntimeException e) {
        LOG.warn("A document listener failed", e);
      }
    }
  }

  // ---------------------------------------------------------------- what to offer

  /** Spaces held here whose membership lists {@code peerId}. */
  public List<SpaceId> spacesSharedWith(String peerId) {
    List<SpaceId> out = new ArrayList<>();
    for (Space s : store.spaces()) {
      try {
        if (store.membership(s.id()).isMember(peerId)) {
          out.add(s.id());
        }
      } catch (NoSuchElementException | DamagedDocumentException e) {
        // membership not here yet, or damaged: share nothing
      }
    }
    return out;
  }

  /**
   * The documents of the space held here: index, membership (if held), pages, then members'
   * profiles and pages' comments.
   */
  public List<DocumentRef> documents(SpaceId space) {
    return store
        .db()
        .read(
            d -> {
              List<DocumentRef> out = new ArrayList<>();
              PreparedStatement ps =
                  d.statement(
                      "SELECT id, kind FROM documents WHERE space_id = ? AND damaged IS NULL"
                          + " ORDER BY CASE kind WHEN 'space' THEN 0 WHEN 'members' THEN 1"
                          + " WHEN 'page' THEN 2 WHEN 'moderation' THEN 3 WHEN 'profile' THEN 4"
                          + " ELSE 5 END, id");
              ps.setString(1, space.value());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new DocumentRef(
                          rs.getString(1), DocumentRef.Kind.ofKey(rs.getString(2)), space));
                }
              }
              return out;
            });
  }

  /** The document with this id, if it is held here (and not damaged). */
  public Optional<DocumentRef> document(String docId) {
    return store
        .db()
        .read(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "SELECT kind, space_id FROM documents WHERE id = ? AND damaged IS NULL");
              ps.setString(1, docId);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return Optional.empty();
                }
                return Optional.of(
                    new DocumentRef(
                        docId,
                        DocumentRef.Kind.ofKey(rs.getString(1)),
                        new SpaceId(rs.getString(2))));
              }
            });
  }

  /** The page ids the space's index lists (held here or not). */
  public Set<String> listedPages(SpaceId space) {
    return store.lanes().withDocument(space.value(), live -> listed(live.doc));
  }

  /**
   * Whether {@code docId}, a document of {@code space} not held here, is one this side expects by
   * its derived id: a profile of a member the space's membership lists, or the comments of a page
   * the space's index lists. Empty if neither (or the index or membership is not here). The
   * expected ids are computed once per change of the space's index or membership.
   */
  public Optional<DocumentRef.Kind> derivedDocument(SpaceId space, String docId) {
    Map<String, DocumentRef.Kind> ids = derived.get(space);
    if (ids == null) {
      long generation = derivedGeneration.get();
      ids = computeDerived(space);
      if (derivedGeneration.get() == generation) {
        derived.put(space, ids);
      }
    }
    return Optional.ofNullable(ids.get(docId));
  }

  private Map<String, DocumentRef.Kind> computeDerived(SpaceId space) {
    Map<String, DocumentRef.Kind> out = new HashMap<>();
    if (!store.documentExists(space.value())) {
      return out;
    }
    try {
      for (String member : store.membership(space).members().keySet()) {
        out.put(Profiles.docId(space, member), DocumentRef.Kind.PROFILE);
      }
    } catch (NoSuchElementException | DamagedDocumentException e) {
      // no membership here yet: no profiles expected
    }
    try {
      for (String page : listedPages(space)) {
        out.put(Comments.docId(new PageId(page)), DocumentRef.Kind.COMMENTS);
      }
    } catch (NoSuchElementException | DamagedDocumentException e) {
      // index gone or damaged: no comments expected
    }
    return out;
  }

  private static Set<String> listed(Document doc) {
    Set<String> out = new HashSet<>();
    doc.get(ObjectId.ROOT, "pages")
        .filter(AmValue.Map.class::isInstance)
        .flatMap(m -> doc.keys(((AmValue.Map) m).getId()))
        .ifPresent(keys -> out.addAll(Arrays.asList(keys)));
    out.removeIf(k -> !Ids.FORMAT.matcher(k).matches());
    return out;
  }

  // ---------------------------------------------------------------- Automerge sync

  /**
   * Starts a new sync session with {@code peer} (a new connection): sync states are taken from what
   * was persisted, as Automerge requires after a reconnect.
   */
  public long startSession(String peer) {
    long session = sessionCounter.incrementAndGet();
    sessions.put(peer, session);
    return session;
  }

  /**
   * Ends sync session {@code session} with {@code peer} (its connection closed): the Automerge sync
   * states it held in memory are freed (what was agreed is kept in the database for the next
   * session), and calls still made with its token do nothing. Each state is freed on its document's
   * lane, after any task of the session still queued there.
   */
  public void endSession(String peer, long session) {
    sessions.remove(peer, session);
    String prefix = peer + "/";
    store
        .lanes()
        .onEveryLane(
            lane -> {
              var it = syncStates.entrySet().iterator();
              while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().startsWith(prefix)
                    && e.getValue().session() == session
                    && store.lanes().laneIndexOf(e.getKey().substring(prefix.length())) == lane) {
                  it.remove();
                  e.getValue().state().free();
                }
              }
            });
  }

  /** Number of sync states held in memory (for tests and diagnostics). */
  int syncStatesHeld() {
    return syncStates.size();
  }

  /**
   * Whether {@code session} is {@code peer}'s current one. A session that ended may still have a
   * thread finishing a call; it must not touch the sync state of the session that replaced it
   * (generating a message marks its changes as sent, and the new session would then wait for a
   * reply to a message that went nowhere).
   */
  private boolean isCurrent(String peer, long session) {
    Long now = sessions.get(peer);
    return now != null && now == session;
  }

  private long session(String peer) {
    return sessions.computeIfAbsent(peer, p -> sessionCounter.incrementAndGet());
  }

  /** The next sync message for {@code peer} about {@code docId}, or empty when in sync. */
  public Optional<byte[]> generateMessage(String peer, String docId) {
    return generateMessage(peer, docId, session(peer));
  }

  /**
   * The next sync message for {@code peer} about {@code docId} in sync session {@code session}
   * (from {@link #startSession}); empty when in sync, or when that session is no longer the peer's
   * current one.
   */
  public Optional<byte[]> generateMessage(String peer, String docId, long session) {
    return store
        .lanes()
        .withDocument(
            docId,
            live ->
                isCurrent(peer, session)
                    ? live.doc.generateSyncMessage(state(live, peer, session))
                    : Optional.<byte[]>empty());
  }

  /**
   * Applies a sync message from {@code peer} about a document held here.
   *
   * @throws PeerDataException if the message does not validate or is a known bad input (nothing
   *     changed)
   */
  public Received receiveMessage(
      String peer,
      String docId,
      byte[] message,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    return receiveMessage(peer, docId, message, attestations, authors, session(peer));
  }

  /**
   * Like {@link #receiveMessage(String, String, byte[], Collection, AuthorPolicy)}, in sync session
   * {@code session}: a message that arrives for a session that is no longer the peer's current one
   * is dropped unapplied (the peer sends what it holds again in the new session).
   */
  public Received receiveMessage(
      String peer,
      String docId,
      byte[] message,
      Collection<Attestation> attestations,
      AuthorPolicy authors,
      long session)
      throws PeerDataException {
    if (message.length > limits.maxSyncMessage()) {
      throw new PeerDataException(
          "A sync message of " + message.length + " bytes exceeds " + limits.maxSyncMessage());
    }
    byte[] sha = DocumentRepository.sha256(message);
    quarantine.refuseInput(peer, docId, sha, "a sync message");
    DocumentRef ref =
        document(docId).orElseThrow(() -> new NoSuchElementException("No document " + docId));
    boolean[] changed = new boolean[1];
    InflightLog.Entry[] inFlight = new InflightLog.Entry[1];
    Set<String> missing;
    try {
      missing =
          store
              .lanes()
              .withDocument(
                  docId,
                  live -> {
                    if (!isCurrent(peer, session)) {
                      return null; // a session that ended: see isCurrent
                    }
                    Attestations.Coverage cover;
                    try {
                      guard(live, authors);
                      DocumentContext ctx = context(live);
                      if (validateSyncMessages) {
                        Untrusted.checkSyncMessage(message, limits, ctx);
                      }
                      List<ChangeHeader> arriving = ctx.lastValidatedChanges();
                      boolean wholeDocument = ctx.lastHadDocument();
                      ctx.forgetLastValidated();
                      try {
                        quarantine.refuseChanges(peer, docId, "a sync message", arriving);
                      } catch (PeerDataException e) {
                        live.formatContext = null; // it learned the refused changes
                        throw e;
                      }
                      inFlight[0] =
                          InflightLog.Entry.syncMessage(peer, docId, sha, arriving, message);
                      if (wholeDocument) {
                        // Its changes cannot be checked one by one; a Dure peer never sends one
                        // (documents new to a peer go as SNAPSHOTs, with their attestations).
                        live.formatContext = null;
                        throw new PeerDataException(
                            "A sync message carrying a whole document for "
                                + docId
                                + ": refused (documents are sent as snapshots)");
                      }
                      cover = coverage(live, docId, arriving, attestations, authors);
                    } catch (PeerDataException e) {
                      throw new Refused(e);
                    }
                    SyncState st = state(live, peer, session);
                    Set<String> listedBefore =
                        ref.kind() == DocumentRef.Kind.SPACE ? listed(live.doc) : Set.of();
                    // From here native code works on the message: the record names it until done.
                    Path record = store.inflight().begin(inFlight[0]);
                    try {
                      try {
                        apply(live, st, message, cover);
                      } catch (PeerDataException e) {
                        throw new Refused(e);
                      }
                      changed[0] = store.persistSynced(live, ref, peer, verifiedAuthors(cover));
                      keepAttestations(cover);
                      saveState(peer, docId, st);
                      if (ref.kind() == DocumentRef.Kind.SPACE && changed[0]) {
                        Set<String> now = listed(live.doc);
                        now.removeAll(listedBefore);
                        return now;
                      }
                      return Set.<String>of();
                    } finally {
                      store.inflight().end(record);
                    }
                  });
    } catch (Refused e) {
      throw e.reason;
    }
    if (missing == null) {
      return new Received(false, Set.of()); // the session ended meanwhile
    }
    Set<String> notHeld = new HashSet<>();
    for (String id : missing) {
      if (!store.documentExists(id)) {
        notHeld.add(id);
      }
    }
    if (changed[0]) {
      store.afterSynced(ref);
      fire(ref, Optional.of(peer));
    }
    return new Received(changed[0], notHeld);
  }

  /** Checks the authorship of arriving changes (and of changes withheld before); null if none. */
  private Attestations.Coverage coverage(
      LiveDocument live,
      String docId,
      List<ChangeHeader> arriving,
      Collection<Attestation> offered,
      AuthorPolicy authors)
      throws PeerDataException {
    LOG.debug(
        "{}: {} arriving changes, {} withheld, {} attestations offered",
        docId,
        arriving.size(),
        live.withheld.size(),
        offered.size());
    if (arriving.isEmpty() && live.withheld.isEmpty()) {
      return null;
    }
    DocumentContext ctx = live.formatContext;
    live.queued.keySet().removeIf(h -> ctx.knows(h.array()));
    List<Attestation> all = new ArrayList<>(offered);
    all.addAll(store.attestations().forDocument(docId));
    List<ChangeHeader> pending = new ArrayList<>(arriving);
    pending.addAll(live.withheld.values());
    pending.addAll(live.queued.values());
    try (ViewsAtDeps asSeen = new ViewsAtDeps(live.doc, ctx::knows, pending)) {
      refuseSecondRoot(live, arriving, ctx);
      return Attestations.cover(
          docId, arriving, live.withheld, live.queued, ctx::knows, all, authors, asSeen);
    } catch (PeerDataException e) {
      live.formatContext = null; // it learned the refused changes: rebuild it from the document
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
    if (!WikiStore.hasOneRoot(live.kind)) {
      return;
    }
    for (ChangeHeader c : arriving) {
      if (c.deps().isEmpty() && !ctx.knows(c.hash())) {
        throw new PeerDataException(
            "A second first change of "
                + live.kind
                + " document "
                + live.id
                + ": refused (only its creator starts it, once)");
      }
    }
  }

  /**
   * Applies a validated sync message whose changes {@code cover} decided on: as it is when all its
   * changes are covered, else its covered changes alone and then the message without changes (so
   * Automerge still hears the peer's heads, needs and haves); then withheld changes now covered.
   */
  private void apply(LiveDocument live, SyncState st, byte[] message, Attestations.Coverage cover)
      throws PeerDataException {
    if (cover == null) {
      live.doc.receiveSyncMessage(st, message);
      return;
    }
    Set<ByteBuffer> pool = new HashSet<>(live.withheld.keySet());
    List<ChangeHeader> arriving = new ArrayList<>();
    List<ChangeHeader> fromPool = new ArrayList<>();
    for (ChangeHeader c : cover.covered()) {
      (pool.contains(ByteBuffer.wrap(c.hash())) ? fromPool : arriving).add(c);
    }
    boolean whole =
        cover.withheld().stream().allMatch(c -> pool.contains(ByteBuffer.wrap(c.hash())));
    if (whole) {
      live.doc.receiveSyncMessage(st, message);
    } else {
      live.formatContext = null; // it learned changes that are not applied now
      applyChanges(live, arriving);
      byte[] bare = SyncMessagePeek.withoutChanges(message);
      if (bare == null) {
        throw new PeerDataException("Unreadable sync message");
      }
      live.doc.receiveSyncMessage(st, bare);
    }
    applyChanges(live, fromPool);
    for (ChangeHeader c : cover.covered()) {
      live.withheld.remove(ByteBuffer.wrap(c.hash()));
    }
    long held = 0;
    for (ChangeHeader c : live.withheld.values()) {
      held += weight(c);
    }
    for (ChangeHeader c : cover.withheld()) {
      ByteBuffer h = ByteBuffer.wrap(c.hash());
      if (!live.withheld.containsKey(h) && held + weight(c) <= Attestations.MAX_WITHHELD_BYTES) {
        live.withheld.put(h, c);
        held += weight(c);
      }
    }
    if (!cover.withheld().isEmpty()) {
      LOG.info(
          "{} changes of {} held back until the history their author signed arrives",
          live.withheld.size(),
          live.id);
    }
    DocumentContext ctx = context(live);
    for (ChangeHeader c : cover.covered()) {
      ByteBuffer h = ByteBuffer.wrap(c.hash());
      if (!ctx.knows(c.hash()) && live.queued.size() < 10_000) {
        // Decided: what it writes is no longer needed.
        live.queued.put(
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
  private void applyChanges(LiveDocument live, List<ChangeHeader> changes)
      throws PeerDataException {
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
          bytes, org.dure.store.format.Limits.defaults(), context(live));
    } catch (org.dure.store.format.InvalidAutomergeDataException e) {
      live.formatContext = null;
      throw new PeerDataException("Invalid changes: " + e.getMessage(), e);
    }
    live.formatContext.forgetLastValidated();
    live.doc.applyEncodedChanges(bytes);
  }

  private static Set<Author> verifiedAuthors(Attestations.Coverage cover) {
    return cover == null ? Set.of() : cover.authors();
  }

  private void keepAttestations(Attestations.Coverage cover) {
    if (cover == null || cover.used().isEmpty()) {
      return;
    }
    store
        .db()
        .lazyTransaction(
            d -> {
              Attestations.save(d, cover.used());
              return null;
            });
  }

  /**
   * The attestations that go with changes of {@code docId} sent to peers: the newest held per
   * actor, after signing this node's own newest changes where no attestation covers them yet.
   */
  public List<Attestation> attestations(String docId) {
    store
        .lanes()
        .withDocument(
            docId,
            live -> {
              try {
                store.attestations().signOwn(live, context(live));
              } catch (PeerDataException e) {
                LOG.warn("Cannot read the history of {} to sign it: {}", docId, e.getMessage());
              }
              return null;
            });
    return store.attestations().forDocument(docId);
  }

  /**
   * Makes the document's validator context record writes under the keys {@code authors} guards
   * (rebuilt once when they change; nothing to do for documents without field rules).
   */
  private static void guard(LiveDocument live, AuthorPolicy authors) {
    Set<String> keys = authors.guardedKeys();
    if (!keys.equals(live.guardedKeys)) {
      live.guardedKeys = Set.copyOf(keys);
      live.formatContext = null;
    }
  }

  /** The validator's picture of the document's history, made on first use (on its lane). */
  private static DocumentContext context(LiveDocument live) throws PeerDataException {
    if (live.formatContext == null) {
      try {
        live.formatContext =
            org.dure.store.format.DocumentContext.ofHistory(
                live.doc.encodeChangesSince(new org.automerge.ChangeHash[0]),
                org.dure.store.format.Limits.defaults(),
                live.guardedKeys);
      } catch (org.dure.store.format.InvalidAutomergeDataException e) {
        // This store's own data, not what the peer sent now: a local fault, nobody is penalised.
        throw new StoreException("This document's own history does not validate: " + e, e);
      }
    }
    return live.formatContext;
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

  /** Whether the document is in sync with {@code peer} as far as this side knows. */
  public boolean isInSync(String peer, String docId) {
    long session = session(peer);
    return store.lanes().withDocument(docId, live -> state(live, peer, session).isInSync(live.doc));
  }

  private SyncState state(LiveDocument live, String peer, long session) {
    String key = peer + "/" + live.id;
    LiveDocument.PeerSyncState held = syncStates.get(key);
    if (held != null && held.session() == session) {
      return held.state();
    }
    if (held != null) {
      held.state().free();
    }
    byte[] saved =
        store
            .db()
            .read(
                d -> {
                  PreparedStatement ps =
                      d.statement("SELECT state FROM sync_states WHERE peer = ? AND doc_id = ?");
                  ps.setString(1, peer);
                  ps.setString(2, live.id);
                  try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                  }
                });
    SyncState st;
    if (saved == null) {
      st = new SyncState();
    } else {
      try {
        // Written by this store from Automerge's own encoding.
        st = SyncState.decode(saved);
      } catch (RuntimeException e) {
        LOG.warn("Stored sync state of {} for {} unreadable; starting afresh", live.id, peer, e);
        st = new SyncState();
      }
    }
    syncStates.put(key, new LiveDocument.PeerSyncState(session, st));
    return st;
  }

  private void saveState(String peer, String docId, SyncState st) {
    byte[] bytes = st.encode();
    store
        .db()
        .lazyTransaction(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "INSERT INTO sync_states(peer, doc_id, state) VALUES (?, ?, ?)"
                          + " ON CONFLICT(peer, doc_id) DO UPDATE SET state = excluded.state");
              ps.setString(1, peer);
              ps.setString(2, docId);
              ps.setBytes(3, bytes);
              ps.executeUpdate();
              return null;
            });
  }

  /** Forgets what was agreed with {@code peer} about every document (a full resync next time). */
  public void forgetPeer(String peer) {
    startSession(peer);
    store
        .db()
        .transaction(
            d -> {
              PreparedStatement ps = d.statement("DELETE FROM sync_states WHERE peer = ?");
              ps.setString(1, peer);
              ps.executeUpdate();
              return null;
            });
  }

  // ---------------------------------------------------------------- bootstrap by snapshot

  /** The document as one saved snapshot, to bootstrap a peer that does not have it. */
  public byte[] snapshot(String docId) {
    return store.lanes().withDocument(docId, live -> live.doc.save());
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
      String peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    DocumentContext held = Untrusted.checkDocument(snapshot, limits);
    byte[] sha = DocumentRepository.sha256(snapshot);
    quarantine.refuseInput(peer, ref.id(), sha, "a snapshot");
    quarantine.refuseSnapshot(peer, ref.id(), held);
    if (store.documentExists(ref.id())) {
      throw new IllegalStateException("Document " + ref.id() + " is already here");
    }
    if (ref.kind() == DocumentRef.Kind.SPACE && !ref.id().equals(ref.space().value())) {
      throw new PeerDataException("A space's index document must have the space's id");
    }
    if (ref.kind() == DocumentRef.Kind.MEMBERS
        && !ref.id().equals(WikiStore.membershipDocId(ref.space()))) {
      throw new PeerDataException("Not the membership document of space " + ref.space());
    }
    if (ref.kind() == DocumentRef.Kind.MODERATION
        && !ref.id().equals(ModerationRecords.documentId(ref.space()))) {
      throw new PeerDataException("Not the moderation document of space " + ref.space());
    }
    if (ref.kind() != DocumentRef.Kind.SPACE && !store.documentExists(ref.space().value())) {
      throw new PeerDataException("Space " + ref.space() + " is not here yet");
    }
    try {
      sandbox.tryLoad(snapshot); // a StoreException (the sandbox could not run) blames nobody
    } catch (PeerDataException e) {
      quarantine.quarantineInput(sha, peer, ref.id(), "a snapshot", e.getMessage());
      throw e;
    }
    store.importDocument(
        ref,
        snapshot,
        peer,
        attestations,
        authors,
        InflightLog.Entry.snapshot(peer, ref.id(), sha, snapshot));
    fire(ref, Optional.of(peer));
    return ref;
  }

  /**
   * Merges a document a peer sent whole into the one held here (its changes did not fit a sync
   * message). Checked as {@link #importSnapshot} checks a new one: validated, loaded once in the
   * sandbox, every change of its history covered by an attestation of an author who may make it;
   * only then merged and stored.
   *
   * @return whether it brought anything new
   * @throws PeerDataException if any check fails (nothing is merged)
   * @throws NoSuchElementException if the document is not held here
   */
  public boolean mergeSnapshot(
      String peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    DocumentContext history = Untrusted.checkDocument(snapshot, limits);
    byte[] sha = DocumentRepository.sha256(snapshot);
    quarantine.refuseInput(peer, ref.id(), sha, "a snapshot to merge");
    quarantine.refuseSnapshot(peer, ref.id(), history);
    DocumentRef held =
        document(ref.id()).orElseThrow(() -> new NoSuchElementException("No document " + ref.id()));
    if (!held.equals(ref)) {
      throw new PeerDataException("Not " + held + " but " + ref);
    }
    try {
      sandbox.tryLoad(snapshot); // a StoreException (the sandbox could not run) blames nobody
    } catch (PeerDataException e) {
      quarantine.quarantineInput(sha, peer, ref.id(), "a snapshot to merge", e.getMessage());
      throw e;
    }
    boolean changed =
        store.mergeDocument(
            ref,
            snapshot,
            peer,
            attestations,
            authors,
            InflightLog.Entry.snapshot(peer, ref.id(), sha, snapshot));
    if (changed) {
      store.afterSynced(ref);
      fire(ref, Optional.of(peer));
    }
    return changed;
  }
}
