package org.dure.store;

import java.nio.file.Path;
import org.dure.store.doc.StoreException;

/** Another process already has the data directory open. */
public final class StoreLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreLockedException(Path dataDir) {
    super(
        "Another Dure process is using "
            + dataDir
            + ". Stop it first, or start this one with a different --data directory.");
  }
}
