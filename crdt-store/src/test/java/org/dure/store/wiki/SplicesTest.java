package org.dure.store.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplicesTest {
  private static final String[] ALPHABET = {"a", "b", " ", "\n", "한", "글", "😀", "x"};

  private static String random(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(max);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  @Test
  void applyingTheSplicesTurnsOldIntoNewForRandomTexts() {
    Random r = new Random(42);
    for (int i = 0; i < 3000; i++) {
      String a = random(r, 60);
      String b = r.nextBoolean() ? random(r, 60) : mutate(r, a);
      List<Splices.Splice> s = Splices.between(a, b);
      assertEquals(b, Splices.apply(a, s), () -> "from " + a + " to " + b);
      int last = -1;
      for (Splices.Splice x : s) {
        assertTrue(x.pos() >= last, "ascending, non-overlapping");
        last = x.pos() + x.delete();
      }
    }
  }

  private static String mutate(Random r, String a) {
    int[] cps = a.codePoints().toArray();
    StringBuilder sb = new StringBuilder();
    for (int cp : cps) {
      int roll = r.nextInt(20);
      if (roll == 0) {
        continue;
      }
      if (roll == 1) {
        sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  @Test
  void aSmallEditInALongTextIsASmallSplice() {
    String a = "intro\n" + "same line\n".repeat(1000) + "end\n";
    String b = a.replace("intro", "Intro!");
    List<Splices.Splice> s = Splices.between(a, b);
    int touched = s.stream().mapToInt(x -> x.delete() + x.insert().length()).sum();
    assertTrue(touched <= 4, "touched " + touched + " characters: " + s);
  }

  @Test
  void unchangedTextNeedsNoSplices() {
    assertTrue(Splices.between("same 😀", "same 😀").isEmpty());
  }
}
