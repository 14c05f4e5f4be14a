package org.dure.identity;

import java.util.Arrays;

/** Bitcoin-alphabet base58 (multibase {@code base58btc}). */
public final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  /** Longest text accepted by {@link #decode}; bounds the work done on hostile input. */
  public static final int MAX_DECODE_CHARS = 4096;

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  public static String encode(byte[] input) {
    if (input.length == 0) {
      return "";
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    byte[] in = Arrays.copyOf(input, input.length);
    char[] encoded = new char[in.length * 2];
    int out = encoded.length;
    int start = zeros;
    while (start < in.length) {
      encoded[--out] = ALPHABET[divmod(in, start, 256, 58)];
      if (in[start] == 0) {
        start++;
      }
    }
    while (out < encoded.length && encoded[out] == ALPHABET[0]) {
      out++;
    }
    while (--zeros >= 0) {
      encoded[--out] = ALPHABET[0];
    }
    return new String(encoded, out, encoded.length - out);
  }

  /**
   * Decodes base58btc text.
   *
   * @throws IllegalArgumentException on a character outside the alphabet or too long input
   */
  public static byte[] decode(String input) {
    if (input.length() > MAX_DECODE_CHARS) {
      throw new IllegalArgumentException("base58 text too long: " + input.length());
    }
    if (input.isEmpty()) {
      return new byte[0];
    }
    byte[] in58 = new byte[input.length()];
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException("invalid base58 character at " + i);
      }
      in58[i] = (byte) digit;
    }
    int zeros = 0;
    while (zeros < in58.length && in58[zeros] == 0) {
      zeros++;
    }
    byte[] decoded = new byte[input.length()];
    int out = decoded.length;
    int start = zeros;
    while (start < in58.length) {
      decoded[--out] = (byte) divmod(in58, start, 58, 256);
      if (in58[start] == 0) {
        start++;
      }
    }
    while (out < decoded.length && decoded[out] == 0) {
      out++;
    }
    return Arrays.copyOfRange(decoded, out - zeros, decoded.length);
  }

  private static int divmod(byte[] number, int first, int base, int divisor) {
    int remainder = 0;
    for (int i = first; i < number.length; i++) {
      int digit = number[i] & 0xFF;
      int temp = remainder * base + digit;
      number[i] = (byte) (temp / divisor);
      remainder = temp % divisor;
    }
    return remainder;
  }
}
