package org.dure.store.vault;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Files already in memory (uploaded one by one, or sent through the local API). */
public final class MemorySource implements VaultSource {
  private final List<Entry> entries;
  private final Map<String, byte[]> bytes;
  private final List<String> leftOut;

  /**
   * @param files path to content; paths that leave the root or are hidden are left out
   * @throws VaultException if there are more files than the limits allow
   */
  public MemorySource(Map<String, byte[]> files, VaultLimits limits) throws VaultException {
    if (files.size() > limits.maxEntries()) {
      throw new VaultException(
          "More than " + limits.maxEntries() + " files; import fewer at a time.");
    }
    List<Entry> list = new ArrayList<>();
    Map<String, byte[]> map = new HashMap<>();
    List<String> out = new ArrayList<>();
    files.forEach(
        (path, content) -> {
          String rel = VaultSource.normalize(path);
          if (rel == null) {
            if (!VaultSource.hidden(path)) {
              out.add(path + ": a name outside the folder, not read");
            }
          } else if (map.putIfAbsent(rel, content) == null) {
            list.add(new Entry(rel, content.length));
          }
        });
    list.sort(Comparator.comparing(Entry::path));
    this.entries = List.copyOf(list);
    this.bytes = map;
    this.leftOut = List.copyOf(out);
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public List<String> leftOut() {
    return leftOut;
  }

  @Override
  public InputStream open(Entry entry) throws NoSuchFileException {
    byte[] b = bytes.get(entry.path());
    if (b == null) {
      throw new NoSuchFileException(entry.path());
    }
    return new ByteArrayInputStream(b);
  }
}
