package org.dure.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip file to import from (an uploaded vault). Entry names that leave the zip's root ({@code
 * ../x}, {@code /etc/x}, {@code C:\x}) are left out; sizes are the ones the zip declares, and
 * reading an entry stops at the import's limits whatever it inflates to.
 */
public final class ZipSource implements VaultSource {
  private final ZipFile zip;
  private final List<Entry> entries;
  private final Map<String, ZipEntry> byPath;
  private final List<String> leftOut;

  private ZipSource(
      ZipFile zip, List<Entry> entries, Map<String, ZipEntry> byPath, List<String> leftOut) {
    this.zip = zip;
    this.entries = entries;
    this.byPath = byPath;
    this.leftOut = leftOut;
  }

  /**
   * Lists the zip's entries.
   *
   * @throws VaultException if it is not a zip or has more entries than the limits allow
   */
  public static ZipSource open(Path file, VaultLimits limits) throws VaultException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new VaultException("The file is not a zip archive; upload a .zip of your folder.", e);
    } catch (IOException e) {
      throw new VaultException("Cannot open the zip: " + e.getMessage(), e);
    }
    try {
      if (zip.size() > limits.maxEntries()) {
        throw new VaultException(
            "The zip holds more than "
                + limits.maxEntries()
                + " files and folders; import a smaller one.");
      }
      List<Entry> entries = new ArrayList<>();
      Map<String, ZipEntry> byPath = new HashMap<>();
      List<String> leftOut = new ArrayList<>();
      String prefix = commonFolder(zip);
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName();
        String rel =
            name.startsWith(prefix) ? VaultSource.normalize(name.substring(prefix.length())) : null;
        if (rel == null) {
          if (!VaultSource.hidden(name) && !name.startsWith("__MACOSX/")) {
            leftOut.add(name + ": a name outside the zip's folder, not read");
          }
          continue;
        }
        if (rel.split("/").length - 1 > limits.maxDepth()) {
          throw new VaultException(
              name + " is nested more than " + limits.maxDepth() + " folders deep.");
        }
        long size = e.getSize() < 0 ? Long.MAX_VALUE : e.getSize();
        if (byPath.putIfAbsent(rel, e) == null) {
          entries.add(new Entry(rel, size));
        }
      }
      entries.sort(Comparator.comparing(Entry::path));
      return new ZipSource(zip, List.copyOf(entries), byPath, List.copyOf(leftOut));
    } catch (VaultException | RuntimeException e) {
      try {
        zip.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The folder every entry is in ({@code "My vault/"} when the zip holds one folder), or empty. A
   * zip of a folder keeps the folder's name; the vault is what is inside it.
   */
  private static String commonFolder(ZipFile zip) {
    String common = null;
    Enumeration<? extends ZipEntry> all = zip.entries();
    while (all.hasMoreElements()) {
      String name = all.nextElement().getName().replace('\\', '/');
      if (VaultSource.normalize(name) == null) {
        continue; // an entry that is left out anyway
      }
      int slash = name.indexOf('/');
      String first = slash < 0 ? "" : name.substring(0, slash + 1);
      if (first.isEmpty() || first.startsWith(".") || first.startsWith("__MACOSX")) {
        if (first.isEmpty()) {
          return "";
        }
        continue;
      }
      if (common == null) {
        common = first;
      } else if (!common.equals(first)) {
        return "";
      }
    }
    return common == null ? "" : common;
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
  public InputStream open(Entry entry) throws IOException {
    ZipEntry e = byPath.get(entry.path());
    if (e == null) {
      throw new NoSuchFileException(entry.path());
    }
    return zip.getInputStream(e);
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
