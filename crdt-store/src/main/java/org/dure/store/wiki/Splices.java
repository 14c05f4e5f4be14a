package org.dure.store.wiki;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns "old text → new text" into character-level splices, so that saving a whole edited text
 * touches only the characters that changed and concurrent edits elsewhere survive a merge.
 *
 * <p>Positions are Unicode code points, as in Automerge text.
 */
final class Splices {
  /** Above this many code points in a changed block, it is replaced whole rather than diffed. */
  private static final int CHAR_DIFF_LIMIT = 20_000;

  /** Replace {@code delete} code points at {@code pos} (in the old text) with {@code insert}. */
  record Splice(int pos, int delete, String insert) {}

  private Splices() {}

  /** The splices, in ascending position order, referring to positions in {@code oldText}. */
  static List<Splice> between(String oldText, String newText) {
    int[] a = oldText.codePoints().toArray();
    int[] b = newText.codePoints().toArray();
    int prefix = 0;
    int max = Math.min(a.length, b.length);
    while (prefix < max && a[prefix] == b[prefix]) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix && a[a.length - 1 - suffix] == b[b.length - 1 - suffix]) {
      suffix++;
    }
    List<Splice> out = new ArrayList<>();
    diffRegion(a, prefix, a.length - suffix, b, prefix, b.length - suffix, out);
    return out;
  }

  /** Diffs a[aFrom, aTo) against b[bFrom, bTo): by lines first, then by characters inside. */
  private static void diffRegion(
      int[] a, int aFrom, int aTo, int[] b, int bFrom, int bTo, List<Splice> out) {
    if (aFrom == aTo && bFrom == bTo) {
      return;
    }
    if (aFrom == aTo || bFrom == bTo) {
      out.add(new Splice(aFrom, aTo - aFrom, str(b, bFrom, bTo)));
      return;
    }
    List<int[]> aLines = lines(a, aFrom, aTo);
    List<int[]> bLines = lines(b, bFrom, bTo);
    if (aLines.size() <= 1 && bLines.size() <= 1) {
      charDiff(a, aFrom, aTo, b, bFrom, bTo, out);
      return;
    }
    List<String> aText = new ArrayList<>();
    for (int[] l : aLines) {
      aText.add(str(a, l[0], l[1]));
    }
    List<String> bText = new ArrayList<>();
    for (int[] l : bLines) {
      bText.add(str(b, l[0], l[1]));
    }
    for (AbstractDelta<String> d : DiffUtils.diff(aText, bText).getDeltas()) {
      int as = d.getSource().getPosition();
      int an = d.getSource().size();
      int bs = d.getTarget().getPosition();
      int bn = d.getTarget().size();
      int ca = as < aLines.size() ? aLines.get(as)[0] : aTo;
      int cae = an == 0 ? ca : aLines.get(as + an - 1)[1];
      int cb = bs < bLines.size() ? bLines.get(bs)[0] : bTo;
      int cbe = bn == 0 ? cb : bLines.get(bs + bn - 1)[1];
      if (cae - ca > 0 && cbe - cb > 0) {
        charDiff(a, ca, cae, b, cb, cbe, out);
      } else if (cae - ca > 0 || cbe - cb > 0) {
        out.add(new Splice(ca, cae - ca, str(b, cb, cbe)));
      }
    }
  }

  private static void charDiff(
      int[] a, int aFrom, int aTo, int[] b, int bFrom, int bTo, List<Splice> out) {
    if ((aTo - aFrom) + (bTo - bFrom) > CHAR_DIFF_LIMIT) {
      out.add(new Splice(aFrom, aTo - aFrom, str(b, bFrom, bTo)));
      return;
    }
    List<Integer> x = new ArrayList<>(aTo - aFrom);
    for (int i = aFrom; i < aTo; i++) {
      x.add(a[i]);
    }
    List<Integer> y = new ArrayList<>(bTo - bFrom);
    for (int i = bFrom; i < bTo; i++) {
      y.add(b[i]);
    }
    for (AbstractDelta<Integer> d : DiffUtils.diff(x, y).getDeltas()) {
      int pos = aFrom + d.getSource().getPosition();
      int tgt = bFrom + d.getTarget().getPosition();
      out.add(new Splice(pos, d.getSource().size(), str(b, tgt, tgt + d.getTarget().size())));
    }
  }

  /** Lines of a[from, to) as [start, end) ranges, each including its newline. */
  private static List<int[]> lines(int[] a, int from, int to) {
    List<int[]> out = new ArrayList<>();
    int start = from;
    for (int i = from; i < to; i++) {
      if (a[i] == '\n') {
        out.add(new int[] {start, i + 1});
        start = i + 1;
      }
    }
    if (start < to) {
      out.add(new int[] {start, to});
    }
    return out;
  }

  private static String str(int[] cps, int from, int to) {
    return new String(cps, from, to - from);
  }

  /** Applies splices (ascending, non-overlapping, positions in the original) to a text. */
  static String apply(String text, List<Splice> splices) {
    int[] cps = text.codePoints().toArray();
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (Splice s : splices) {
      sb.append(new String(cps, at, s.pos() - at));
      sb.append(s.insert());
      at = s.pos() + s.delete();
    }
    sb.append(new String(cps, at, cps.length - at));
    return sb.toString();
  }
}
