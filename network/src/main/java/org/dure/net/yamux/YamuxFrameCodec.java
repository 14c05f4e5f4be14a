package org.dure.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;
import org.dure.net.ProtocolViolationException;

/**
 * Bytes ↔ {@link YamuxFrame}. Rejects a version other than 0, an unknown type and a data frame
 * longer than {@code maxDataLength} before allocating its body. After an error it discards all
 * further input (the session closes the connection).
 */
public final class YamuxFrameCodec extends ByteToMessageCodec<YamuxFrame> {
  private final int maxDataLength;
  private boolean failed;

  public YamuxFrameCodec(int maxDataLength) {
    this.maxDataLength = maxDataLength;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, YamuxFrame f, ByteBuf out) {
    out.writeByte(YamuxFrame.VERSION);
    out.writeByte(f.type());
    out.writeShort(f.flags());
    out.writeInt(f.streamId());
    out.writeInt((int) f.length());
    out.writeBytes(f.data());
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws ProtocolViolationException {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
      int i = in.readerIndex();
      int version = in.getUnsignedByte(i);
      int type = in.getUnsignedByte(i + 1);
      int flags = in.getUnsignedShort(i + 2);
      int streamId = in.getInt(i + 4);
      long length = in.getUnsignedInt(i + 8);
      if (version != YamuxFrame.VERSION) {
        fail(in);
        throw new ProtocolViolationException("yamux version " + version + " is not 0");
      }
      if (type > YamuxFrame.GO_AWAY) {
        fail(in);
        throw new ProtocolViolationException("unknown yamux frame type " + type);
      }
      byte[] data;
      if (type == YamuxFrame.DATA) {
        if (length > maxDataLength) {
          fail(in);
          throw new ProtocolViolationException(
              "yamux data frame of " + length + " bytes too large");
        }
        if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + length) {
          return;
        }
        in.skipBytes(YamuxFrame.HEADER_LENGTH);
        data = new byte[(int) length];
        in.readBytes(data);
      } else {
        in.skipBytes(YamuxFrame.HEADER_LENGTH);
        data = new byte[0];
      }
      out.add(new YamuxFrame(type, flags, streamId, length, data));
    }
  }

  private void fail(ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
  }
}
