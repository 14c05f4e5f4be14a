package org.dure.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite database of a store: one connection in WAL mode, used under a lock.
 *
 * <p>Durability: {@code synchronous=NORMAL} in WAL mode means a committed transaction survives a
 * crash or {@code kill -9} of the process; after a power loss or OS crash the last transactions
 * before it may be lost, but the database stays consistent.
 */
final class Database implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /** Work done with the connection; may throw SQLException. */
  interface Work<T> {
    T run(Database db) throws SQLException;
  }

  private Database(Connection connection) {
    this.connection = connection;
  }

  static Database open(Path file) {
    return open("jdbc:sqlite:" + file.toAbsolutePath());
  }

  static Database inMemory() {
    return open("jdbc:sqlite::memory:");
  }

  private static Database open(String url) {
    try {
      Connection c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      Database db = new Database(c);
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
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
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
        s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** Runs {@code work} in one transaction; rolls back if it throws. */
  <T> T transaction(Work<T> work) {
    lock.lock();
    try {
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
    } finally {
      lock.unlock();
    }
  }

  /** Runs read-only {@code work} under the lock, outside an explicit transaction. */
  <T> T read(Work<T> work) {
    lock.lock();
    try {
      return work.run(this);
    } catch (SQLException e) {
      throw new StoreException("Database error: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** A cached prepared statement; only to be used inside {@link #transaction} or {@link #read}. */
  PreparedStatement statement(String sql) throws SQLException {
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
    lock.lock();
    try {
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
