package org.dure.store.doc;

/**
 * Told of the changes of each version as it is persisted, on the document's lane: whatever keeps a
 * picture of a document's history (the sync ingest's format validator) learns this node's own
 * changes from it.
 */
@FunctionalInterface
public interface ChangeObserver {

  /** Version about to be persisted of {@code live}: its changes, encoded. */
  void persisting(LiveDocument live, byte[] changes);

  /** Observes nothing. */
  ChangeObserver NONE = (live, changes) -> {};
}
