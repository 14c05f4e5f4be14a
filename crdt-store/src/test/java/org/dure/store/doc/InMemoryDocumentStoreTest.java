package org.dure.store.doc;

/** The kernel's contract on a store in memory. */
class InMemoryDocumentStoreTest extends DocumentStoreContract {
  @Override
  DocumentStore openStore(Sql.OnEdit onEdit) {
    return DocumentStore.inMemory(SCHEMA, onEdit);
  }
}
