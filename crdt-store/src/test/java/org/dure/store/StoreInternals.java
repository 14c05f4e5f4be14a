package org.dure.store;

import org.dure.store.doc.Documents;

/**
 * What tests in the store's other packages may reach of a {@link WikiStore} that its API does not
 * hand out: the document kernel under it.
 */
public final class StoreInternals {
  private StoreInternals() {}

  /**
   * Stops {@code store} as a crash would: edits still in the journal are not applied and nothing is
   * flushed (for tests of recovery).
   */
  public static void abandon(WikiStore store) {
    store.abandonForTest();
  }

  /** The kernel {@code store} is built on. */
  public static Documents documents(WikiStore store) {
    return store.documents();
  }
}
