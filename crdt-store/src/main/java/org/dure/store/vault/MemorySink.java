package org.dure.store.vault;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Keeps an export's files in memory, by path. */
public final class MemorySink implements VaultSink {
  private final Map<String, byte[]> files = new TreeMap<>();

  @Override
  public OutputStream create(String path) {
    if (files.containsKey(path)) {
      throw new IllegalArgumentException("Written twice: " + path);
    }
    files.put(path, new byte[0]);
    return new ByteArrayOutputStream() {
      @Override
      public void close() {
        files.put(path, toByteArray());
      }
    };
  }

  /** The files written, by path in order. */
  public Map<String, byte[]> files() {
    return Collections.unmodifiableMap(files);
  }
}
