package org.dure.store.doc;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DocumentStore} in a SQLite file, whose edits of documents typed in do not wait for a
 * transaction: {@link #appendEdit} writes them to the {@link Journal} (as safe from a crash of the
 * process as a committed transaction) and a writer thread moves them into SQLite in batches, in
 * durable transactions, every flush interval: so an edit is on the disk at most that long (plus the
 * batch's write) after it was made; {@link #awaitDurable} forces the journal for a caller that must
 * not wait that long. Every read and transaction first applies what is pending; at start-up, what
 * the journal holds is applied before anything else.
 */
public final class SqliteDocumentStore extends DocumentStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDocumentStore.class);

  /** The files it keeps next to the database: the journal's two files. */
  public static final List<String> JOURNAL_FILES = Journal.FILE_NAMES;

  /** Pending edits beyond which the writer is woken at once. */
  static final int FLUSH_BATCH = 4096;

  private final Journal journal;
  private final Object pendingLock = new Object();
  private List<Journal.Entry> pending = new ArrayList<>();

  /** Snapshots made by compaction, per document, to be written with the pending edits. */
  private Map<String, Snapshot> pendingSnapshots = new HashMap<>();

  private volatile StoreException broken;
  private volatile boolean closing;
  private final Thread writer;
  private final long flushIntervalNanos;
  private int recovered;

  private SqliteDocumentStore(
      Connection connection,
      Schema schema,
      Sql.OnEdit onEdit,
      Journal journal,
      Duration flushInterval)
      throws SQLException {
    super(connection, schema, onEdit);
    this.journal = journal;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.writer = new Thread(this::writeLoop, "dure-db-writer");
    writer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the database {@code file} with its journal in the same directory;
   * journalled edits are moved into SQLite every {@code flushInterval}.
   */
  static SqliteDocumentStore create(
      Path file, Duration flushInterval, Schema schema, Sql.OnEdit onEdit) {
    Journal journal;
    try {
      journal = Journal.open(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StoreException("Cannot open the journal next to " + file + ": " + e, e);
    }
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      SqliteDocumentStore db;
      try {
        db = new SqliteDocumentStore(connect(url), schema, onEdit, journal, flushInterval);
      } catch (SQLException e) {
        throw new StoreException("Cannot open the database " + url + ": " + e.getMessage(), e);
      }
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

  /**
   * Persists one commit of a page: its change row, the document's sequence number and the page's
   * time of change. Returns once the edit is in the journal.
   *
   * @throws StoreException if it cannot be written; the edit is then not persisted
   */
  @Override
  void appendEdit(Journal.Entry e) {
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
  @Override
  void appendSnapshot(String docId, Snapshot snapshot) {
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
  @Override
  void flushLocked() {
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
  @Override
  void abandon() {
    synchronized (pendingLock) {
      closing = true;
      broken = new StoreException("abandoned");
    }
    lock.lock();
    try {
      journal.close();
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
  @Override
  void awaitDurable() {
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
    return new long[] {journal.lastTicket(), journal.forcedTicket()};
  }

  /** How many journalled edits were found (and applied) when the database was opened. */
  @Override
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

  @Override
  public void close() {
    synchronized (pendingLock) {
      closing = true;
    }
    LockSupport.unpark(writer);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
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
      closeConnection();
    } catch (SQLException e) {
      throw new StoreException("Cannot close the database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
