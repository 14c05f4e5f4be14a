package org.dure.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Yamux session of one connection, a Netty handler placed after {@link YamuxFrameCodec}. It
 * runs on the channel's event loop and never blocks: new inbound streams are handed to the {@code
 * acceptor}, which must move any work off the event loop. A protocol violation by the remote sends
 * GoAway (protocol error) and closes the connection; other connections are unaffected.
 */
public final class YamuxSession extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  /**
   * A stream we closed is reset if the remote has not closed its side within this time, so a peer
   * cannot pin stream slots by never sending FIN.
   */
  public static final Duration STREAM_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final boolean client;
  private final YamuxConfig config;
  private final Consumer<YamuxStream> acceptor;
  private final String peerLabel;
  private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Duration>> pings = new ConcurrentHashMap<>();
  private final Map<Long, Long> pingStart = new ConcurrentHashMap<>();
  private int nextStreamId;
  private final AtomicInteger unflushed = new AtomicInteger();
  private volatile Channel channel;
  private volatile boolean localGoAway;
  private volatile boolean remoteGoAway;
  private volatile boolean closed;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile long framesRead;
  private volatile boolean keepAliveFailed;
  private ScheduledFuture<?> keepAlive;

  /**
   * @param client true on the dialling side (odd stream IDs), false on the listener (even)
   * @param acceptor called on the event loop for each new inbound stream
   * @param peerLabel the remote peer ID, for logs
   */
  public YamuxSession(
      boolean client, YamuxConfig config, Consumer<YamuxStream> acceptor, String peerLabel) {
    this.client = client;
    this.config = config;
    this.acceptor = acceptor;
    this.peerLabel = peerLabel;
    this.nextStreamId = client ? 1 : 2;
  }

  public YamuxConfig config() {
    return config;
  }

  /** Whether new streams can be opened: open and no GoAway sent or received. */
  public boolean acceptsNewStreams() {
    return isOpen() && !localGoAway && !remoteGoAway;
  }

  public boolean isOpen() {
    Channel ch = channel;
    return !closed && ch != null && ch.isActive();
  }

  public int streamCount() {
    return streams.size();
  }

  /** System.nanoTime() of the last time the stream count dropped to zero or a stream opened. */
  public long lastActivityNanos() {
    return lastActivityNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    Duration interval = config.keepAliveInterval();
    if (!interval.isZero()) {
      long ms = interval.toMillis();
      keepAlive =
          ctx.executor().scheduleAtFixedRate(this::sendKeepAlive, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Sends one keep-alive ping (see {@link #checkAlive}). */
  private void sendKeepAlive() {
    checkAlive(config.pingTimeout());
  }

  /**
   * Checks now that the remote is still there: sends a ping, and the connection is dead (and closed
   * at once, without GoAway, as {@linkplain #keepAliveFailed() died silently}) when the ping is
   * unanswered and nothing at all arrived from the remote in the last {@code timeout}: a busy
   * connection whose ping waits behind a full send buffer still counts as alive while the remote's
   * frames (window updates, its own pings) keep coming, and frames that were under way when the
   * path died only put the verdict off by one period. The keep-alive does this every {@link
   * YamuxConfig#keepAliveInterval()}; the host asks sooner when the network may have changed.
   *
   * @return completes with whether the remote answered (false: closed as dead)
   */
  public CompletableFuture<Boolean> checkAlive(Duration timeout) {
    CompletableFuture<Boolean> alive = new CompletableFuture<>();
    Channel ch = channel;
    if (ch == null || !isOpen()) {
      alive.complete(false);
      return alive;
    }
    CompletableFuture<Duration> p = ping();
    // Each period without the answer: silence since the last look means dead; frames from the
    // remote meanwhile (which may have left it before the path died) mean another period.
    long[] readBefore = {framesRead};
    ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
    Runnable[] look = new Runnable[1];
    look[0] =
        () -> {
          if (p.isDone()) {
            return;
          }
          if (framesRead != readBefore[0]) {
            readBefore[0] = framesRead;
            timer[0] = ch.eventLoop().schedule(look[0], timeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
          }
          p.completeExceptionally(new NetworkException("keep-alive ping timed out"));
        };
    timer[0] = ch.eventLoop().schedule(look[0], timeout.toMillis(), TimeUnit.MILLISECONDS);
    p.whenComplete(
        (rtt, e) -> {
          timer[0].cancel(false);
          if (e == null || e instanceof java.util.concurrent.CancellationException) {
            alive.complete(true);
            return;
          }
          if (isOpen()) {
            LOG.debug("keep-alive ping to {} failed, closing: {}", peerLabel, e.toString());
            keepAliveFailed = true;
            // Abortive close (RST, no FIN_WAIT): the dead path must not hold the address pair,
            // so that the same ports can connect again as soon as the network is back.
            try {
              ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            } catch (io.netty.channel.ChannelException ex) {
              // closed meanwhile
            }
            ch.close();
          }
          alive.complete(false);
        });
    return alive;
  }

  /**
   * Whether this session was closed because the remote stopped answering keep-alive pings (the
   * connection died silently: a Wi-Fi drop, a sleeping laptop, a rebooted router).
   */
  public boolean keepAliveFailed() {
    return keepAliveFailed;
  }

  /** Whether this side closed the session (GoAway sent, on purpose or after a protocol error). */
  public boolean closedLocally() {
    return localGoAway;
  }

  /** Whether the remote sent GoAway (it is closing the connection on purpose). */
  public boolean remoteGoAway() {
    return remoteGoAway;
  }

  /** Opens an outbound stream (sends SYN). */
  public synchronized YamuxStream openStream() throws IOException {
    if (!isOpen()) {
      throw new NetworkException("connection to " + peerLabel + " is closed");
    }
    if (remoteGoAway || localGoAway) {
      throw new NetworkException("connection to " + peerLabel + " is going away");
    }
    if (streams.size() >= config.maxStreams()) {
      throw new NetworkException("too many streams on connection to " + peerLabel);
    }
    int id = nextStreamId;
    if (id < 0 || id + 2 < 0) {
      throw new NetworkException("stream IDs exhausted on connection to " + peerLabel);
    }
    nextStreamId += 2;
    YamuxStream s = new YamuxStream(this, id, config.initialWindow());
    streams.put(id, s);
    lastActivityNanos = System.nanoTime();
    send(
        YamuxFrame.windowUpdate(
            id, YamuxFrame.SYN, config.initialWindow() - YamuxConfig.INITIAL_WINDOW));
    return s;
  }

  /** Sends a ping and completes with the round-trip time. */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    if (!isOpen()) {
      f.completeExceptionally(new NetworkException("connection closed"));
      return f;
    }
    long opaque = ThreadLocalRandom.current().nextLong(0, 0xFFFFFFFFL);
    pings.put(opaque, f);
    pingStart.put(opaque, System.nanoTime());
    f.whenComplete(
        (d, e) -> {
          pings.remove(opaque);
          pingStart.remove(opaque);
        });
    sendQuietly(YamuxFrame.ping(YamuxFrame.SYN, opaque));
    return f;
  }

  /** Sends GoAway (normal) and closes the connection. */
  public void close() {
    if (closed) {
      return;
    }
    localGoAway = true;
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  void resetIfNotClosedWithin(YamuxStream s, Duration timeout) {
    Channel ch = channel;
    if (ch == null || s.isRemoved()) {
      return;
    }
    ch.eventLoop()
        .schedule(
            () -> {
              if (!s.isRemoved()) {
                LOG.debug("{} did not close stream {} in time; resetting", peerLabel, s.id());
                s.reset();
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  void remove(YamuxStream s) {
    streams.remove(s.id(), s);
    if (streams.isEmpty()) {
      lastActivityNanos = System.nanoTime();
    }
  }

  /**
   * Writes a frame (and releases it); blocks (off the event loop) while the socket's outbound
   * buffer is full.
   */
  void send(YamuxFrame frame) throws IOException {
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      frame.release();
      throw new NetworkException("connection to " + peerLabel + " is closed");
    }
    ChannelFuture f;
    if (ch.eventLoop().inEventLoop()) {
      f = ch.writeAndFlush(frame);
    } else {
      // Flush once a burst of writes from other threads has been written, not after each one:
      // the Noise codec packs the frames of a burst into full Noise frames until the flush.
      unflushed.incrementAndGet();
      f = ch.write(frame);
      try {
        ch.eventLoop().execute(this::flushAfterBurst);
      } catch (RejectedExecutionException e) {
        unflushed.decrementAndGet();
        throw new NetworkException("connection to " + peerLabel + " is closed", e);
      }
    }
    if (!ch.isWritable() && !ch.eventLoop().inEventLoop()) {
      try {
        f.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing");
      }
      if (!f.isSuccess()) {
        throw new NetworkException("write to " + peerLabel + " failed", f.cause());
      }
    }
  }

  private void flushAfterBurst() {
    if (unflushed.decrementAndGet() == 0) {
      Channel ch = channel;
      if (ch != null) {
        ch.flush();
      }
    }
  }

  void sendQuietly(YamuxFrame frame) {
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(frame, ch.voidPromise());
    } else {
      frame.release();
    }
  }

  /** Allocates a buffer for an outbound data frame body (heap: the Noise codec encrypts arrays). */
  ByteBuf allocateBody(int length) {
    Channel ch = channel;
    return ch != null ? ch.alloc().heapBuffer(length) : Unpooled.buffer(length);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof YamuxFrame f)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      framesRead++; // only the event loop writes it
      if (!closed) {
        handle(ctx, f);
      }
    } finally {
      f.release(); // a stream that queues the body retains it
    }
  }

  private void handle(ChannelHandlerContext ctx, YamuxFrame f) throws ProtocolViolationException {
    switch (f.type()) {
      case YamuxFrame.PING -> {
        if (f.streamId() != 0) {
          throw new ProtocolViolationException("ping on stream " + f.streamId());
        }
        if (f.hasFlag(YamuxFrame.SYN)) {
          sendQuietly(YamuxFrame.ping(YamuxFrame.ACK, f.length()));
        } else if (f.hasFlag(YamuxFrame.ACK)) {
          Long start = pingStart.get(f.length());
          CompletableFuture<Duration> p = pings.get(f.length());
          if (p != null && start != null) {
            p.complete(Duration.ofNanos(System.nanoTime() - start));
          }
        }
      }
      case YamuxFrame.GO_AWAY -> {
        remoteGoAway = true;
        if (f.length() != YamuxFrame.GO_AWAY_NORMAL) {
          LOG.debug("{} sent GoAway with error code {}", peerLabel, f.length());
        }
      }
      default -> handleStreamFrame(f);
    }
  }

  private void handleStreamFrame(YamuxFrame f) throws ProtocolViolationException {
    int id = f.streamId();
    if (id == 0) {
      throw new ProtocolViolationException("stream frame on stream 0");
    }
    YamuxStream s = streams.get(id);
    if (f.hasFlag(YamuxFrame.SYN)) {
      if (s != null) {
        throw new ProtocolViolationException("duplicate SYN for stream " + id);
      }
      boolean remoteOdd = !client;
      if (((id & 1) == 1) != remoteOdd) {
        throw new ProtocolViolationException(
            "stream " + id + " has the wrong parity for the remote");
      }
      if (localGoAway) {
        sendQuietly(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
        return;
      }
      if (streams.size() >= config.maxStreams()) {
        LOG.debug(
            "{} exceeded {} streams; resetting stream {}", peerLabel, config.maxStreams(), id);
        sendQuietly(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
        return;
      }
      s = new YamuxStream(this, id, config.initialWindow());
      streams.put(id, s);
      lastActivityNanos = System.nanoTime();
      sendQuietly(
          YamuxFrame.windowUpdate(
              id, YamuxFrame.ACK, config.initialWindow() - YamuxConfig.INITIAL_WINDOW));
      applyToStream(s, f);
      acceptor.accept(s);
      return;
    }
    if (s == null) {
      // Frames for a stream that was already closed or reset: discard.
      return;
    }
    applyToStream(s, f);
  }

  private void applyToStream(YamuxStream s, YamuxFrame f) throws ProtocolViolationException {
    if (f.type() == YamuxFrame.WINDOW_UPDATE) {
      s.onWindowUpdate(f.length());
    } else {
      s.onData(f.data());
    }
    if (f.hasFlag(YamuxFrame.RST)) {
      s.onReset("reset by remote");
    } else if (f.hasFlag(YamuxFrame.FIN)) {
      s.onRemoteFin();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof ProtocolViolationException) {
      LOG.warn("closing connection to {}: protocol violation: {}", peerLabel, c.getMessage());
      fail(ctx, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    } else if (c instanceof IOException) {
      LOG.debug("connection to {} failed: {}", peerLabel, c.toString());
      ctx.close();
    } else {
      LOG.warn("closing connection to {}: internal error", peerLabel, c);
      fail(ctx, YamuxFrame.GO_AWAY_INTERNAL_ERROR);
    }
  }

  private void fail(ChannelHandlerContext ctx, int code) {
    if (closed) {
      return;
    }
    closed = true;
    localGoAway = true;
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(YamuxFrame.goAway(code)).addListener(ChannelFutureListener.CLOSE);
    }
    resetAll("connection failed");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    resetAll("connection closed");
    for (CompletableFuture<Duration> p : new ArrayList<>(pings.values())) {
      p.completeExceptionally(new NetworkException("connection closed"));
    }
    ctx.fireChannelInactive();
  }

  private void resetAll(String reason) {
    for (YamuxStream s : new ArrayList<>(streams.values())) {
      s.onReset(reason);
    }
  }
}
