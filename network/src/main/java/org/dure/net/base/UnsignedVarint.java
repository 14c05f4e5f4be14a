package org.dure.net.base;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.dure.net.ProtocolViolationException;

/**
 * The multiformats unsigned varint: 7 bits per byte, least significant group first, at most 9 bytes
 * (63 bits), minimally encoded.
 */
public final class UnsignedVarint {
  /** Spec: "the maximum varint length is 9 bytes". */
  public static final int MAX_BYTES = 9;

  private UnsignedVarint() {}

  /** Encodes a non-negative value. */
  public static byte[] encode(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative varint " + value);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    write(value, out);
    return out.toByteArray();
  }

  public static void write(long value, ByteArrayOutputStream out) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static void write(long value, ByteBuf out) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Result of decoding from an array: the value and the number of bytes used. */
  public record Decoded(long value, int length) {}

  /**
   * Decodes a varint at {@code offset}.
   *
   * @throws ProtocolViolationException if it is truncated, too long or not minimal
   */
  public static Decoded decode(byte[] data, int offset) throws ProtocolViolationException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= data.length) {
        throw new ProtocolViolationException("truncated varint");
      }
      int b = data[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new ProtocolViolationException("varint not minimally encoded");
        }
        return new Decoded(value, i + 1);
      }
    }
    throw new ProtocolViolationException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Peeks a varint at the reader index of {@code buf} without consuming it.
   *
   * @return the value, or {@code -1} if more bytes are needed
   * @throws ProtocolViolationException if it is too long or not minimal
   */
  public static long peek(ByteBuf buf) throws ProtocolViolationException {
    long value = 0;
    int start = buf.readerIndex();
    for (int i = 0; i < MAX_BYTES; i++) {
      if (start + i >= buf.writerIndex()) {
        return -1;
      }
      int b = buf.getByte(start + i) & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new ProtocolViolationException("varint not minimally encoded");
        }
        return value;
      }
    }
    throw new ProtocolViolationException("varint longer than " + MAX_BYTES + " bytes");
  }

  /** Reads a varint from a stream; returns -1 on a clean end of stream before any byte. */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("truncated varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new ProtocolViolationException("varint not minimally encoded");
        }
        return value;
      }
    }
    throw new ProtocolViolationException("varint longer than " + MAX_BYTES + " bytes");
  }
}
