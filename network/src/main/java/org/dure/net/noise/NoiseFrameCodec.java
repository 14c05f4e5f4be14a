package org.dure.net.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Noise transport framing after the handshake: each message is a 2-byte big-endian length then at
 * most 65535 bytes of ChaChaPoly ciphertext. Inbound frames are decrypted to plaintext {@link
 * ByteBuf}s; outbound {@link ByteBuf}s written between two flushes are packed into frames of at
 * most {@link #MAX_PLAINTEXT} bytes and encrypted. A frame that fails to decrypt is fatal: the
 * decoder discards all further input and the error goes to {@code exceptionCaught}.
 */
public final class NoiseFrameCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {
  public static final int MAX_FRAME = 65535;
  public static final int MAX_PLAINTEXT = MAX_FRAME - NoiseCipherState.TAG_LENGTH;

  /** Plaintext held back for packing before the full frames among it are encrypted. */
  static final int MAX_PENDING = 4 * MAX_PLAINTEXT;

  /** At least two largest frames, so a partial frame and the next read usually fit. */
  private static final int CUMULATION_SIZE = 2 * (2 + MAX_FRAME);

  private final NoiseCipherState sender;
  private final NoiseCipherState receiver;
  private boolean failed;
  private CompositeByteBuf pending; // null until the first write
  private final ArrayDeque<ChannelPromise> promises = new ArrayDeque<>(2);
  private final ArrayDeque<Long> promiseEnds = new ArrayDeque<>(2);
  private long pendingStart; // bytes written and encrypted so far
  private long pendingEnd; // bytes written so far

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
          int need = unread + n;
          // Room for about as much again (the rest of a large frame), up to two large frames.
          ByteBuf next = alloc.heapBuffer(Math.max(need, Math.min(2 * need, CUMULATION_SIZE)));
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

  /**
   * Holds the written plaintext until {@link #flush}, so that messages written in a burst (Yamux
   * frames) share full Noise frames instead of each ending in a short one: fewer messages to
   * encrypt, authenticate and send. Holds at most {@link #MAX_PENDING} bytes before encrypting the
   * complete frames among them.
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      encryptPending(ctx, true);
      ctx.write(msg, promise);
      return;
    }
    if (pending == null) {
      pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
    pendingEnd += buf.readableBytes();
    pending.addFlattenedComponents(true, buf);
    promises.add(promise);
    promiseEnds.add(pendingEnd);
    if (pending.readableBytes() >= MAX_PENDING) {
      encryptPending(ctx, false);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    encryptPending(ctx, true);
    ctx.flush();
  }

  /**
   * Encrypts the pending plaintext into frames of at most {@link #MAX_PLAINTEXT} bytes (all of it,
   * or only the full frames) and writes them as one buffer whose write completes the promises of
   * the messages it ends.
   */
  private void encryptPending(ChannelHandlerContext ctx, boolean all) {
    int total = pending == null ? 0 : pending.readableBytes();
    if (!all) {
      total -= total % MAX_PLAINTEXT;
    }
    if (total > 0) {
      int frames = (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
      ByteBuf out = ctx.alloc().heapBuffer(total + frames * (2 + NoiseCipherState.TAG_LENGTH));
      byte[] o = out.array();
      int base = out.arrayOffset();
      try {
        for (int left = total; left > 0; ) {
          int n = Math.min(left, MAX_PLAINTEXT);
          int at = out.writerIndex();
          int written = sender.encrypt(pending, pending.readerIndex(), n, o, base + at + 2);
          out.setShort(at, written);
          out.writerIndex(at + 2 + written);
          pending.skipBytes(n);
          left -= n;
        }
      } catch (RuntimeException e) {
        out.release();
        throw e;
      }
      if (pending.isReadable()) {
        pending.discardReadComponents();
      } else {
        pending.release(); // an idle connection holds no composite
        pending = null;
      }
      pendingStart += total;
      ctx.write(out, completing(ctx));
    } else if (!promises.isEmpty() && promiseEnds.peek() <= pendingStart) {
      // Empty messages: nothing to send for them.
      completing(ctx).setSuccess();
    }
  }

  /** A promise that completes the pending promises of all messages that end before pendingStart. */
  private ChannelPromise completing(ChannelHandlerContext ctx) {
    if (promises.size() == 1 && promiseEnds.peek() <= pendingStart) {
      promiseEnds.poll();
      return promises.poll();
    }
    List<ChannelPromise> done = new ArrayList<>();
    while (!promises.isEmpty() && promiseEnds.peek() <= pendingStart) {
      promiseEnds.poll();
      done.add(promises.poll());
    }
    if (done.isEmpty()) {
      return ctx.voidPromise();
    }
    ChannelPromise p = ctx.newPromise();
    p.addListener(
        f -> {
          for (ChannelPromise d : done) {
            if (f.isSuccess()) {
              d.trySuccess();
            } else {
              d.tryFailure(f.cause());
            }
          }
        });
    return p;
  }

  /** Discards unflushed plaintext (like Netty's outbound buffer does on close). */
  private void discardPending(Throwable cause) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    pendingStart = pendingEnd;
    for (ChannelPromise p; (p = promises.poll()) != null; ) {
      if (!p.isVoid()) {
        p.tryFailure(cause);
      }
    }
    promiseEnds.clear();
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    discardPending(new ClosedChannelException());
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

  /**
   * Flushes first: a stream thread's write is flushed by a separate task ({@code YamuxSession}),
   * and a close from another thread may run between the two; what was written before the close goes
   * out, as it did when every write was flushed at once.
   */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (ctx.channel().isActive()) {
      flush(ctx);
    }
    discardPending(new ClosedChannelException());
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
}
