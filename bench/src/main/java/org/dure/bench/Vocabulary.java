package org.dure.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Words for generated pages: 4,000 made-up English-like and Korean words drawn with a Zipf
 * distribution (the few most common words are in almost every page, most words in few), as in real
 * text.
 */
final class Vocabulary {
  private static final String[] ONSETS = {
    "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "ch",
    "st", "tr", "gr", "pl"
  };
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ea", "ou", "ai"};
  private static final String[] CODAS = {"", "n", "r", "st", "ng", "l", "t", "ck", "rd"};

  private final List<String> words;
  private final double[] cumulative;

  Vocabulary(long seed) {
    Random rnd = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < 3000) {
      StringBuilder w = new StringBuilder();
      int syllables = 1 + rnd.nextInt(3);
      for (int i = 0; i < syllables; i++) {
        w.append(ONSETS[rnd.nextInt(ONSETS.length)])
            .append(VOWELS[rnd.nextInt(VOWELS.length)])
            .append(CODAS[rnd.nextInt(CODAS.length)]);
      }
      if (w.length() >= 3) { // short Latin words are mostly ones nobody searches for ("of")
        out.add(w.toString());
      }
    }
    while (out.size() < 4000) {
      StringBuilder w = new StringBuilder();
      int syllables = 2 + rnd.nextInt(2);
      for (int i = 0; i < syllables; i++) {
        w.append((char) (0xAC00 + rnd.nextInt(11172))); // a Hangul syllable
      }
      out.add(w.toString());
    }
    List<String> shuffled = new java.util.ArrayList<>(out);
    java.util.Collections.shuffle(shuffled, rnd); // mix English and Korean across frequencies
    words = List.copyOf(shuffled);
    cumulative = new double[words.size()];
    double sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= sum;
    }
  }

  /** A word drawn by frequency (Zipf, s = 1). */
  String frequent(Random rnd) {
    double u = rnd.nextDouble();
    int i = java.util.Arrays.binarySearch(cumulative, u);
    return words.get(i >= 0 ? i : Math.min(words.size() - 1, -i - 1));
  }

  /** Any word of the vocabulary, uniformly (mostly rare ones). */
  String any(Random rnd) {
    return words.get(rnd.nextInt(words.size()));
  }

  /** One of the {@code n} most common words. */
  String common(Random rnd, int n) {
    return words.get(rnd.nextInt(n));
  }
}
