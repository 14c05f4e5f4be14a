package org.dure.store.doc;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a store's SQLite database and how to bring an older database up to date, version by
 * version ({@code PRAGMA user_version}). The kernel's own tables ({@code documents}, {@code
 * changes}, {@code change_claims}) are among them; the store that opens the kernel gives the whole
 * schema, as one database holds every feature's tables.
 */
public interface Schema {

  /** The version this schema brings a database to. */
  int version();

  /**
   * Brings a database at version {@code from} (0: empty) to {@link #version}, one step after the
   * other; each step sets {@code user_version} itself and runs in its own transaction.
   */
  void migrate(int from, Migrations migrations) throws SQLException;

  /** Runs migration steps. */
  interface Migrations {
    /** Runs {@code step} in one transaction. */
    void step(Step step) throws SQLException;
  }

  /** One migration step's statements. */
  @FunctionalInterface
  interface Step {
    void run(Statement s) throws SQLException;
  }
}
