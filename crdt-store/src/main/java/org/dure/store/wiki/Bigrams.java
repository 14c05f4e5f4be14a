package org.dure.store.wiki;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Two-character index terms for Korean, Chinese and Japanese text. The trigram index finds any
 * substring of 3 or more characters, but many Korean words have two syllables ("마을", "김치"); these
 * are found through a second index of the overlapping character pairs of every run of such
 * characters.
 */
final class Bigrams {
  private Bigrams() {}

  static boolean isCjk(int cp) {
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HANGUL
        || s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA;
  }

  /** Whether {@code term} is two CJK characters, so the pair index can find it. */
  static boolean isIndexed(String term) {
    int[] cps = term.codePoints().toArray();
    return cps.length == 2 && isCjk(cps[0]) && isCjk(cps[1]);
  }

  /** The distinct pairs of adjacent CJK characters in {@code text}, separated by spaces. */
  static String of(String text) {
    Set<String> out = new LinkedHashSet<>();
    int prev = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isCjk(cp)) {
        if (prev >= 0) {
          out.add(new StringBuilder().appendCodePoint(prev).appendCodePoint(cp).toString());
        }
        prev = cp;
      } else {
        prev = -1;
      }
    }
    return String.join(" ", out);
  }
}
