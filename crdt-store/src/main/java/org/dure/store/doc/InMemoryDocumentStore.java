package org.dure.store.doc;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A {@link DocumentStore} in memory (SQLite's {@code :memory:}), gone when closed: for tests and
 * throw-away stores. Edits are applied at once, each in a transaction; nothing is ever on a disk.
 */
public final class InMemoryDocumentStore extends DocumentStore {

  private InMemoryDocumentStore(Schema schema, Sql.OnEdit onEdit) throws SQLException {
    super(connect("jdbc:sqlite::memory:"), schema, onEdit);
  }

  static InMemoryDocumentStore create(Schema schema, Sql.OnEdit onEdit) {
    try {
      return new InMemoryDocumentStore(schema, onEdit);
    } catch (SQLException e) {
      throw new StoreException(
          "Cannot open the database jdbc:sqlite::memory:: " + e.getMessage(), e);
    }
  }

  @Override
  void flushLocked() {
    // every edit was applied when it was made
  }

  @Override
  void appendEdit(Journal.Entry e) {
    transaction(
        d -> {
          apply(List.of(e), Map.of());
          return null;
        });
  }

  @Override
  void appendSnapshot(String docId, Snapshot snapshot) {
    transaction(
        d -> {
          apply(List.of(), Map.of(docId, snapshot));
          return null;
        });
  }

  @Override
  void awaitDurable() {
    // nothing is on a disk
  }

  @Override
  int recoveredEdits() {
    return 0;
  }

  @Override
  void abandon() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("Cannot abandon the database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closeConnection();
    } catch (SQLException e) {
      throw new StoreException("Cannot close the database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
