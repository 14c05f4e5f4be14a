package org.dure.net.yamux;

import java.util.Arrays;

/**
 * One Yamux frame. The 12-byte header is {@code version(8) type(8) flags(16) streamId(32)
 * length(32)}, big-endian. For {@link #DATA} frames {@code length} is the body size and {@code
 * data} the body; for the other types {@code data} is empty and {@code length} means a window delta
 * (WindowUpdate), an opaque value (Ping) or an error code (GoAway).
 */
public record YamuxFrame(int type, int flags, int streamId, long length, byte[] data) {
  public static final int HEADER_LENGTH = 12;
  public static final int VERSION = 0;

  public static final int DATA = 0;
  public static final int WINDOW_UPDATE = 1;
  public static final int PING = 2;
  public static final int GO_AWAY = 3;

  public static final int SYN = 1;
  public static final int ACK = 2;
  public static final int FIN = 4;
  public static final int RST = 8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  private static final byte[] EMPTY = new byte[0];

  public YamuxFrame {
    if (type < 0 || type > 3) {
      throw new IllegalArgumentException("invalid yamux type " + type);
    }
    if (length < 0 || length > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("invalid yamux length " + length);
    }
    if (type == DATA && data.length != length) {
      throw new IllegalArgumentException("data length mismatch");
    }
  }

  public static YamuxFrame data(int streamId, int flags, byte[] data) {
    return new YamuxFrame(DATA, flags, streamId, data.length, data);
  }

  public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
    return new YamuxFrame(WINDOW_UPDATE, flags, streamId, delta, EMPTY);
  }

  public static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(PING, flags, 0, opaque, EMPTY);
  }

  public static YamuxFrame goAway(int code) {
    return new YamuxFrame(GO_AWAY, 0, 0, code, EMPTY);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof YamuxFrame f
        && f.type == type
        && f.flags == flags
        && f.streamId == streamId
        && f.length == length
        && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return ((type * 31 + flags) * 31 + streamId) * 31 + Long.hashCode(length);
  }

  @Override
  public String toString() {
    return "YamuxFrame[type="
        + type
        + ", flags="
        + flags
        + ", stream="
        + Integer.toUnsignedString(streamId)
        + ", length="
        + length
        + "]";
  }
}
