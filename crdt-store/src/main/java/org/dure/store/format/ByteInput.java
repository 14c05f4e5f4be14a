package org.dure.store.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounded cursor over a slice of a byte array that knows where it is in the validated input, so
 * every failure can name its offset. LEB128 reading follows the Automerge reference
 * implementation's strict rules: no overlong encodings, no values wider than 64 bits.
 */
final class ByteInput {
  private final byte[] buf;
  private final int end;
  private int pos;

  /** Offset in the validated input of {@code buf[0]}, or of the inflated region if inflated. */
  private final long origin;

  private final boolean inflated;

  private ByteInput(byte[] buf, int start, int end, long origin, boolean inflated) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.origin = origin;
    this.inflated = inflated;
  }

  static ByteInput of(byte[] buf) {
    return new ByteInput(buf, 0, buf.length, 0, false);
  }

  /** Bytes produced by inflating data found at {@code origin} in the validated input. */
  static ByteInput inflated(byte[] buf, long origin) {
    return new ByteInput(buf, 0, buf.length, origin, true);
  }

  /** Takes the next {@code n} bytes as a sub-input and advances past them. */
  ByteInput slice(int n, String what) throws InvalidAutomergeDataException {
    need(n, what);
    ByteInput s = new ByteInput(buf, pos, pos + n, origin, inflated);
    pos += n;
    return s;
  }

  int pos() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  boolean atEnd() {
    return pos >= end;
  }

  byte[] array() {
    return buf;
  }

  long offset() {
    return offset(pos);
  }

  long offset(int at) {
    return inflated ? origin : origin + at;
  }

  InvalidAutomergeDataException fail(String reason) {
    return failAt(pos, reason);
  }

  InvalidAutomergeDataException failAt(int at, String reason) {
    if (inflated) {
      return new InvalidAutomergeDataException(
          reason + " (byte " + at + " of the data inflated from there)", origin);
    }
    return new InvalidAutomergeDataException(reason, origin + at);
  }

  void need(long n, String what) throws InvalidAutomergeDataException {
    if (n < 0 || n > remaining()) {
      throw fail(what + " needs " + n + " bytes but only " + remaining() + " remain");
    }
  }

  int u8(String what) throws InvalidAutomergeDataException {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  /** Skips {@code n} bytes and returns the position where they start. */
  int skip(long n, String what) throws InvalidAutomergeDataException {
    need(n, what);
    int at = pos;
    pos += (int) n;
    return at;
  }

  /** Reads an unsigned LEB128 value; the result holds the 64 bits (may be negative as a long). */
  long uleb(String what) throws InvalidAutomergeDataException {
    return uleb(what, "");
  }

  /** As {@link #uleb(String)}, naming it {@code what + suffix} (joined only on failure). */
  long uleb(String name, String suffix) throws InvalidAutomergeDataException {
    int start = pos;
    long result = 0;
    int shift = 0;
    while (true) {
      if (atEnd()) {
        throw failAt(start, name + suffix + ": truncated LEB128");
      }
      int b = buf[pos++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift > 64 && b > 1) {
          throw failAt(start, name + suffix + ": LEB128 wider than 64 bits");
        }
        if (shift > 7 && b == 0) {
          throw failAt(start, name + suffix + ": overlong LEB128");
        }
        return result;
      }
      if (shift > 64) {
        throw failAt(start, name + suffix + ": LEB128 wider than 64 bits");
      }
    }
  }

  /** Reads a signed LEB128 value (64 bits). */
  long sleb(String what) throws InvalidAutomergeDataException {
    return sleb(what, "");
  }

  /** As {@link #sleb(String)}, naming it {@code what + suffix} (joined only on failure). */
  long sleb(String name, String suffix) throws InvalidAutomergeDataException {
    int start = pos;
    long result = 0;
    int shift = 0;
    int prev = 0;
    while (true) {
      if (atEnd()) {
        throw failAt(start, name + suffix + ": truncated LEB128");
      }
      int b = buf[pos++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift > 64 && b != 0 && b != 0x7f) {
          throw failAt(start, name + suffix + ": LEB128 wider than 64 bits");
        }
        if (shift > 7 && ((b == 0 && (prev & 0x40) == 0) || (b == 0x7f && (prev & 0x40) != 0))) {
          throw failAt(start, name + suffix + ": overlong LEB128");
        }
        if (shift < 64 && (b & 0x40) != 0) {
          result |= -1L << shift;
        }
        return result;
      }
      if (shift > 64) {
        throw failAt(start, name + suffix + ": LEB128 wider than 64 bits");
      }
      prev = b;
    }
  }

  /** Reads an unsigned LEB128 value and checks {@code 0 <= value <= max}. */
  long ulebAtMost(long max, String what) throws InvalidAutomergeDataException {
    int start = pos;
    long v = uleb(what);
    if (v < 0 || v > max) {
      throw failAt(start, what + " is " + Long.toUnsignedString(v) + ", more than " + max);
    }
    return v;
  }

  /** Reads a count of items each at least {@code minItemBytes} long that must fit the input. */
  int count(long max, int minItemBytes, String what) throws InvalidAutomergeDataException {
    int start = pos;
    long n = ulebAtMost(max, what);
    if (minItemBytes > 0 && n > remaining() / minItemBytes) {
      throw failAt(
          start, what + " is " + n + " but only " + remaining() + " bytes remain for them");
    }
    return (int) n;
  }

  /** Checks that the next {@code n} bytes are valid UTF-8 and skips them. */
  void utf8(int n, String what) throws InvalidAutomergeDataException {
    if (n < 0 || n > remaining()) {
      need(n, what);
    }
    int at = pos;
    pos += n;
    if (!isAscii(at, n)) {
      checkUtf8(at, n, what);
    }
  }

  private boolean isAscii(int at, int n) {
    for (int i = at; i < at + n; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }

  void checkUtf8(int at, int n, String what) throws InvalidAutomergeDataException {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, at, n));
    } catch (CharacterCodingException e) {
      throw failAt(at, what + " is not valid UTF-8");
    }
  }
}
