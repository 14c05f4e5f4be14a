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

  /** At least two largest frames, so a partial frame and the next read usually fit. */
  private static final int CUMULATION_SIZE = 2 * (2 + MAX_FRAME);

  private final NoiseCipherState sender;
  private final NoiseCipherState receiver;
  private boolean failed;

  public NoiseFrameCodec(NoiseCipherState sender, NoiseCipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
    setCumulator(HEAP_CUMULATOR);
  }

  /**
   * Gathers input in a heap buffer (socket reads arrive in direct buffers), so each ciphertext is
   * copied once and then decrypted array to array. Appends in place while the buffer has room and
   * no one else holds it, else moves the unread bytes and the input to a new buffer.
   */
  static final Cumulator HEAP_CUMULATOR =
      (alloc, cumulation, in) -> {
        try {
          int n = in.readableBytes();
          if (cumulation.hasArray()
              && cumulation.refCnt() == 1
              && !cumulation.isReadOnly()
              && n <= cumulation.maxFastWritableBytes()) {
            cumulation.writeBytes(in);
            return cumulation;
          }
          int unread = cumulation.readableBytes();
          ByteBuf next = alloc.heapBuffer(Math.max(unread + n, CUMULATION_SIZE));
          next.writeBytes(cumulation).writeBytes(in);
          cumulation.release();
          return next;
        } finally {
          in.release();
        }
      };

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
      // Array to array: the cumulation is on the heap (HEAP_CUMULATOR), so the JDK cipher reads
      // the ciphertext in place and writes the plaintext straight into the new buffer.
      int ptLen = len - NoiseCipherState.TAG_LENGTH;
      ByteBuf pt = ctx.alloc().heapBuffer(ptLen);
      try {
        int at = in.readerIndex();
        int n;
        if (in.hasArray()) {
          n =
              receiver.decrypt(
                  in.array(), in.arrayOffset() + at, len, pt.array(), pt.arrayOffset());
        } else {
          byte[] ct = new byte[len];
          in.getBytes(at, ct);
          n = receiver.decrypt(ct, 0, len, pt.array(), pt.arrayOffset());
        }
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
      byte[] o = out.array();
      int base = out.arrayOffset();
      do {
        int n = Math.min(buf.readableBytes(), MAX_PLAINTEXT);
        int at = out.writerIndex();
        int written = sender.encrypt(buf, buf.readerIndex(), n, o, base + at + 2);
        out.setShort(at, written);
        out.writerIndex(at + 2 + written);
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
