package org.dure.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Random identifiers for documents: 26 characters of lowercase base32 (130 random bits). */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  static final Pattern FORMAT = Pattern.compile("[a-z2-7]{26}");

  private Ids() {}

  static String random() {
    char[] out = new char[26];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(32)];
    }
    return new String(out);
  }

  static String check(String value, String what) {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("Not a valid " + what + ": " + value);
    }
    return value;
  }
}
