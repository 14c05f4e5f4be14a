package org.dure.net.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a relayed connection: the far end of a local channel pair whose near end holds the
 * connection's pipeline (Noise, Yamux), joined to the {@link Stream} that runs through the relay.
 * Bytes the pipeline writes are written to the stream by one virtual thread; bytes read from the
 * stream are written into the channel by another, so the event loop never blocks. Either side
 * ending ends the other: the stream's end of input closes the channel (the connection closes), the
 * channel closing closes the stream (a write failure resets it).
 *
 * <p>Memory: what waits here is bounded by the Yamux windows of the connection inside.
 */
final class StreamBridge extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBridge.class);
  private static final Object END = new Object();
  private static final int CHUNK = 16 * 1024;

  private final Stream stream;
  private final Executor executor;
  private final LinkedBlockingQueue<Object> toStream = new LinkedBlockingQueue<>();

  StreamBridge(Stream stream, Executor executor) {
    this.stream = stream;
    this.executor = executor;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Channel ch = ctx.channel();
    executor.execute(() -> streamToChannel(ch));
    executor.execute(() -> channelToStream(ch));
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      toStream.add(msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    toStream.add(END);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("relayed channel over {} failed: {}", stream, cause.toString());
    ctx.close();
  }

  private void streamToChannel(Channel ch) {
    InputStream in = stream.inputStream();
    byte[] buf = new byte[CHUNK];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        if (!ch.writeAndFlush(Unpooled.copiedBuffer(buf, 0, n))
            .awaitUninterruptibly()
            .isSuccess()) {
          break;
        }
      }
    } catch (IOException e) {
      LOG.debug("relayed stream {} ended: {}", stream, e.toString());
    } finally {
      ch.close();
    }
  }

  private void channelToStream(Channel ch) {
    OutputStream out = stream.outputStream();
    try {
      while (true) {
        Object m = toStream.take();
        if (m == END) {
          break;
        }
        ByteBuf b = (ByteBuf) m;
        try {
          b.readBytes(out, b.readableBytes());
          if (toStream.isEmpty()) {
            out.flush();
          }
        } finally {
          b.release();
        }
      }
      stream.close();
    } catch (IOException e) {
      LOG.debug("writing to relayed stream {} failed: {}", stream, e.toString());
      stream.reset();
      ch.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset();
      ch.close();
    } finally {
      Object m;
      while ((m = toStream.poll()) != null) {
        ReferenceCountUtil.release(m);
      }
    }
  }
}
