package org.dure.store.doc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The store's SQLite connection, as work given to {@link Documents#read} or a transaction sees it:
 * cached prepared statements, used on the calling thread only while that work runs.
 */
public interface Sql {

  /** A cached prepared statement for {@code sql}, its parameters cleared. */
  PreparedStatement statement(String sql) throws SQLException;

  /** Work done with the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Sql sql) throws SQLException;
  }

  /**
   * What else a journalled edit of document {@code docId} made at {@code timeMillis} updates when
   * it reaches SQLite, in the same transaction (once per document and batch, with its last edit's
   * time).
   */
  @FunctionalInterface
  interface OnEdit {
    void edited(Sql sql, String docId, long timeMillis) throws SQLException;

    /** Nothing more. */
    OnEdit NONE = (sql, docId, time) -> {};
  }

  /** SQL work done in the same transaction as a commit that made version {@code seq}. */
  @FunctionalInterface
  interface OnCommit {
    void run(Sql sql, long seq) throws SQLException;

    /** Nothing more. */
    OnCommit NONE = (sql, seq) -> {};

    /** This work, then {@code next}. */
    default OnCommit andThen(OnCommit next) {
      return (sql, seq) -> {
        run(sql, seq);
        next.run(sql, seq);
      };
    }
  }
}
