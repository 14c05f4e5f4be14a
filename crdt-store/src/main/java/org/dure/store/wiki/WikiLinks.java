package org.dure.store.wiki;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wiki links: {@code [[Page Title]]} or {@code [[Page Title|shown text]]}, and the rules for page
 * titles they point to.
 */
public final class WikiLinks {
  /** The link syntax; group 1 is the target title, group 2 the optional label. */
  public static final Pattern LINK =
      Pattern.compile("\\[\\[([^\\[\\]|\\n]{1,200})(?:\\|([^\\[\\]\\n]{0,200}))?]]");

  public static final int MAX_TITLE_LENGTH = 200;

  private WikiLinks() {}

  /** The distinct link targets in a Markdown body, as written (trimmed), in order. */
  public static Set<String> targets(String body) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = LINK.matcher(body);
    while (m.find()) {
      String t = m.group(1).strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** The key titles are compared by: trimmed, NFC-normalised, case-folded. */
  public static String key(String title) {
    return Normalizer.normalize(title.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a page title and returns it trimmed.
   *
   * @throws IllegalArgumentException with a message fit to show the user
   */
  public static String checkTitle(String title) {
    String t = title == null ? "" : Normalizer.normalize(title.strip(), Normalizer.Form.NFC);
    if (t.isEmpty()) {
      throw new IllegalArgumentException("A page needs a title.");
    }
    if (t.codePointCount(0, t.length()) > MAX_TITLE_LENGTH) {
      throw new IllegalArgumentException(
          "A title can have at most " + MAX_TITLE_LENGTH + " characters.");
    }
    if (t.contains("[") || t.contains("]") || t.contains("|") || t.contains("\n")) {
      throw new IllegalArgumentException(
          "A title cannot contain [, ], | or line breaks (they are used by [[links]]).");
    }
    return t;
  }

  /**
   * {@code markdown} with {@code rewrite} applied to each line that is not code (not inside a
   * fenced block, not indented as a code block); fence lines and code are kept as they are. For
   * rewriting links, which code never holds.
   */
  public static String mapOutsideCode(String markdown, UnaryOperator<String> rewrite) {
    StringBuilder out = new StringBuilder(markdown.length() + 16);
    boolean fenced = false;
    String fence = "";
    boolean first = true;
    for (String line : markdown.split("\n", -1)) {
      if (!first) {
        out.append('\n');
      }
      first = false;
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        String marker = trimmed.substring(0, 3);
        if (!fenced) {
          fenced = true;
          fence = marker;
        } else if (marker.equals(fence)) {
          fenced = false;
        }
        out.append(line);
      } else if (fenced || line.startsWith("    ") || line.startsWith("\t")) {
        out.append(line);
      } else {
        out.append(rewrite.apply(line));
      }
    }
    return out.toString();
  }
}
