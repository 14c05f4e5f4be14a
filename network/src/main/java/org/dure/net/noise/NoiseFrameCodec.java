package org.dure.net.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.SocketAddress;
import java.util.List;

/**
 * Noise transport framing after the handshake: each message is a 2-byte big-endian length then at
 * most 65535 bytes of ChaChaPoly ciphertext. Inbound frames are decrypted to plaintext {@link
 * ByteBuf}s; outbound {@link ByteBuf}s are split into frames of at most {@link #MAX_PLAINTEXT}
 * bytes and encrypted. A frame that fails to decrypt is fatal: the decoder discards all further
 * input and the error goes to {@code exceptionCaught}.
 */
public final class NoiseFrameCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {
  public static final int MAX_FRAME = 65535;
  public static final int MAX_PLAINTEXT = MAX_FRAME - NoiseCipherState.TAG_LENGTH;

  private final NoiseCipherState sender;
  private final NoiseCipherState receiver;
  private boolean failed;

  public NoiseFrameCodec(NoiseCipherState sender, NoiseCipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 2) {
      int len = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + len) {
        return;
      }
      in.skipBytes(2);
      if (len < NoiseCipherState.TAG_LENGTH) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw new org.dure.net.ProtocolViolationException("noise ciphertext shorter than its tag");
      }
      // Decrypt straight from the input into a heap buffer: no intermediate arrays.
      ByteBuf pt = ctx.alloc().heapBuffer(len - NoiseCipherState.TAG_LENGTH);
      try {
        int n =
            receiver.decrypt(in.nioBuffer(in.readerIndex(), len), pt.nioBuffer(0, pt.capacity()));
        pt.writerIndex(n);
      } catch (Exception e) {
        pt.release();
        failed = true;
        in.skipBytes(in.readableBytes());
        throw e;
      }
      in.skipBytes(len);
      if (pt.isReadable()) {
        out.add(pt);
      } else {
        pt.release();
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    try {
      int total = buf.readableBytes();
      int frames = Math.max(1, (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
      ByteBuf out = ctx.alloc().heapBuffer(total + frames * (2 + NoiseCipherState.TAG_LENGTH));
      do {
        int n = Math.min(buf.readableBytes(), MAX_PLAINTEXT);
        int at = out.writerIndex() + 2;
        int written =
            sender.encrypt(
                buf.nioBuffer(buf.readerIndex(), n),
                out.nioBuffer(at, n + NoiseCipherState.TAG_LENGTH));
        out.writeShort(written);
        out.writerIndex(at + written);
        buf.skipBytes(n);
      } while (buf.isReadable());
      ctx.write(out, promise);
    } finally {
      buf.release();
    }
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
