package org.dure.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.SocketAddress;
import java.util.List;
import org.dure.net.ProtocolViolationException;

/**
 * Bytes ↔ {@link YamuxFrame}. Rejects a version other than 0, an unknown type and a data frame
 * longer than {@code maxDataLength} before allocating its body. After an error it discards all
 * further input (the session closes the connection).
 */
public final class YamuxFrameCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {
  private final int maxDataLength;
  private boolean failed;

  public YamuxFrameCodec(int maxDataLength) {
    this.maxDataLength = maxDataLength;
    // A data frame split over several input buffers (Noise messages) becomes a slice of their
    // composite rather than a copy.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  /**
   * Writes a frame. A data frame goes on as its header followed by its body, without copying the
   * body: the two as one composite buffer (released with it). Buffers are on the heap: the Noise
   * codec encrypts from arrays. Other messages pass through.
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof YamuxFrame f)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf header = ctx.alloc().heapBuffer(YamuxFrame.HEADER_LENGTH);
    writeHeader(f, header);
    if (f.type() == YamuxFrame.DATA && f.length() > 0) {
      ctx.write(Unpooled.wrappedBuffer(header, f.data()), promise);
    } else {
      f.release();
      ctx.write(header, promise);
    }
  }

  private static void writeHeader(YamuxFrame f, ByteBuf out) {
    out.writeByte(YamuxFrame.VERSION);
    out.writeByte(f.type());
    out.writeShort(f.flags());
    out.writeInt(f.streamId());
    out.writeInt((int) f.length());
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
      ByteBuf data;
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
        data = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) length);
      } else {
        in.skipBytes(YamuxFrame.HEADER_LENGTH);
        data = Unpooled.EMPTY_BUFFER;
      }
      out.add(new YamuxFrame(type, flags, streamId, length, data));
    }
  }

  private void fail(ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
  }

  @Override
  public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
    ctx.bind(localAddress, promise);
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remoteAddress,
      SocketAddress localAddress,
      ChannelPromise promise) {
    ctx.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.close(promise);
  }

  @Override
  public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.deregister(promise);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
  }
}
