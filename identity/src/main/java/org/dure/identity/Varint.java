package org.dure.identity;

import java.io.ByteArrayOutputStream;

/**
 * The multiformats unsigned varint as peer IDs and CIDs use it: 7 bits per byte, least significant
 * group first, at most 9 bytes, minimally encoded. (The network's {@code UnsignedVarint} is the
 * same format for streams and buffers.)
 */
final class Varint {
  static final int MAX_BYTES = 9;

  private Varint() {}

  static void write(long value, ByteArrayOutputStream out) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** The value and the number of bytes it took. */
  record Decoded(long value, int length) {}

  /**
   * Decodes a varint at {@code offset}.
   *
   * @throws IllegalArgumentException if it is truncated, too long or not minimal
   */
  static Decoded decode(byte[] data, int offset) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= data.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = data[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint not minimally encoded");
        }
        return new Decoded(value, i + 1);
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }
}
