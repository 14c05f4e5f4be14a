package org.dure.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One Yamux frame. The 12-byte header is {@code version(8) type(8) flags(16) streamId(32)
 * length(32)}, big-endian. For {@link #DATA} frames {@code length} is the body size and {@code
 * data} the body; for the other types {@code data} is empty and {@code length} means a window delta
 * (WindowUpdate), an opaque value (Ping) or an error code (GoAway).
 *
 * <p>A frame owns its body: like a {@link ByteBuf}, it is released by whoever consumes it (the
 * encoder after writing it, the session after handling it). Decoded bodies are slices of the input,
 * not copies.
 */
public record YamuxFrame(int type, int flags, int streamId, long length, ByteBuf data)
    implements ReferenceCounted {
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

  private static final ByteBuf EMPTY = Unpooled.EMPTY_BUFFER;

  public YamuxFrame {
    if (type < 0 || type > 3) {
      throw new IllegalArgumentException("invalid yamux type " + type);
    }
    if (length < 0 || length > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("invalid yamux length " + length);
    }
    if (type == DATA && data.readableBytes() != length) {
      throw new IllegalArgumentException("data length mismatch");
    }
  }

  public static YamuxFrame data(int streamId, int flags, byte[] data) {
    return data(streamId, flags, Unpooled.wrappedBuffer(data));
  }

  /** A data frame that takes ownership of {@code data}'s readable bytes. */
  public static YamuxFrame data(int streamId, int flags, ByteBuf data) {
    return new YamuxFrame(DATA, flags, streamId, data.readableBytes(), data);
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
        && f.data.equals(data);
  }

  @Override
  public int hashCode() {
    return ((type * 31 + flags) * 31 + streamId) * 31 + Long.hashCode(length);
  }

  @Override
  public int refCnt() {
    return data.refCnt();
  }

  @Override
  public YamuxFrame retain() {
    data.retain();
    return this;
  }

  @Override
  public YamuxFrame retain(int increment) {
    data.retain(increment);
    return this;
  }

  @Override
  public YamuxFrame touch() {
    data.touch();
    return this;
  }

  @Override
  public YamuxFrame touch(Object hint) {
    data.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return data.release();
  }

  @Override
  public boolean release(int decrement) {
    return data.release(decrement);
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
