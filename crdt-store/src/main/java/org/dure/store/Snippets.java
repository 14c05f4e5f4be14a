package org.dure.store;

import java.util.List;
import java.util.Locale;

/** Builds a search snippet in Java when the full-text index cannot (query words under 3 chars). */
final class Snippets {
  private static final int RADIUS = 60;

  private Snippets() {}

  static String around(String body, List<String> terms) {
    if (body == null || body.isEmpty()) {
      return "";
    }
    String lower = body.toLowerCase(Locale.ROOT);
    int at = -1;
    String hit = null;
    for (String t : terms) {
      int i = lower.indexOf(t.toLowerCase(Locale.ROOT));
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        hit = t;
      }
    }
    if (at < 0) {
      return body.length() <= 2 * RADIUS ? body : body.substring(0, 2 * RADIUS) + "…";
    }
    int from = Math.max(0, at - RADIUS);
    int to = Math.min(body.length(), at + hit.length() + RADIUS);
    if (from > 0 && Character.isLowSurrogate(body.charAt(from))) {
      from--;
    }
    if (to < body.length() && Character.isLowSurrogate(body.charAt(to))) {
      to++;
    }
    return (from > 0 ? "…" : "")
        + body.substring(from, at)
        + SearchHit.MARK_START
        + body.substring(at, at + hit.length())
        + SearchHit.MARK_END
        + body.substring(at + hit.length(), to)
        + (to < body.length() ? "…" : "");
  }
}
