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
  private static final byte[] NO_AD = new byte[0];

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
      byte[] ct = new byte[len];
      in.readBytes(ct);
      byte[] pt;
      try {
        pt = receiver.decrypt(NO_AD, ct, 0, ct.length);
      } catch (Exception e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw e;
      }
      if (pt.length > 0) {
        out.add(ctx.alloc().buffer(pt.length).writeBytes(pt));
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
      ByteBuf out = ctx.alloc().buffer(total + frames * (2 + NoiseCipherState.TAG_LENGTH));
      byte[] chunk = new byte[Math.min(total, MAX_PLAINTEXT)];
      while (buf.isReadable()) {
        int n = Math.min(buf.readableBytes(), MAX_PLAINTEXT);
        buf.readBytes(chunk, 0, n);
        byte[] ct = sender.encrypt(NO_AD, chunk, 0, n);
        out.writeShort(ct.length);
        out.writeBytes(ct);
      }
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
