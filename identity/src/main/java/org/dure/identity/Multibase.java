package org.dure.identity;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Multibase text: {@code z} (base58btc) and {@code b} (base32 lower-case, no padding). */
public final class Multibase {
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

  private Multibase() {}

  public static String encodeBase58btc(byte[] data) {
    return "z" + Base58.encode(data);
  }

  public static String encodeBase32(byte[] data) {
    StringBuilder sb = new StringBuilder("b");
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /**
   * Decodes multibase text by its prefix.
   *
   * @throws IllegalArgumentException for an unsupported prefix or invalid text
   */
  public static byte[] decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase text");
    }
    if (text.length() > Base58.MAX_DECODE_CHARS) {
      throw new IllegalArgumentException("multibase text too long");
    }
    char prefix = text.charAt(0);
    String body = text.substring(1);
    return switch (prefix) {
      case 'z' -> Base58.decode(body);
      case 'b' -> decodeBase32(body);
      case 'B' -> decodeBase32(body.toLowerCase(Locale.ROOT));
      default ->
          throw new IllegalArgumentException("unsupported multibase prefix '" + prefix + "'");
    };
  }

  private static byte[] decodeBase32(String body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() * 5 / 8 + 1);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < body.length(); i++) {
      int v = BASE32.indexOf(body.charAt(i));
      if (v < 0) {
        throw new IllegalArgumentException("invalid base32 character at " + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xFF);
        bits -= 8;
      }
    }
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("invalid base32 padding bits");
    }
    return out.toByteArray();
  }
}
