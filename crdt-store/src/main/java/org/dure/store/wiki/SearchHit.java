package org.dure.store.wiki;

import java.util.ArrayList;
import java.util.List;

/**
 * One search result.
 *
 * @param snippet a short excerpt; matched text is between {@link #MARK_START} and {@link #MARK_END}
 */
public record SearchHit(PageSummary page, String snippet) {
  public static final char MARK_START = '\uE000';
  public static final char MARK_END = '\uE001';

  /** A piece of the snippet, highlighted where it matched the query. */
  public record Part(String text, boolean match) {}

  /** The snippet split into plain and matched parts (for safe rendering without HTML). */
  public List<Part> parts() {
    List<Part> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean match = false;
    for (char c : snippet.toCharArray()) {
      if (c == MARK_START || c == MARK_END) {
        if (!cur.isEmpty()) {
          out.add(new Part(cur.toString(), match));
          cur.setLength(0);
        }
        match = c == MARK_START;
      } else {
        cur.append(c);
      }
    }
    if (!cur.isEmpty()) {
      out.add(new Part(cur.toString(), match));
    }
    return out;
  }
}
