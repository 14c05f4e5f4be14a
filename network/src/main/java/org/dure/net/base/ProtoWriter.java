package org.dure.net.base;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf writer producing canonical field order as called. */
public final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ProtoWriter uint64(int field, long value) {
    writeVarint((long) field << 3);
    writeVarint(value);
    return this;
  }

  /** A {@code fixed64} field: 8 bytes, little-endian. */
  public ProtoWriter fixed64(int field, long value) {
    writeVarint(((long) field << 3) | 1);
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  public ProtoWriter bytes(int field, byte[] value) {
    writeVarint(((long) field << 3) | 2);
    writeVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  public ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private void writeVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
