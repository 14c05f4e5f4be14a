package org.dure.store.vault;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * A folder, zip or set of uploaded files to import from: its files listed (within {@link
 * VaultLimits#maxEntries}) when it is opened, nothing read until asked.
 */
public interface VaultSource extends Closeable {

  /**
   * A file in the source.
   *
   * @param path relative, {@code /}-separated, without {@code .} or {@code ..} segments
   * @param size its size as listed (reading stops past a limit whatever it turns out to be)
   */
  record Entry(String path, long size) {
    /** Whether it is a Markdown page. */
    public boolean isMarkdown() {
      return path.toLowerCase(Locale.ROOT).endsWith(".md");
    }
  }

  /**
   * The files, in path order (hidden files and folders, whose names start with a dot, left out).
   */
  List<Entry> entries();

  /** What was left out and why (a link out of the folder, a link to a folder), for the report. */
  List<String> leftOut();

  /** Opens a listed file; reading it may end early if it is larger than listed. */
  InputStream open(Entry entry) throws IOException;

  @Override
  default void close() throws IOException {}

  /**
   * Whether a path names a hidden file or folder (a segment starting with a dot, not {@code ..}).
   */
  static boolean hidden(String path) {
    for (String seg : path.replace('\\', '/').split("/")) {
      if (seg.startsWith(".") && !seg.equals(".") && !seg.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A path made relative and {@code /}-separated, or null if it leaves the root, is absolute or
   * names a hidden file or folder.
   */
  static String normalize(String path) {
    String p = path.replace('\\', '/');
    if (p.startsWith("/") || p.matches("^[A-Za-z]:.*")) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String seg : p.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.startsWith(".")) {
        return null; // "..", or a hidden file or folder (.obsidian, .git, .trash)
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(seg);
    }
    return out.length() == 0 ? null : out.toString();
  }
}
