package org.dure.store.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 hash naming a chunk or (for a manifest) a whole blob, kept as 64 lower-case hex digits.
 */
public record BlobHash(String hex) {
  /** Bytes of a SHA-256 hash. */
  public static final int BYTES = 32;

  private static final HexFormat HEX = HexFormat.of();

  public BlobHash {
    if (!isHash(hex)) {
      throw new IllegalArgumentException("Not a SHA-256 hash in lower-case hex: " + hex);
    }
  }

  /** Whether {@code text} is 64 lower-case hex digits. */
  public static boolean isHash(String text) {
    if (text == null || text.length() != 2 * BYTES) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The hash whose bytes are {@code bytes} (32 of them). */
  public static BlobHash ofBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("A SHA-256 hash has 32 bytes, not " + bytes.length);
    }
    return new BlobHash(HEX.formatHex(bytes));
  }

  /** The SHA-256 of {@code data[off, off + len)}. */
  public static BlobHash of(byte[] data, int off, int len) {
    MessageDigest md = sha256();
    md.update(data, off, len);
    return new BlobHash(HEX.formatHex(md.digest()));
  }

  /** The SHA-256 of {@code data}. */
  public static BlobHash of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** The 32 bytes. */
  public byte[] bytes() {
    return HEX.parseHex(hex);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}
