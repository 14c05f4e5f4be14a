package org.dure.store.vault;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The YAML front matter of an exported page, and the subset of YAML read back: {@code key: value}
 * lines between a first line {@code ---} and the next line {@code ---} (or {@code ...}), values
 * plain, {@code 'single'} or {@code "double"} quoted. Nested values and lists (Obsidian's {@code
 * tags}, {@code aliases}) are skipped; what Dure reads is {@link #TITLE} (the page's title) and,
 * for the record, the dates and the page id it was exported from.
 *
 * <pre>
 * ---
 * title: "Harvest / 2026"
 * created: 2026-12-07T10:15:30Z
 * updated: 2026-12-07T11:02:00Z
 * dure-page: 5f0c2e…
 * ---
 * (the page's Markdown, exactly)
 * </pre>
 */
public record FrontMatter(
    Optional<String> title,
    Optional<Instant> created,
    Optional<Instant> updated,
    Optional<String> pageId) {
  public static final String TITLE = "title";
  public static final String CREATED = "created";
  public static final String UPDATED = "updated";
  public static final String PAGE_ID = "dure-page";

  /** The most characters of a file searched for the end of its front matter. */
  static final int MAX_LENGTH = 64 * 1024;

  /** A file split into its front matter (empty if it has none) and the Markdown after it. */
  public record Split(FrontMatter frontMatter, Map<String, String> values, String body) {}

  /** The front matter as written at the top of an exported file, ending in a line break. */
  public String write() {
    StringBuilder sb = new StringBuilder("---\n");
    title.ifPresent(t -> sb.append(TITLE).append(": ").append(quote(t)).append('\n'));
    created.ifPresent(t -> sb.append(CREATED).append(": ").append(t).append('\n'));
    updated.ifPresent(t -> sb.append(UPDATED).append(": ").append(t).append('\n'));
    pageId.ifPresent(id -> sb.append(PAGE_ID).append(": ").append(quote(id)).append('\n'));
    return sb.append("---\n").toString();
  }

  /**
   * Splits a file's text. Text without front matter (no first line {@code ---}, or no closing line
   * within {@value #MAX_LENGTH} characters) is all body. The body is what follows the closing line,
   * unchanged.
   */
  public static Split parse(String text) {
    FrontMatter none =
        new FrontMatter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    if (!(text.startsWith("---\n") || text.startsWith("---\r\n"))) {
      return new Split(none, Map.of(), text);
    }
    int pos = text.indexOf('\n') + 1;
    Map<String, String> values = new LinkedHashMap<>();
    while (pos < text.length() && pos < MAX_LENGTH) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      String line = text.substring(pos, end);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      int next = nl < 0 ? text.length() : nl + 1;
      if (line.equals("---") || line.equals("...")) {
        return new Split(of(values), values, text.substring(next));
      }
      keyValue(line, values);
      pos = next;
    }
    return new Split(none, Map.of(), text);
  }

  private static FrontMatter of(Map<String, String> v) {
    return new FrontMatter(
        Optional.ofNullable(v.get(TITLE)).map(String::strip).filter(t -> !t.isEmpty()),
        instant(v.get(CREATED)),
        instant(v.get(UPDATED)),
        Optional.ofNullable(v.get(PAGE_ID)).filter(t -> !t.isEmpty()));
  }

  private static Optional<Instant> instant(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(Instant.parse(s.strip()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Reads {@code key: value} at the start of a line; skips anything else. */
  private static void keyValue(String line, Map<String, String> values) {
    if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("#")) {
      return; // nested value, list item or comment
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || (colon + 1 < line.length() && line.charAt(colon + 1) != ' ')) {
      return;
    }
    String key = line.substring(0, colon).strip();
    String raw = line.substring(colon + 1).strip();
    if (raw.isEmpty()) {
      return; // a block value (a list or map) follows
    }
    Optional<String> value = scalar(raw);
    value.ifPresent(v -> values.putIfAbsent(key, v));
  }

  /** A YAML flow scalar, or empty if it is something else (a list, a map, a broken quote). */
  static Optional<String> scalar(String raw) {
    char first = raw.charAt(0);
    if (first == '"') {
      return doubleQuoted(raw);
    }
    if (first == '\'') {
      int end = raw.length() - 1;
      if (end < 1 || raw.charAt(end) != '\'') {
        return Optional.empty();
      }
      return Optional.of(raw.substring(1, end).replace("''", "'"));
    }
    if (first == '[' || first == '{' || first == '|' || first == '>') {
      return Optional.empty();
    }
    int comment = raw.indexOf(" #");
    return Optional.of(comment < 0 ? raw : raw.substring(0, comment).strip());
  }

  private static Optional<String> doubleQuoted(String raw) {
    StringBuilder sb = new StringBuilder();
    int i = 1;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '"') {
        return i == raw.length() - 1 ? Optional.of(sb.toString()) : Optional.empty();
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= raw.length()) {
        return Optional.empty();
      }
      char e = raw.charAt(i + 1);
      int hex =
          switch (e) {
            case 'x' -> 2;
            case 'u' -> 4;
            case 'U' -> 8;
            default -> 0;
          };
      if (hex > 0) {
        if (i + 2 + hex > raw.length()) {
          return Optional.empty();
        }
        try {
          sb.appendCodePoint(Integer.parseInt(raw.substring(i + 2, i + 2 + hex), 16));
        } catch (IllegalArgumentException ex) {
          return Optional.empty();
        }
        i += 2 + hex;
        continue;
      }
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '0' -> sb.append('\0');
        case '"', '\\', '/', ' ' -> sb.append(e);
        default -> {
          return Optional.empty();
        }
      }
      i += 2;
    }
    return Optional.empty();
  }

  /** {@code s} as a YAML double-quoted scalar. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", cp));
                  } else {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.append('"').toString();
  }
}
