package org.dure.store.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnippetsTest {
  private static final char S = SearchHit.MARK_START;
  private static final char E = SearchHit.MARK_END;

  @Test
  void marksEveryOccurrenceOfEveryTermInTheWindowIgnoringCase() {
    String snippet =
        Snippets.around("Bread and butter: BREAD rises, butter melts.", List.of("bread", "butter"));
    assertEquals(
        S
            + "Bread"
            + E
            + " and "
            + S
            + "butter"
            + E
            + ": "
            + S
            + "BREAD"
            + E
            + " rises, "
            + S
            + "butter"
            + E
            + " melts.",
        snippet);
  }

  @Test
  void cutsAroundTheFirstHitWithoutSplittingSurrogatePairs() {
    String body = "😀".repeat(100) + "마을" + "😀".repeat(100);
    String snippet = Snippets.around(body, List.of("마을"));
    assertTrue(snippet.startsWith("…") && snippet.endsWith("…"), snippet);
    assertTrue(snippet.contains(S + "마을" + E), snippet);
    String plain =
        snippet.replace("…", "").replace(String.valueOf(S), "").replace(String.valueOf(E), "");
    assertEquals(plain.length(), plain.codePoints().map(Character::charCount).sum());
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(i + 1 < plain.length() && Character.isLowSurrogate(plain.charAt(i + 1)));
      }
      if (Character.isLowSurrogate(c)) {
        assertTrue(i > 0 && Character.isHighSurrogate(plain.charAt(i - 1)));
      }
    }
  }

  @Test
  void pairsAreTheAdjacentCjkCharactersOnly() {
    assertEquals("마을 을의 공동", Bigrams.of("마을의 tomato 공동"));
    assertTrue(Bigrams.isIndexed("김치"));
    assertTrue(!Bigrams.isIndexed("ab") && !Bigrams.isIndexed("김") && !Bigrams.isIndexed("김치찌"));
  }
}
