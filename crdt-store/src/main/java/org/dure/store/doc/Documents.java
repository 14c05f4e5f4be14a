package org.dure.store.doc;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.Transaction;
import org.dure.identity.Identity;

/**
 * The document kernel: Automerge documents confined to lanes (one thread each), persisted in SQLite
 * with their history; this node's identity and clock; events when a document changes. It knows
 * nothing of pages, spaces or people: features built on it give each kind of document its meaning
 * ({@link DocumentKind}). Thread-safe; see {@code concurrency.md} for which thread runs what.
 *
 * <p>A document is read and changed only inside a task on its lane ({@link #withDocument}), which
 * is handed the {@link LiveDocument}; the commit methods take that and must be called from the same
 * task. Every commit returns once it is persisted (a {@linkplain #commitJournalled journalled} one
 * once it is in the journal, safe from a crash of the process).
 */
public final class Documents implements AutoCloseable {
  private final DocumentStore db;
  private final Identity identity;
  private final Clock clock;
  private final DocumentKinds kinds;
  private final DocumentRepository repo;
  private final DocumentLanes lanes;
  private final ChangeFeed feed = new ChangeFeed();

  /**
   * The kernel on {@code store} (which it closes), writing as {@code identity}.
   *
   * @param laneCount number of document threads
   * @param nativeMemoryBudget bytes of Automerge native memory the open-document cache may hold
   * @param kinds the kinds of document stored
   * @param loads what names a stored document while native code loads it
   */
  public Documents(
      DocumentStore db,
      Identity identity,
      Clock clock,
      int laneCount,
      long nativeMemoryBudget,
      DocumentKinds kinds,
      NativeLoads loads) {
    this.db = db;
    this.identity = identity;
    this.clock = clock;
    this.kinds = kinds;
    this.repo = new DocumentRepository(db, identity.publicKey().data(), kinds, loads);
    this.lanes = new DocumentLanes(laneCount, nativeMemoryBudget, repo::load, repo::compactIfDue);
  }

  // ---------------------------------------------------------------- identity, clock, kinds

  /** This node's identity: its key signs and its actor ids name what it writes. */
  public Identity identity() {
    return identity;
  }

  /** The time now, to the millisecond, by the store's clock. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The store's clock. */
  public Clock clock() {
    return clock;
  }

  /** The kinds of document the store holds. */
  public DocumentKinds kinds() {
    return kinds;
  }

  /** Metadata of a version this node's user makes now, with {@code message} (stripped) if any. */
  public CommitMeta meta(Optional<String> message) {
    return new CommitMeta(
        Optional.of(Author.of(identity)),
        now(),
        message.map(String::strip).filter(m -> !m.isEmpty()));
  }

  /** Metadata of a version of changes from elsewhere (no local author), persisted now. */
  public CommitMeta received(String message) {
    return new CommitMeta(Optional.empty(), now(), Optional.of(message));
  }

  // ---------------------------------------------------------------- documents on their lanes

  /**
   * Runs {@code work} on the document's lane with the document loaded, and waits for it.
   *
   * @throws java.util.NoSuchElementException if there is no such document
   * @throws DamagedDocumentException if it cannot be loaded
   */
  public <T> T withDocument(String id, Function<LiveDocument, T> work) {
    return lanes.withDocument(id, work);
  }

  /**
   * Runs {@code make} on the lane of {@code id} (where creations of one id run one at a time), puts
   * the document it returns into the lane's cache, then runs {@code then} with it; waits for both.
   */
  public <T> T create(String id, Supplier<LiveDocument> make, Function<LiveDocument, T> then) {
    return lanes.create(id, make, then);
  }

  /**
   * Creates a document of {@code kind} in {@code spaceId}: its first version is {@code init}, with
   * {@code extra} in the same transaction.
   */
  public void createDocument(
      String id,
      DocumentKind kind,
      String spaceId,
      Consumer<Transaction> init,
      CommitMeta meta,
      Sql.OnCommit extra) {
    lanes.create(id, () -> repo.create(id, kind, spaceId, init, meta, extra), live -> null);
  }

  /**
   * Stores a document received whole (already checked) as its version 1, on its lane (from the task
   * given to {@link #create}); {@code extra} runs in the same transaction. It is not waited on to
   * reach the disk: a peer sends it again if a power loss takes it.
   *
   * @param actors the actor ids of the document's changes, as the caller read them when it checked
   *     its history (its claimed authors are recorded from them); null to read them from the saved
   *     document
   */
  public LiveDocument importDocument(
      String id,
      DocumentKind kind,
      String spaceId,
      Document doc,
      CommitMeta meta,
      java.util.List<byte[]> actors,
      Sql.OnCommit extra) {
    return repo.importDocument(id, kind, spaceId, doc, meta, actors, extra);
  }

  /**
   * Applies {@code ops} as one Automerge commit and persists it with {@code meta}, {@code extra} in
   * the same transaction. Returns the new version number, or empty when the operations changed
   * nothing.
   */
  public OptionalLong commit(
      LiveDocument live, Consumer<Transaction> ops, CommitMeta meta, Sql.OnCommit extra) {
    return repo.commit(live, ops, meta, extra);
  }

  /**
   * Like {@link #commit}, but the operations see the document as it was at {@code at} (when not
   * null): positions refer to that version, and the change merges with everything since.
   */
  public OptionalLong commitAt(
      LiveDocument live,
      ChangeHash[] at,
      Consumer<Transaction> ops,
      CommitMeta meta,
      Sql.OnCommit extra) {
    return repo.commitAt(live, at, ops, meta, extra);
  }

  /**
   * Commits an edit based on {@code at} (null: the current version) through the journal: it returns
   * once the edit is safe from a crash of the process, and is on the disk within the journal's
   * flush interval or when {@link #awaitDurable} returns. For documents edited keystroke by
   * keystroke; the store's {@link Sql.OnEdit} runs when the edit reaches SQLite.
   */
  public OptionalLong commitJournalled(
      LiveDocument live, ChangeHash[] at, Consumer<Transaction> ops, CommitMeta meta) {
    return repo.commitJournalled(live, at, ops, meta);
  }

  /**
   * Persists changes that reached the document other than through a commit (a merge or sync), as
   * one version without a local author; forgets what {@linkplain LiveDocument.Slot#content content
   * slots} held. Returns empty if the heads did not move.
   */
  public OptionalLong persistExternal(LiveDocument live, CommitMeta meta, Sql.OnCommit extra) {
    return repo.persistExternal(live, meta, extra);
  }

  /** The heads stored with version {@code seq} of a document, or null if there is none. */
  public ChangeHash[] headsOf(String id, long seq) {
    return repo.headsOf(id, seq);
  }

  /**
   * A fresh actor id for a document instance this node writes with (its public key and 8 random
   * bytes).
   */
  public byte[] newActorId() {
    return repo.newActorId();
  }

  /** Sets what is told of the changes of every version persisted from now on. */
  public void observe(ChangeObserver observer) {
    repo.observe(observer);
  }

  /** Whether a document with this id is stored (damaged or not). */
  public boolean exists(String id) {
    return db.read(
        d -> {
          var ps = d.statement("SELECT 1 FROM documents WHERE id = ?");
          ps.setString(1, id);
          try (var rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  /** Drops a document from its lane's cache (after it was quarantined or replaced on disk). */
  public void forget(String id) {
    lanes.forget(id);
  }

  /** Runs {@code work} on every lane's thread, after what is queued there; waits for each. */
  public void onEveryLane(IntConsumer work) {
    lanes.onEveryLane(work);
  }

  /** The index of the lane that holds document {@code id}. */
  public int laneIndexOf(String id) {
    return lanes.laneIndexOf(id);
  }

  /** Marks a stored document damaged: kept on disk as it is, not loaded again. */
  public void markDamaged(String id, String reason) {
    repo.markDamaged(id, reason);
  }

  /**
   * A stored document's bytes as a load hands them to native code (its snapshot and the changes
   * after it); null if it is not stored, or damaged.
   */
  public byte[] storedBytes(String id) {
    return repo.storedBytes(id);
  }

  /** Open documents and their estimated native memory, for diagnostics and benchmarks. */
  public long[] cacheStats() {
    return lanes.stats();
  }

  // ---------------------------------------------------------------- SQL

  /** Runs read-only {@code work}; it sees every commit and journalled edit made so far. */
  public <T> T read(Sql.Work<T> work) {
    return db.read(work);
  }

  /** Runs {@code work} in one transaction, on the disk when this returns. */
  public <T> T transaction(Sql.Work<T> work) {
    return db.transaction(work);
  }

  /**
   * Runs {@code work} in one transaction that a power loss may undo (a crash of the process does
   * not): for what a peer sends again if it is missing.
   */
  public <T> T lazyTransaction(Sql.Work<T> work) {
    return db.lazyTransaction(work);
  }

  /** Returns once every edit journalled so far is on the disk (callers share one write). */
  public void awaitDurable() {
    db.awaitDurable();
  }

  /** The result of SQLite's {@code PRAGMA integrity_check}: "ok" when the database is sound. */
  public String integrityCheck() {
    return db.integrityCheck();
  }

  /** How many journalled edits were found (and applied) when the store was opened. */
  public int recoveredEdits() {
    return db.recoveredEdits();
  }

  // ---------------------------------------------------------------- changes

  /** The events of changed documents. */
  public ChangeFeed feed() {
    return feed;
  }

  /** Tells the feed's listeners that document {@code docId} changed. */
  public void fire(String docId, DocumentKind kind, String spaceId, Optional<String> fromPeer) {
    feed.fire(docId, kind, spaceId, fromPeer);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Stops the lanes (compactions due are taken first) and closes the database. */
  @Override
  public void close() {
    lanes.close();
    db.close();
  }

  /**
   * Stops the lanes and lets the database go as a crash would, edits not yet in SQLite left in the
   * journal (for tests of recovery). The kernel cannot be used afterwards.
   */
  public void abandon() {
    db.abandon();
    lanes.close();
  }

  DocumentStore store() {
    return db;
  }
}
