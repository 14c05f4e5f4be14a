package org.dure.store.doc;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Random identifiers for documents: 26 characters of lowercase base32 (130 random bits). */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  public static final Pattern FORMAT = Pattern.compile("[a-z2-7]{26}");

  private Ids() {}

  public static String random() {
    char[] out = new char[26];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(32)];
    }
    return new String(out);
  }

  public static String check(String value, String what) {
    if (!isValid(value)) {
      throw new IllegalArgumentException("Not a valid " + what + ": " + value);
    }
    return value;
  }

  /**
   * Whether {@code value} matches {@link #FORMAT}, checked without a regular expression: ids are
   * checked on every edit.
   */
  public static boolean isValid(String value) {
    if (value == null || value.length() != 26) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z') && !(c >= '2' && c <= '7')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A document id derived from {@code purpose} and another id, the same on every peer (so a space's
   * membership document has one id everywhere, without a reference that could conflict).
   */
  public static String derived(String purpose, String from) {
    byte[] hash;
    try {
      hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest((purpose + ":" + from).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    char[] out = new char[26];
    int bit = 0;
    for (int i = 0; i < out.length; i++, bit += 5) {
      int b = bit / 8;
      int word = ((hash[b] & 0xff) << 8) | (hash[b + 1] & 0xff);
      out[i] = ALPHABET[(word >> (11 - bit % 8)) & 31];
    }
    return new String(out);
  }
}
