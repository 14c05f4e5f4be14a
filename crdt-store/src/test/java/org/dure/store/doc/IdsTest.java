package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void theCheckAgreesWithTheFormat() {
    assertTrue(Ids.isValid(Ids.random()));
    assertFalse(Ids.isValid(null));
    assertFalse(Ids.isValid(""));
    assertFalse(Ids.isValid("abcdefghijklmnopqrstuvwxy1"));
    assertFalse(Ids.isValid("abcdefghijklmnopqrstuvwxyZ"));
    assertFalse(Ids.isValid("abcdefghijklmnopqrstuvwxyz2"));
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567018 AZ_-";
    Random rnd = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 24 + rnd.nextInt(4);
      for (int k = 0; k < n; k++) {
        b.append(alphabet.charAt(rnd.nextInt(i % 2 == 0 ? 32 : alphabet.length())));
      }
      String s = b.toString();
      assertEquals(Ids.FORMAT.matcher(s).matches(), Ids.isValid(s), s);
    }
  }
}
