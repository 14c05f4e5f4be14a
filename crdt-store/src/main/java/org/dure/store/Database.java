package org.dure.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite database of a store: one connection in WAL mode, used under a lock.
 *
 * <p>Durability (see {@code docs/SECURITY.md}, "Durability"): a {@link #transaction} commits with
 * {@code synchronous=FULL}, so the WAL is on the disk when it returns and it survives a power loss
 * or OS crash as well as a {@code kill -9}. A {@link #lazyTransaction} commits with {@code
 * synchronous=NORMAL}: it survives the process being killed, but a power loss may take it (and only
 * it and what came after it: the WAL is replayed up to its last complete commit, so the database
 * stays consistent); it is for what a peer sends again when asked (changes and states of sync), and
 * the next durable commit makes it durable too.
 *
 * <p>Page edits do not wait for a transaction: {@link #appendEdit} writes them to the {@link
 * Journal} (as safe from a crash of the process as a committed transaction) and a writer thread
 * moves them into SQLite in batches, in durable transactions, every flush interval: so an edit is
 * on the disk at most that long (plus the batch's write) after it was made; {@link #awaitDurable}
 * forces the journal for a caller that must not wait that long. Every {@link #read} and {@link
 * #transaction} first applies what is pending, so readers never see the database behind the
 * journal; at start-up, what the journal holds is applied before anything else.
 */
final class Database implements Sql, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  static final int SCHEMA_VERSION = 8;

  /** Pending edits beyond which the writer is woken at once. */
  static final int FLUSH_BATCH = 4096;

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private final Journal journal;
  private final Object pendingLock = new Object();
  private List<Journal.Entry> pending = new ArrayList<>();

  /** Snapshots made by compaction, per document, to be written with the pending edits. */
  private Map<String, Snapshot> pendingSnapshots = new HashMap<>();

  /**
   * A snapshot of a document as of version {@code seq}, replacing the changes after version {@code
   * since} (the previous snapshot) up to {@code seq}.
   */
  record Snapshot(long seq, long since, byte[] bytes) {}

  /** Whether the connection is set to {@code synchronous=FULL} now (else NORMAL). */
  private boolean synchronousFull;

  private volatile StoreException broken;
  private volatile boolean closing;
  private final Thread writer;
  private final long flushIntervalNanos;
  private int recovered;

  /** What else a journalled edit updates when it reaches SQLite. */
  private final Sql.OnEdit onEdit;

  private Database(
      Connection connection, Journal journal, Duration flushInterval, Sql.OnEdit onEdit) {
    this.connection = connection;
    this.onEdit = onEdit;
    this.journal = journal;
    this.flushIntervalNanos = flushInterval.toNanos();
    if (journal != null) {
      writer = new Thread(this::writeLoop, "dure-db-writer");
      writer.setDaemon(true);
    } else {
      writer = null;
    }
  }

  /**
   * Opens the database {@code file} with its journal in the same directory; journalled edits are
   * moved into SQLite every {@code flushInterval}.
   */
  static Database open(Path file, Duration flushInterval, Sql.OnEdit onEdit) {
    Journal journal;
    try {
      journal = Journal.open(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StoreException("Cannot open the journal next to " + file + ": " + e, e);
    }
    try {
      Database db = open("jdbc:sqlite:" + file.toAbsolutePath(), journal, flushInterval, onEdit);
      db.recover();
      db.writer.start();
      return db;
    } catch (RuntimeException e) {
      try {
        journal.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
  }

  static Database inMemory(Sql.OnEdit onEdit) {
    return open("jdbc:sqlite::memory:", null, Duration.ofSeconds(1), onEdit);
  }

  private static Database open(
      String url, Journal journal, Duration flushInterval, Sql.OnEdit onEdit) {
    try {
      SQLiteConfig config = new SQLiteConfig();
      // Otherwise sqlite-jdbc prepares and runs "SELECT last_insert_rowid()" after every INSERT
      // (a regular expression and a statement per change row); nothing here asks for the keys.
      config.setGetGeneratedKeys(false);
      Connection c = DriverManager.getConnection(url, config.toProperties());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      Database db = new Database(c, journal, flushInterval, onEdit);
      db.synchronousFull = true;
      db.migrate();
      return db;
    } catch (SQLException e) {
      throw new StoreException("Cannot open the database " + url + ": " + e.getMessage(), e);
    }
  }

  private void migrate() throws SQLException {
    int version;
    try (Statement s = connection.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreException(
          "The data directory was written by a newer Dure (schema "
              + version
              + "); update Dure to open it.");
    }
    if (version < 1) {
      migrate(
          s -> {
            s.execute(
                """
            CREATE TABLE documents(
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              space_id TEXT NOT NULL,
              snapshot BLOB,
              snapshot_sha BLOB,
              snapshot_seq INTEGER NOT NULL DEFAULT 0,
              last_seq INTEGER NOT NULL DEFAULT 0,
              change_bytes INTEGER NOT NULL DEFAULT 0,
              damaged TEXT)""");
            // One row per commit. data is the encoded change(s) until a snapshot includes them.
            s.execute(
                """
            CREATE TABLE changes(
              doc_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              data BLOB,
              sha BLOB,
              heads BLOB NOT NULL,
              author BLOB,
              time INTEGER NOT NULL,
              message TEXT,
              PRIMARY KEY(doc_id, seq)) WITHOUT ROWID""");
            s.execute(
                """
            CREATE TABLE spaces(
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              created INTEGER NOT NULL)""");
            s.execute(
                """
            CREATE TABLE pages(
              num INTEGER PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              space_id TEXT NOT NULL,
              title TEXT NOT NULL,
              title_key TEXT NOT NULL,
              created INTEGER NOT NULL,
              updated INTEGER NOT NULL,
              indexed_seq INTEGER NOT NULL DEFAULT -1)""");
            s.execute("CREATE INDEX pages_by_updated ON pages(space_id, updated DESC)");
            s.execute("CREATE INDEX pages_by_title ON pages(space_id, title_key)");
            s.execute(
                """
            CREATE TABLE links(
              from_page TEXT NOT NULL,
              space_id TEXT NOT NULL,
              to_key TEXT NOT NULL,
              PRIMARY KEY(from_page, to_key)) WITHOUT ROWID""");
            s.execute("CREATE INDEX links_by_target ON links(space_id, to_key)");
            // Rows keyed by pages.num. Trigram tokens make any substring of 3+ characters findable,
            // which works for Korean and other languages without word spacing rules.
            s.execute("CREATE VIRTUAL TABLE page_fts USING fts5(title, body, tokenize='trigram')");
            s.execute("PRAGMA user_version=1");
          });
    }
    if (version < 2) {
      migrate(
          s -> {
            // Spaces created here (1) or received from a peer (0): only a local space's membership
            // document may be created here, by its owner.
            s.execute("ALTER TABLE spaces ADD COLUMN local INTEGER NOT NULL DEFAULT 1");
            // Automerge sync state per (peer, document), so a reconnect exchanges only what
            // changed.
            s.execute(
                """
            CREATE TABLE sync_states(
              peer TEXT NOT NULL,
              doc_id TEXT NOT NULL,
              state BLOB NOT NULL,
              PRIMARY KEY(peer, doc_id)) WITHOUT ROWID""");
            // Inputs from peers that were in flight when the process died, or failed validation.
            s.execute(
                """
            CREATE TABLE quarantined_inputs(
              sha BLOB PRIMARY KEY,
              peer TEXT NOT NULL,
              doc_id TEXT,
              what TEXT NOT NULL,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            s.execute(
                """
            CREATE TABLE blocked_peers(
              peer TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            // Invites this node made: the secret's hash, single use, with an expiry.
            s.execute(
                """
            CREATE TABLE invites(
              secret_sha BLOB PRIMARY KEY,
              space_id TEXT NOT NULL,
              role TEXT NOT NULL,
              created INTEGER NOT NULL,
              expires INTEGER NOT NULL,
              used_by TEXT,
              used_at INTEGER) WITHOUT ROWID""");
            // Spaces this node asked to join (by accepting an invite), and from whom.
            s.execute(
                """
            CREATE TABLE joined_spaces(
              space_id TEXT NOT NULL,
              peer TEXT NOT NULL,
              time INTEGER NOT NULL,
              PRIMARY KEY(space_id, peer)) WITHOUT ROWID""");
            // Pairs of adjacent Korean/Chinese/Japanese characters (two-syllable words), keyed like
            // page_fts; filled by re-indexing every page.
            s.execute("CREATE VIRTUAL TABLE page_pairs USING fts5(grams, tokenize='unicode61')");
            // How many pages each trigram occurs in: tells a word in most pages from a rare one.
            s.execute("CREATE VIRTUAL TABLE page_fts_vocab USING fts5vocab(page_fts, row)");
            s.execute("UPDATE pages SET indexed_seq = -1");
            s.execute("PRAGMA user_version=2");
          });
    }
    if (version < 4) {
      migrate(
          s -> {
            // Activity feed: who a change from a peer claims to be by (its actor id's first 32
            // bytes,
            // unverified), per version; versions by time.
            s.execute(
                """
            CREATE TABLE change_claims(
              doc_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              claimed_author BLOB NOT NULL,
              PRIMARY KEY(doc_id, seq, claimed_author)) WITHOUT ROWID""");
            s.execute("CREATE INDEX changes_by_time ON changes(time)");
            // @mentions of this node in text someone else added to a page.
            s.execute(
                """
            CREATE TABLE notifications(
              id INTEGER PRIMARY KEY,
              time INTEGER NOT NULL,
              page_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              author BLOB,
              claimed INTEGER NOT NULL,
              snippet TEXT NOT NULL,
              read INTEGER NOT NULL DEFAULT 0)""");
            s.execute("CREATE INDEX notifications_unread ON notifications(read, id)");
            // The last version of each page scanned for mentions.
            s.execute(
                """
            CREATE TABLE mention_scans(
              page_id TEXT PRIMARY KEY,
              seq INTEGER NOT NULL) WITHOUT ROWID""");
            // Mentions already on the pages before this version are not news.
            s.execute(
                "INSERT INTO mention_scans(page_id, seq) SELECT id, last_seq FROM documents"
                    + " WHERE kind = 'page'");
            // Friends: local contacts, never synced.
            s.execute(
                """
            CREATE TABLE friends(
              peer TEXT PRIMARY KEY,
              petname TEXT NOT NULL,
              added INTEGER NOT NULL,
              last_seen INTEGER) WITHOUT ROWID""");
            s.execute("PRAGMA user_version=4");
          });
    }
    if (version < 5) {
      migrate(
          s -> {
            // Peers whose content this user does not want to see (local only, never sent).
            s.execute(
                """
            CREATE TABLE muted_peers(
              peer TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            // Pages hidden space-wide, as their space index says (rewritten whenever it changes),
            // so
            // page lists, links and search can leave them out.
            s.execute(
                """
            CREATE TABLE hidden_pages(
              page_id TEXT PRIMARY KEY,
              space_id TEXT NOT NULL) WITHOUT ROWID""");
            s.execute("CREATE INDEX hidden_pages_space ON hidden_pages(space_id)");
            s.execute("PRAGMA user_version=5");
          });
    }
    if (version < 6) {
      migrate(
          s -> {
            // Bytes exchanged with each peer and connections opened, totalled across restarts.
            s.execute(
                """
            CREATE TABLE peer_usage(
              peer TEXT PRIMARY KEY,
              bytes_in INTEGER NOT NULL DEFAULT 0,
              bytes_out INTEGER NOT NULL DEFAULT 0,
              connections INTEGER NOT NULL DEFAULT 0,
              first_seen INTEGER NOT NULL,
              last_seen INTEGER NOT NULL) WITHOUT ROWID""");
            // The user's limits, caps and consent (key = value, validated by the moderation
            // module).
            s.execute(
                "CREATE TABLE resource_settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
            s.execute("PRAGMA user_version=6");
          });
    }
    if (version < 7) {
      migrate(
          s -> {
            // Signed authorship: per document and actor, the newest attestation held (it covers
            // every earlier change of that actor; see Attestations).
            s.execute(
                """
            CREATE TABLE attestations(
              doc_id TEXT NOT NULL,
              actor BLOB NOT NULL,
              seq INTEGER NOT NULL,
              hash BLOB NOT NULL,
              time INTEGER NOT NULL,
              message TEXT NOT NULL,
              signature BLOB NOT NULL,
              PRIMARY KEY(doc_id, actor)) WITHOUT ROWID""");
            // Whether a version's author from a peer was verified by its attestation.
            s.execute("ALTER TABLE change_claims ADD COLUMN verified INTEGER NOT NULL DEFAULT 0");
            s.execute("PRAGMA user_version=7");
          });
    }
    if (version < 8) {
      migrate(
          s -> {
            // Changes that crashed native code, refused by hash in whatever input carries them
            // (see Quarantine); actor and seq find them in snapshots, which list no change hashes.
            s.execute(
                """
            CREATE TABLE quarantined_changes(
              hash BLOB PRIMARY KEY,
              actor BLOB NOT NULL,
              seq INTEGER NOT NULL,
              peer TEXT NOT NULL,
              doc_id TEXT NOT NULL,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            s.execute("PRAGMA user_version=8");
          });
    }
  }

  /** One schema migration's statements, run with {@link #migrate}. */
  private interface MigrationStep {
    void run(Statement s) throws SQLException;
  }

  /** Runs a migration step in one transaction (the step sets {@code user_version} itself). */
  private void migrate(MigrationStep step) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      step.run(s);
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * Runs {@code work} in one transaction, on the disk when this returns ({@code synchronous=FULL});
   * rolls back if it throws.
   */
  <T> T transaction(Sql.Work<T> work) {
    return transaction(work, true);
  }

  /**
   * Runs {@code work} in one transaction that a power loss may undo ({@code synchronous=NORMAL}; a
   * crash of the process does not): for data a peer sends again if it is missing, so as not to wait
   * for the disk on every message of a sync.
   */
  <T> T lazyTransaction(Sql.Work<T> work) {
    return transaction(work, false);
  }

  private <T> T transaction(Sql.Work<T> work, boolean durable) {
    lock.lock();
    try {
      flushLocked();
      return inTransaction(work, durable);
    } finally {
      lock.unlock();
    }
  }

  /** Sets {@code synchronous} for the next commits; the caller holds the lock. */
  private void synchronous(boolean full) throws SQLException {
    if (full != synchronousFull) {
      try (Statement s = connection.createStatement()) {
        s.execute(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      }
      synchronousFull = full;
    }
  }

  /** Runs {@code work} in one transaction; the caller holds the lock. */
  private <T> T inTransaction(Sql.Work<T> work, boolean durable) {
    try {
      synchronous(durable);
      connection.setAutoCommit(false);
      try {
        T result = work.run(this);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Database error: " + e.getMessage(), e);
    }
  }

  /** Runs read-only {@code work} under the lock, outside an explicit transaction. */
  <T> T read(Sql.Work<T> work) {
    lock.lock();
    try {
      flushLocked();
      return work.run(this);
    } catch (SQLException e) {
      throw new StoreException("Database error: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- journalled page edits

  /**
   * Persists one commit of a page: its change row, the document's sequence number and the page's
   * time of change. Returns once the edit is in the journal (in-memory databases: in SQLite).
   *
   * @throws StoreException if it cannot be written; the edit is then not persisted
   */
  void appendEdit(Journal.Entry e) {
    if (journal == null) {
      transaction(
          d -> {
            apply(List.of(e), Map.of());
            return null;
          });
      return;
    }
    boolean wake;
    synchronized (pendingLock) {
      if (broken != null) {
        throw broken;
      }
      if (closing) {
        throw new StoreException("The store is closed");
      }
      try {
        journal.append(e);
      } catch (IOException ex) {
        throw new StoreException("Cannot write the edit to the journal: " + ex.getMessage(), ex);
      }
      pending.add(e);
      wake = pending.size() >= FLUSH_BATCH;
    }
    if (wake) {
      LockSupport.unpark(writer);
    }
  }

  /**
   * Stores {@code snapshot} of document {@code docId} with the pending edits, after the edit of its
   * version, which must already have been passed to {@link #appendEdit}. Nothing is lost if it is
   * not written (a crash): the document then loads from its previous snapshot and the changes.
   */
  void appendSnapshot(String docId, Snapshot snapshot) {
    if (journal == null) {
      transaction(
          d -> {
            apply(List.of(), Map.of(docId, snapshot));
            return null;
          });
      return;
    }
    synchronized (pendingLock) {
      if (broken != null) {
        throw broken;
      }
      Snapshot earlier = pendingSnapshots.get(docId);
      pendingSnapshots.put(
          docId,
          earlier == null
              ? snapshot
              : new Snapshot(snapshot.seq(), earlier.since(), snapshot.bytes()));
    }
  }

  /**
   * Applies journalled commits in order, skipping those already in the database, then the
   * snapshots: per document one look-up of its sequence number and one update of it (and of its
   * snapshot) and of the page's time of change, and one insert per commit.
   */
  private void apply(List<Journal.Entry> entries, Map<String, Snapshot> snapshots)
      throws SQLException {
    // id -> {last seq, added bytes, bytes added after the pending snapshot}
    Map<String, long[]> docs = new java.util.LinkedHashMap<>();
    Map<String, Long> times = new HashMap<>();
    PreparedStatement ins =
        statement(
            "INSERT INTO changes(doc_id, seq, data, sha, heads, author, time, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (Journal.Entry e : entries) {
      long[] doc = docs.get(e.docId());
      if (doc == null) {
        PreparedStatement q = statement("SELECT last_seq FROM documents WHERE id = ?");
        q.setString(1, e.docId());
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            LOG.warn("Journal: edit {} of unknown document {} skipped", e.seq(), e.docId());
            continue;
          }
          doc = new long[] {rs.getLong(1), 0, 0};
        }
        docs.put(e.docId(), doc);
      }
      if (e.seq() <= doc[0]) {
        continue;
      }
      if (e.seq() != doc[0] + 1) {
        LOG.warn(
            "Journal: edit {} of document {} does not follow {}; skipped",
            e.seq(),
            e.docId(),
            doc[0]);
        continue;
      }
      ins.setString(1, e.docId());
      ins.setLong(2, e.seq());
      ins.setBytes(3, e.data());
      ins.setBytes(4, e.sha());
      ins.setBytes(5, e.heads());
      ins.setBytes(6, e.author());
      ins.setLong(7, e.time());
      ins.setString(8, e.message());
      ins.executeUpdate();
      doc[0] = e.seq();
      doc[1] += e.data().length;
      Snapshot snap = snapshots.get(e.docId());
      if (snap != null && e.seq() > snap.seq()) {
        doc[2] += e.data().length;
      }
      times.put(e.docId(), e.time());
    }
    for (Map.Entry<String, Snapshot> entry : snapshots.entrySet()) {
      String id = entry.getKey();
      Snapshot snap = entry.getValue();
      long[] doc = docs.get(id);
      long last = doc != null ? doc[0] : lastSeq(id);
      if (last < snap.seq()) {
        LOG.warn(
            "Snapshot {} of document {} is ahead of its changes ({}); skipped", snap, id, last);
        continue;
      }
      PreparedStatement up =
          statement(
              "UPDATE documents SET snapshot = ?, snapshot_sha = ?, snapshot_seq = ?,"
                  + " last_seq = ?, change_bytes = ? WHERE id = ?");
      up.setBytes(1, snap.bytes());
      up.setBytes(2, Heads.sha256(snap.bytes()));
      up.setLong(3, snap.seq());
      up.setLong(4, last);
      up.setLong(5, doc != null ? doc[2] : 0);
      up.setString(6, id);
      up.executeUpdate();
      PreparedStatement drop =
          statement(
              "UPDATE changes SET data = NULL, sha = NULL WHERE doc_id = ? AND seq > ?"
                  + " AND seq <= ?");
      drop.setString(1, id);
      drop.setLong(2, snap.since());
      drop.setLong(3, snap.seq());
      drop.executeUpdate();
    }
    PreparedStatement up =
        statement(
            "UPDATE documents SET last_seq = ?, change_bytes = change_bytes + ? WHERE id = ?");
    for (Map.Entry<String, long[]> d : docs.entrySet()) {
      Long time = times.get(d.getKey());
      if (time == null) {
        continue; // nothing new for this document
      }
      if (snapshots.containsKey(d.getKey())) {
        onEdit.edited(this, d.getKey(), time);
        continue; // its sequence number and bytes were set with the snapshot
      }
      up.setLong(1, d.getValue()[0]);
      up.setLong(2, d.getValue()[1]);
      up.setString(3, d.getKey());
      up.executeUpdate();
      onEdit.edited(this, d.getKey(), time);
    }
  }

  private long lastSeq(String id) throws SQLException {
    PreparedStatement q = statement("SELECT last_seq FROM documents WHERE id = ?");
    q.setString(1, id);
    try (ResultSet rs = q.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Applies whatever the journal holds from the last run (at start-up). */
  private void recover() {
    List<Journal.Entry> entries;
    try {
      entries = journal.readAll();
    } catch (IOException e) {
      throw new StoreException("Cannot read the journal: " + e.getMessage(), e);
    }
    if (!entries.isEmpty()) {
      List<Journal.Entry> sorted = new ArrayList<>(entries);
      sorted.sort(
          java.util.Comparator.comparing(Journal.Entry::docId)
              .thenComparingLong(Journal.Entry::seq));
      applyBatch(sorted, Map.of());
      recovered = sorted.size();
      LOG.info("Applied {} edits from the journal", sorted.size());
    }
    try {
      journal.clearAll();
    } catch (IOException e) {
      throw new StoreException("Cannot empty the journal: " + e.getMessage(), e);
    }
  }

  private void applyBatch(List<Journal.Entry> batch, Map<String, Snapshot> snapshots) {
    lock.lock();
    try {
      // Durable: the journal file is emptied next, and the edits must be on the disk somewhere.
      inTransaction(
          d -> {
            apply(batch, snapshots);
            return null;
          },
          true);
    } finally {
      lock.unlock();
    }
  }

  /** Moves pending edits into SQLite; the caller holds the lock. */
  private void flushLocked() {
    if (journal == null) {
      return;
    }
    List<Journal.Entry> batch;
    Map<String, Snapshot> snapshots;
    int file;
    synchronized (pendingLock) {
      if (broken != null) {
        throw broken;
      }
      if (pending.isEmpty() && pendingSnapshots.isEmpty()) {
        return;
      }
      batch = pending;
      pending = new ArrayList<>();
      snapshots = pendingSnapshots;
      pendingSnapshots = new HashMap<>();
      file = journal.rotate();
    }
    try {
      applyBatch(batch, snapshots);
      journal.clear(file);
    } catch (IOException | RuntimeException e) {
      // The journal keeps the edits; they are applied when the store is next opened.
      broken =
          new StoreException(
              "Edits could not be written to the database ("
                  + e.getMessage()
                  + "). They are kept in the journal and will be saved when Dure starts again;"
                  + " restart Dure.",
              e);
      LOG.error("Writing journalled edits to the database failed", e);
      throw broken;
    }
  }

  /**
   * Closes the files without applying what is pending, as a crash would leave them (for tests of
   * recovery).
   */
  void abandon() {
    synchronized (pendingLock) {
      closing = true;
      broken = new StoreException("abandoned");
    }
    lock.lock();
    try {
      if (journal != null) {
        journal.close();
      }
      connection.close();
    } catch (IOException | SQLException e) {
      throw new StoreException("Cannot abandon the database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once every page edit journalled so far is on the disk: forces the journal (group
   * commit: callers arriving together share one {@code msync}). For callers that acknowledge an
   * edit to someone (a Save button, the local API); without it an edit is on the disk within the
   * flush interval.
   *
   * @throws StoreException if the journal cannot be forced
   */
  void awaitDurable() {
    if (journal == null) {
      return;
    }
    try {
      journal.force(journal.lastTicket());
    } catch (IOException e) {
      throw new StoreException("Cannot write the edits to the disk: " + e.getMessage(), e);
    }
  }

  /**
   * The journal's tickets: of the last edit appended, and up to which edits were forced by {@link
   * #awaitDurable} (for tests).
   */
  long[] journalTickets() {
    return journal == null
        ? new long[] {0, 0}
        : new long[] {journal.lastTicket(), journal.forcedTicket()};
  }

  /** How many journalled edits were found (and applied) when the database was opened. */
  int recoveredEdits() {
    return recovered;
  }

  /** Moves pending edits into SQLite now. */
  void flush() {
    lock.lock();
    try {
      flushLocked();
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    while (!closing) {
      LockSupport.parkNanos(this, flushIntervalNanos);
      if (closing || broken != null) {
        continue;
      }
      try {
        flush();
      } catch (RuntimeException e) {
        LOG.error("The database writer failed", e);
      }
    }
  }

  /** A cached prepared statement; only to be used inside {@link #transaction} or {@link #read}. */
  @Override
  public PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.clearParameters();
    return ps;
  }

  String integrityCheck() {
    return read(
        db -> {
          try (Statement s = connection.createStatement();
              var rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no result";
          }
        });
  }

  @Override
  public void close() {
    if (writer != null) {
      synchronized (pendingLock) {
        closing = true;
      }
      LockSupport.unpark(writer);
      try {
        writer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      if (journal != null) {
        try {
          if (broken == null) {
            flushLocked();
          }
        } finally {
          try {
            journal.close();
          } catch (IOException e) {
            LOG.warn("Closing the journal failed", e);
          }
        }
      }
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA optimize");
      }
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("Cannot close the database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
