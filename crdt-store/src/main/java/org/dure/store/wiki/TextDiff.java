package org.dure.store.wiki;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.DeltaType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line-level diff between two texts, with word-level detail inside changed lines.
 *
 * @param lines every line of both texts in order: unchanged, removed (from the old text) or added
 */
public record TextDiff(List<Line> lines) {
  /** How a line differs. */
  public enum Kind {
    SAME,
    REMOVED,
    ADDED
  }

  /**
   * One line of the diff.
   *
   * @param oldNumber 1-based line number in the old text, 0 for an added line
   * @param newNumber 1-based line number in the new text, 0 for a removed line
   * @param segments the line's text; segments marked changed are the words that differ
   */
  public record Line(Kind kind, int oldNumber, int newNumber, List<Segment> segments) {
    public String text() {
      StringBuilder sb = new StringBuilder();
      segments.forEach(s -> sb.append(s.text()));
      return sb.toString();
    }
  }

  /** A run of text in a line; {@code changed} marks words removed or added. */
  public record Segment(String text, boolean changed) {}

  private static final Pattern WORDS =
      Pattern.compile("\\w+|\\s+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);

  /** Counts of added and removed lines. */
  public int added() {
    return (int) lines.stream().filter(l -> l.kind == Kind.ADDED).count();
  }

  public int removed() {
    return (int) lines.stream().filter(l -> l.kind == Kind.REMOVED).count();
  }

  /** Computes the diff from {@code oldText} to {@code newText}. */
  public static TextDiff between(String oldText, String newText) {
    List<String> a = oldText.lines().toList();
    List<String> b = newText.lines().toList();
    List<Line> out = new ArrayList<>();
    int ai = 0;
    int bi = 0;
    for (AbstractDelta<String> d : DiffUtils.diff(a, b).getDeltas()) {
      int as = d.getSource().getPosition();
      while (ai < as) {
        out.add(same(a.get(ai), ++ai, ++bi));
      }
      List<String> removed = d.getSource().getLines();
      List<String> added = d.getTarget().getLines();
      if (d.getType() == DeltaType.CHANGE) {
        int pairs = Math.min(removed.size(), added.size());
        List<Line> rem = new ArrayList<>();
        List<Line> add = new ArrayList<>();
        for (int i = 0; i < removed.size(); i++) {
          List<Segment>[] words = i < pairs ? wordDiff(removed.get(i), added.get(i)) : null;
          rem.add(
              new Line(
                  Kind.REMOVED,
                  ai + i + 1,
                  0,
                  words != null ? words[0] : List.of(new Segment(removed.get(i), true))));
        }
        for (int i = 0; i < added.size(); i++) {
          List<Segment>[] words = i < pairs ? wordDiff(removed.get(i), added.get(i)) : null;
          add.add(
              new Line(
                  Kind.ADDED,
                  0,
                  bi + i + 1,
                  words != null ? words[1] : List.of(new Segment(added.get(i), true))));
        }
        out.addAll(rem);
        out.addAll(add);
      } else {
        for (int i = 0; i < removed.size(); i++) {
          out.add(
              new Line(Kind.REMOVED, ai + i + 1, 0, List.of(new Segment(removed.get(i), true))));
        }
        for (int i = 0; i < added.size(); i++) {
          out.add(new Line(Kind.ADDED, 0, bi + i + 1, List.of(new Segment(added.get(i), true))));
        }
      }
      ai += removed.size();
      bi += added.size();
    }
    while (ai < a.size()) {
      out.add(same(a.get(ai), ++ai, ++bi));
    }
    return new TextDiff(List.copyOf(out));
  }

  private static Line same(String text, int oldNo, int newNo) {
    return new Line(Kind.SAME, oldNo, newNo, List.of(new Segment(text, false)));
  }

  @SuppressWarnings("unchecked")
  private static List<Segment>[] wordDiff(String oldLine, String newLine) {
    List<String> a = tokens(oldLine);
    List<String> b = tokens(newLine);
    List<Segment> left = new ArrayList<>();
    List<Segment> right = new ArrayList<>();
    int ai = 0;
    int bi = 0;
    for (AbstractDelta<String> d : DiffUtils.diff(a, b).getDeltas()) {
      int as = d.getSource().getPosition();
      int bs = d.getTarget().getPosition();
      append(left, String.join("", a.subList(ai, as)), false);
      append(right, String.join("", b.subList(bi, bs)), false);
      append(left, String.join("", d.getSource().getLines()), true);
      append(right, String.join("", d.getTarget().getLines()), true);
      ai = as + d.getSource().size();
      bi = bs + d.getTarget().size();
    }
    append(left, String.join("", a.subList(ai, a.size())), false);
    append(right, String.join("", b.subList(bi, b.size())), false);
    return new List[] {List.copyOf(left), List.copyOf(right)};
  }

  private static void append(List<Segment> to, String text, boolean changed) {
    if (text.isEmpty()) {
      return;
    }
    if (!to.isEmpty() && to.get(to.size() - 1).changed() == changed) {
      Segment last = to.remove(to.size() - 1);
      to.add(new Segment(last.text() + text, changed));
    } else {
      to.add(new Segment(text, changed));
    }
  }

  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = WORDS.matcher(line);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
