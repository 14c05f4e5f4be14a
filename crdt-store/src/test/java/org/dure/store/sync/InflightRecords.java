package org.dure.store.sync;

import java.io.IOException;
import java.nio.file.Path;

/** In-flight records for tests in other packages (the log's own methods are package-private). */
public final class InflightRecords {
  private InflightRecords() {}

  /**
   * Writes, in {@code dir}, the record of a snapshot from {@code peer} for {@code docId} being in
   * native code, and leaves it so (as a process that died there would).
   */
  public static void beginSnapshot(Path dir, String peer, String docId) throws IOException {
    InflightLog.open(dir).begin(InflightLog.Entry.snapshot(peer, docId, new byte[32], new byte[8]));
  }
}
