package org.dure.store.doc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Where the kernel keeps its documents (each commit's changes as a row, from time to time a
 * snapshot) and where features keep their tables: one SQLite connection in WAL mode, used under a
 * lock, with a {@link Schema}. Two kinds, run through the same contract tests: {@link
 * SqliteDocumentStore}, a file whose page edits go through a journal, and {@link
 * InMemoryDocumentStore}, for tests and throw-away stores. Only the kernel ({@link Documents}) uses
 * one: open it, and hand it to {@link Documents}, which closes it.
 *
 * <p>Durability (see {@code docs/SECURITY.md}, "Durability"): a {@link #transaction} commits with
 * {@code synchronous=FULL}, so the WAL is on the disk when it returns and it survives a power loss
 * or OS crash as well as a {@code kill -9}. A {@link #lazyTransaction} commits with {@code
 * synchronous=NORMAL}: it survives the process being killed, but a power loss may take it (and only
 * it and what came after it: the WAL is replayed up to its last complete commit, so the database
 * stays consistent); it is for what a peer sends again when asked (changes and states of sync), and
 * the next durable commit makes it durable too.
 *
 * <p>Edits of documents typed in ({@link #appendEdit}) may be applied later, in batches; every
 * {@link #read} and transaction first applies what is pending, so readers never see the database
 * behind the edits made.
 */
public abstract sealed class DocumentStore implements Sql, AutoCloseable
    permits SqliteDocumentStore, InMemoryDocumentStore {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentStore.class);

  final Connection connection;
  final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /** What else a journalled edit updates when it reaches SQLite. */
  private final Sql.OnEdit onEdit;

  /** Whether the connection is set to {@code synchronous=FULL} now (else NORMAL). */
  private boolean synchronousFull;

  /**
   * A snapshot of a document as of version {@code seq}, replacing the changes after version {@code
   * since} (the previous snapshot) up to {@code seq}.
   */
  record Snapshot(long seq, long since, byte[] bytes) {}

  DocumentStore(Connection connection, Schema schema, Sql.OnEdit onEdit) throws SQLException {
    this.connection = connection;
    this.onEdit = onEdit;
    this.synchronousFull = true;
    migrate(schema);
  }

  /**
   * Opens (creating if needed) the database {@code file} with its journal in the same directory;
   * journalled edits are moved into SQLite every {@code flushInterval}, and {@code onEdit} runs
   * with each.
   */
  public static DocumentStore open(
      Path file, Duration flushInterval, Schema schema, Sql.OnEdit onEdit) {
    return SqliteDocumentStore.create(file, flushInterval, schema, onEdit);
  }

  /** A database in memory, gone when closed. */
  public static DocumentStore inMemory(Schema schema, Sql.OnEdit onEdit) {
    return InMemoryDocumentStore.create(schema, onEdit);
  }

  /** A connection to {@code url} in WAL mode with {@code synchronous=FULL}. */
  static Connection connect(String url) throws SQLException {
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
    return c;
  }

  private void migrate(Schema schema) throws SQLException {
    int version;
    try (Statement s = connection.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > schema.version()) {
      throw new StoreException(
          "The data directory was written by a newer Dure (schema "
              + version
              + "); update Dure to open it.");
    }
    schema.migrate(version, this::migrate);
  }

  /** Runs a migration step in one transaction (the step sets {@code user_version} itself). */
  private void migrate(Schema.Step step) throws SQLException {
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
  final <T> T transaction(Sql.Work<T> work) {
    return transaction(work, true);
  }

  /**
   * Runs {@code work} in one transaction that a power loss may undo ({@code synchronous=NORMAL}; a
   * crash of the process does not): for data a peer sends again if it is missing, so as not to wait
   * for the disk on every message of a sync.
   */
  final <T> T lazyTransaction(Sql.Work<T> work) {
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
  final <T> T inTransaction(Sql.Work<T> work, boolean durable) {
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
  final <T> T read(Sql.Work<T> work) {
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

  /**
   * Moves pending edits into SQLite (a store that applies edits at once has none); the caller holds
   * the lock.
   */
  abstract void flushLocked();

  /**
   * Persists one commit of a document typed in: its change row, the document's sequence number, and
   * what {@link Sql.OnEdit} adds. Returns once the edit is safe from a crash of the process.
   *
   * @throws StoreException if it cannot be written; the edit is then not persisted
   */
  abstract void appendEdit(Journal.Entry e);

  /**
   * Stores {@code snapshot} of document {@code docId} with the pending edits, after the edit of its
   * version, which must already have been passed to {@link #appendEdit}. Nothing is lost if it is
   * not written (a crash): the document then loads from its previous snapshot and the changes.
   */
  abstract void appendSnapshot(String docId, Snapshot snapshot);

  /**
   * Returns once every edit appended so far is on the disk (callers arriving together share it).
   */
  abstract void awaitDurable();

  /** How many journalled edits were found (and applied) when the store was opened. */
  abstract int recoveredEdits();

  /** Closes the store as a crash would leave it: pending edits are not applied (for tests). */
  abstract void abandon();

  /**
   * Applies journalled commits in order, skipping those already in the database, then the
   * snapshots: per document one look-up of its sequence number and one update of it (and of its
   * snapshot) and of the page's time of change, and one insert per commit.
   */
  final void apply(List<Journal.Entry> entries, Map<String, Snapshot> snapshots)
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

  /** A cached prepared statement; only to be used inside {@link #transaction} or {@link #read}. */
  @Override
  public final PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.clearParameters();
    return ps;
  }

  /** The result of SQLite's {@code PRAGMA integrity_check}: "ok" when the database is sound. */
  public final String integrityCheck() {
    return read(
        db -> {
          try (Statement s = connection.createStatement();
              var rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no result";
          }
        });
  }

  /** Closes the statements and the connection; the caller holds the lock. */
  final void closeConnection() throws SQLException {
    for (PreparedStatement ps : statements.values()) {
      ps.close();
    }
    statements.clear();
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA optimize");
    }
    connection.close();
  }

  /** Applies what is pending, then closes the database. */
  @Override
  public abstract void close();
}
