package org.dure.net.base;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.dure.net.ProtocolViolationException;

/**
 * A minimal protobuf (proto2/proto3 wire format) reader over a byte array. Every length is checked
 * against the remaining input before anything is allocated.
 */
public final class ProtoReader {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  private final byte[] data;
  private int pos;
  private final int end;
  private int tag;

  public ProtoReader(byte[] data) {
    this(data, 0, data.length);
  }

  public ProtoReader(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Advances to the next field; returns false at the end of input. */
  public boolean next() throws ProtocolViolationException {
    if (pos >= end) {
      return false;
    }
    long t = readVarint();
    if (t > Integer.MAX_VALUE || (t >>> 3) == 0) {
      throw new ProtocolViolationException("invalid protobuf tag " + t);
    }
    tag = (int) t;
    return true;
  }

  public int field() {
    return tag >>> 3;
  }

  public int wireType() {
    return tag & 7;
  }

  public long readVarint() throws ProtocolViolationException {
    long value = 0;
    for (int i = 0; i < 10; i++) {
      if (pos >= end) {
        throw new ProtocolViolationException("truncated protobuf varint");
      }
      int b = data[pos++] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ProtocolViolationException("protobuf varint too long");
  }

  public long uint64() throws ProtocolViolationException {
    expect(VARINT);
    return readVarint();
  }

  /** A {@code fixed64} field's value. */
  public long fixed64() throws ProtocolViolationException {
    expect(FIXED64);
    advance(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (data[pos - 8 + i] & 0xFF);
    }
    return v;
  }

  public byte[] bytes() throws ProtocolViolationException {
    expect(LEN);
    long len = readVarint();
    if (len < 0 || len > end - pos) {
      throw new ProtocolViolationException("protobuf length " + len + " exceeds input");
    }
    byte[] out = Arrays.copyOfRange(data, pos, pos + (int) len);
    pos += (int) len;
    return out;
  }

  public String string() throws ProtocolViolationException {
    byte[] b = bytes();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolationException("protobuf string is not UTF-8");
    }
  }

  /** Skips the current field's value. */
  public void skip() throws ProtocolViolationException {
    switch (wireType()) {
      case VARINT -> readVarint();
      case FIXED64 -> advance(8);
      case FIXED32 -> advance(4);
      case LEN -> {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
          throw new ProtocolViolationException("protobuf length " + len + " exceeds input");
        }
        pos += (int) len;
      }
      default -> throw new ProtocolViolationException("unsupported wire type " + wireType());
    }
  }

  private void advance(int n) throws ProtocolViolationException {
    if (n > end - pos) {
      throw new ProtocolViolationException("truncated protobuf field");
    }
    pos += n;
  }

  private void expect(int wireType) throws ProtocolViolationException {
    if (wireType() != wireType) {
      throw new ProtocolViolationException(
          "field " + field() + " has wire type " + wireType() + ", expected " + wireType);
    }
  }
}
