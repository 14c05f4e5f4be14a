package org.dure.net.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;

/**
 * The bottom of each connection's pipeline: counts the bytes read and written for the {@link
 * TrafficMeter} and paces writes by the host's {@link UploadLimiter} (see its class doc for the
 * design). Every method runs on the channel's event loop.
 */
final class TrafficHandler extends ChannelDuplexHandler {
  private record Pending(Object msg, ChannelPromise promise, long size) {}

  private final TrafficMeter meter;
  private final UploadLimiter limiter;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private PeerId peer;
  private long unboundIn;
  private long unboundOut;
  private long headDue = -1; // nanoTime the queue's head may go, once debited; -1: not debited
  private boolean drainScheduled;

  TrafficHandler(TrafficMeter meter, UploadLimiter limiter) {
    this.meter = meter;
    this.limiter = limiter;
  }

  /** The handshake authenticated {@code remote}: bytes so far and from now on are its. */
  void bind(PeerId remote) {
    peer = remote;
    meter.connected(remote);
    meter.read(remote, unboundIn);
    meter.written(remote, unboundOut);
    unboundIn = 0;
    unboundOut = 0;
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    if (msg instanceof ByteBufHolder h) {
      return h.content().readableBytes();
    }
    return 0;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long n = size(msg);
    if (peer != null) {
      meter.read(peer, n);
    } else {
      unboundIn += n;
    }
    ctx.fireChannelRead(msg);
  }

  private void sent(long n) {
    if (peer != null) {
      meter.written(peer, n);
    } else {
      unboundOut += n;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long n = size(msg);
    if (queue.isEmpty()) {
      long wait = limiter.take(n);
      if (wait == 0) {
        sent(n);
        ctx.write(msg, promise);
        return;
      }
      queue.add(new Pending(msg, promise, n));
      headDue = System.nanoTime() + wait;
      schedule(ctx, wait);
      return;
    }
    queue.add(new Pending(msg, promise, n));
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (queue.isEmpty()) {
      ctx.flush();
    }
    // otherwise the drain flushes what it sends
  }

  private void schedule(ChannelHandlerContext ctx, long nanos) {
    if (drainScheduled) {
      return;
    }
    drainScheduled = true;
    ctx.executor().schedule(() -> drain(ctx), nanos, TimeUnit.NANOSECONDS);
  }

  private void drain(ChannelHandlerContext ctx) {
    drainScheduled = false;
    boolean wrote = false;
    while (!queue.isEmpty()) {
      Pending head = queue.peek();
      long now = System.nanoTime();
      if (headDue < 0) {
        headDue = now + limiter.take(head.size());
      }
      if (headDue > now) {
        schedule(ctx, headDue - now);
        break;
      }
      queue.poll();
      headDue = -1;
      sent(head.size());
      ctx.write(head.msg(), head.promise());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    failQueued();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failQueued();
    ctx.fireChannelInactive();
  }

  private void failQueued() {
    Pending p;
    while ((p = queue.poll()) != null) {
      ReferenceCountUtil.release(p.msg());
      p.promise().tryFailure(new ClosedChannelException());
    }
  }
}
