package org.dure.store.wiki;

import java.util.Comparator;
import java.util.List;

/**
 * Builds a search result's snippet: the text around the first occurrence of a query word, with
 * every occurrence of every query word in it marked ({@link SearchHit#MARK_START} … {@link
 * SearchHit#MARK_END}). Case-insensitive without changing the text's length (no lower-casing of the
 * whole body).
 */
final class Snippets {
  private static final int RADIUS = 60;

  private Snippets() {}

  static String around(String body, List<String> terms) {
    if (body == null || body.isEmpty()) {
      return "";
    }
    List<String> byLength =
        terms.stream()
            .filter(t -> !t.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    int at = -1;
    for (String t : byLength) {
      int i = find(body, t, 0);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
      }
    }
    if (at < 0) {
      return body.length() <= 2 * RADIUS ? body : cut(body, 0, 2 * RADIUS) + "…";
    }
    int from = Math.max(0, at - RADIUS);
    int to = Math.min(body.length(), at + RADIUS * 2);
    if (from > 0 && Character.isLowSurrogate(body.charAt(from))) {
      from--;
    }
    if (to < body.length() && Character.isLowSurrogate(body.charAt(to))) {
      to++;
    }
    StringBuilder out = new StringBuilder();
    if (from > 0) {
      out.append('…');
    }
    int i = from;
    while (i < to) {
      String hit = null;
      for (String t : byLength) {
        if (i + t.length() <= body.length() && body.regionMatches(true, i, t, 0, t.length())) {
          hit = t;
          break;
        }
      }
      if (hit != null) {
        out.append(SearchHit.MARK_START)
            .append(body, i, i + hit.length())
            .append(SearchHit.MARK_END);
        i += hit.length();
      } else {
        out.append(body.charAt(i));
        i++;
      }
    }
    if (to < body.length()) {
      out.append('…');
    }
    return out.toString();
  }

  private static int find(String body, String term, int from) {
    for (int i = from; i + term.length() <= body.length(); i++) {
      if (body.regionMatches(true, i, term, 0, term.length())) {
        return i;
      }
    }
    return -1;
  }

  private static String cut(String s, int from, int to) {
    if (to < s.length() && Character.isLowSurrogate(s.charAt(to))) {
      to++;
    }
    return s.substring(from, to);
  }
}
