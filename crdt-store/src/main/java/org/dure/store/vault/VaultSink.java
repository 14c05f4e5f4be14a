package org.dure.store.vault;

import java.io.IOException;
import java.io.OutputStream;

/** Where an export writes its files: a folder, a zip, memory. */
public interface VaultSink {
  /**
   * A new file at {@code path} (relative, {@code /}-separated, made by the exporter); the caller
   * closes the stream.
   */
  OutputStream create(String path) throws IOException;

  /** Writes a whole file. */
  default void write(String path, byte[] bytes) throws IOException {
    try (OutputStream out = create(path)) {
      out.write(bytes);
    }
  }
}
