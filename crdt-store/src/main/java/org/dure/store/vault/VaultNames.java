package org.dure.store.vault;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;

/**
 * File names for pages: safe on Linux, macOS and Windows, and in Obsidian links; clashes are
 * numbered in a fixed order, so the same pages always get the same names.
 *
 * <p>A title becomes a base name (without {@code .md} or {@code .html}) by replacing with {@code _}
 * what a file system or an Obsidian link cannot hold ({@code \ / : * ? " < > | # ^ [ ]} and control
 * characters), a leading dot (a hidden file) and a trailing dot or space (Windows drops them); a
 * name Windows reserves ({@code CON}, {@code NUL}, {@code COM1}…) gets a {@code _}; a long name is
 * cut to {@value #MAX_NAME_BYTES} bytes of UTF-8.
 */
public final class VaultNames {
  /** The most UTF-8 bytes of a base name: room for {@code " (99999)"} and {@code .html} in 255. */
  public static final int MAX_NAME_BYTES = 200;

  /** The folder attachments go into, beside the pages. */
  public static final String ATTACHMENTS = "attachments";

  private static final String FORBIDDEN = "\\/:*?\"<>|#^[]";

  private static final Pattern RESERVED =
      Pattern.compile("(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])");

  private VaultNames() {}

  /** The base name of a file for a page titled {@code title}, before clashes are numbered. */
  public static String baseName(String title) {
    String t = Normalizer.normalize(title.strip(), Normalizer.Form.NFC);
    StringBuilder sb = new StringBuilder(t.length());
    t.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f || FORBIDDEN.indexOf(cp) >= 0) {
                sb.append('_');
              } else {
                sb.appendCodePoint(cp);
              }
            });
    String name = cut(sb.toString(), MAX_NAME_BYTES);
    if (name.isEmpty()) {
      return "Untitled";
    }
    if (name.startsWith(".")) {
      name = "_" + name.substring(1);
    }
    if (name.endsWith(".") || name.endsWith(" ")) {
      name = name.substring(0, name.length() - 1) + "_";
    }
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    if (RESERVED.matcher(stem.stripTrailing()).matches()) {
      name = stem + "_" + name.substring(stem.length());
    }
    return name;
  }

  /** The key two file names clash by on a case-insensitive file system. */
  public static String clashKey(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /**
   * Base names for the pages, unique by {@link #clashKey} and distinct from {@code reserved}
   * (compared the same way). Pages are taken in order of title, then creation time, then id; the
   * first keeps its base name, later ones with the same one get {@code " (2)"}, {@code " (3)"}…
   */
  public static Map<PageId, String> assign(List<PageSummary> pages, Set<String> reserved) {
    Set<String> taken = new HashSet<>();
    reserved.forEach(r -> taken.add(clashKey(r)));
    Map<PageId, String> out = new HashMap<>();
    List<PageSummary> ordered =
        pages.stream()
            .sorted(
                Comparator.comparing(PageSummary::title)
                    .thenComparing(PageSummary::created)
                    .thenComparing(p -> p.id().value()))
            .toList();
    for (PageSummary p : ordered) {
      out.put(p.id(), unique(baseName(p.title()), taken));
    }
    return out;
  }

  /** {@code base}, or with the first free {@code " (n)"} after it; marks the result taken. */
  static String unique(String base, Set<String> taken) {
    String name = base;
    for (int n = 2; !taken.add(clashKey(name)); n++) {
      name = base + " (" + n + ")";
    }
    return name;
  }

  /**
   * A file name for an attachment, safe like a page's and keeping its extension, unique in {@code
   * taken} (clash keys).
   */
  public static String attachmentName(String fileName, Set<String> taken) {
    String name = fileName == null || fileName.isBlank() ? "attachment" : fileName.strip();
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
    String stem = baseName(ext.isEmpty() ? name : name.substring(0, dot));
    String safeExt = ext.replaceAll("[^A-Za-z0-9.]", "_");
    for (int n = 1; ; n++) {
      String candidate = (n == 1 ? stem : stem + " (" + n + ")") + safeExt;
      if (taken.add(clashKey(candidate))) {
        return candidate;
      }
    }
  }

  /** {@code s} cut to at most {@code maxBytes} bytes of UTF-8, between code points. */
  static String cut(String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > maxBytes) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }
}
