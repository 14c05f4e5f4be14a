package org.dure.net.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.transport.ConnectionUpgrader;
import org.dure.net.transport.UpgradeListener;
import org.dure.net.yamux.YamuxConfig;
import org.dure.net.yamux.YamuxFrameCodec;
import org.dure.net.yamux.YamuxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection upgrade of a host, in one place: a raw channel (a TCP socket dialled or accepted,
 * or one end of a local pair bridged to a relayed stream) goes through multistream-select {@code
 * /noise}, the Noise XX handshake, multistream-select {@code /yamux/1.0.0} (or early muxer
 * negotiation) and becomes a Yamux {@link Connection}: gated, counted, registered with the {@link
 * ConnectionManager} and announced. The Netty handlers of the handshake are {@link
 * ConnectionUpgrader} and its muxer negotiator; this class builds the pipelines, gives each upgrade
 * its roles (the dialler is the initiator, except in a hole punch, whose roles are given), bounds
 * it by the handshake timeout and completes it.
 */
final class Upgrader {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrader.class);

  /** Why a connection is made. */
  enum Purpose {
    ORDINARY,
    HOLE_PUNCH,
    PROBE
  }

  /** Told of connections that join or leave the host (not of probes). */
  interface Events {
    /** Called on the event loop once the connection is registered and its future completed. */
    void connected(Connection c);

    /** Called on the event loop when the connection has closed. */
    void disconnected(Connection c);
  }

  private final Identity identity;
  private final boolean earlyMuxer;
  private final YamuxConfig yamuxConfig;
  private final ConnectionLimits limits;
  private final ConnectionGater gater;
  private final ConnectionManager connections;
  private final PeerStore peerStore;
  private final TrafficMeter traffic;
  private final UploadLimiter uploadLimiter;
  private final HostThreads threads;
  private final StreamRouter router;
  private final Events events;
  private final SecureRandom random = new SecureRandom();
  private final Map<LocalAddress, StreamBridge> pendingBridges = new ConcurrentHashMap<>();
  private EventLoopGroup localGroup;
  private Channel localServer;

  Upgrader(
      Identity identity,
      boolean earlyMuxer,
      YamuxConfig yamuxConfig,
      ConnectionLimits limits,
      ConnectionGater gater,
      ConnectionManager connections,
      PeerStore peerStore,
      TrafficMeter traffic,
      UploadLimiter uploadLimiter,
      HostThreads threads,
      StreamRouter router,
      Events events) {
    this.identity = identity;
    this.earlyMuxer = earlyMuxer;
    this.yamuxConfig = yamuxConfig;
    this.limits = limits;
    this.gater = gater;
    this.connections = connections;
    this.peerStore = peerStore;
    this.traffic = traffic;
    this.uploadLimiter = uploadLimiter;
    this.threads = threads;
    this.router = router;
    this.events = events;
  }

  // ------------------------------------------------------------------ TCP, dialled

  /**
   * Connects to {@code target} (from {@code local}, a listen address, if not {@code null}) and
   * upgrades the socket.
   *
   * @param role {@code OUTBOUND}: initiator of the handshake, Yamux client; {@code INBOUND} (a hole
   *     punch's server side): responder
   * @return completes with the connection, or with {@link PortReuse.LocalFailure} if the connect
   *     from {@code local} failed locally, or another {@link NetworkException}
   * @param onWire if not {@code null}, completed as soon as the socket's connect has been issued
   *     without a local error: the SYN is on its way
   */
  CompletableFuture<Connection> dial(
      Multiaddr address,
      PeerId expected,
      InetSocketAddress target,
      InetSocketAddress local,
      Duration connectTimeout,
      Direction role,
      Purpose purpose,
      CompletableFuture<Void> onWire) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(threads.group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE)))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (onWire != null) {
                      ch.pipeline().addLast("on-wire", new OnWire(onWire));
                    }
                    ch.pipeline().addLast("traffic", new TrafficHandler(traffic, uploadLimiter));
                    ch.pipeline()
                        .addLast(
                            "upgrade",
                            new ConnectionUpgrader(
                                role == Direction.OUTBOUND,
                                identity,
                                expected,
                                new Upgrade(role, result, purpose),
                                earlyMuxer));
                    scheduleHandshakeTimeout(ch, result);
                  }
                });
    ChannelFuture connect;
    if (local != null) {
      PortReuse.apply(b);
      connect = b.connect(target, local);
    } else {
      connect = b.connect(target);
    }
    // A dial given up from outside (a hole punch needs its address pair) ends its channel too.
    result.whenComplete(
        (c, e) -> {
          if (e != null && connect.channel().isOpen()) {
            connect.channel().close();
          }
        });
    connect.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            String why = "cannot connect to " + address + ": " + f.cause();
            result.completeExceptionally(
                local != null && PortReuse.isLocal(f.cause())
                    ? new PortReuse.LocalFailure(
                        why + " (from port " + local.getPort() + ")", f.cause())
                    : new NetworkException(why, f.cause()));
          }
        });
    return result;
  }

  /**
   * Completes a future once the channel's connect has been issued: NIO's connect sends the SYN in
   * the call that the pipeline's head makes, so it has left when that call returns without a
   * failure.
   */
  private static final class OnWire extends ChannelOutboundHandlerAdapter {
    private final CompletableFuture<Void> onWire;

    OnWire(CompletableFuture<Void> onWire) {
      this.onWire = onWire;
    }

    @Override
    public void connect(
        ChannelHandlerContext ctx,
        SocketAddress remote,
        SocketAddress local,
        ChannelPromise promise)
        throws Exception {
      super.connect(ctx, remote, local, promise);
      if (!promise.isDone() || promise.isSuccess()) {
        onWire.complete(null);
      }
      ctx.pipeline().remove(this);
    }
  }

  // ------------------------------------------------------------------ TCP, accepted

  /**
   * Upgrades a socket the listener accepted (and admitted), completing {@code result}. If {@code
   * punch} is a hole punch in progress with the socket's remote, this is the other side of it,
   * dialling from its listen port: the roles of the upgrade are those of the hole punch, not of who
   * accepted (see {@link Host#dialHolePunch}), and the connection also completes the punch.
   */
  void upgradeInbound(
      SocketChannel ch, CompletableFuture<Connection> result, HolePunches.Punch punch) {
    ch.pipeline().addLast("traffic", new TrafficHandler(traffic, uploadLimiter));
    if (punch != null) {
      result.whenComplete(
          (c, e) -> {
            if (e == null) {
              HolePunches.completeOrClose(punch.result(), c);
            }
          });
      ch.pipeline()
          .addLast(
              "upgrade",
              new ConnectionUpgrader(
                  punch.client(),
                  identity,
                  punch.peer(),
                  new Upgrade(
                      punch.client() ? Direction.OUTBOUND : Direction.INBOUND,
                      result,
                      Purpose.HOLE_PUNCH),
                  earlyMuxer));
    } else {
      ch.pipeline()
          .addLast(
              "upgrade",
              new ConnectionUpgrader(
                  false, identity, null, new Upgrade(Direction.INBOUND, result), earlyMuxer));
    }
    scheduleHandshakeTimeout(ch, result);
  }

  // ------------------------------------------------------------------ relayed

  /** See {@link Host#upgradeRelayed}. */
  CompletableFuture<Connection> upgradeRelayed(
      Stream stream, Direction direction, PeerId expected, Multiaddr remoteAddress) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    Channel server;
    try {
      server = localServer();
    } catch (IOException | RuntimeException e) {
      stream.reset();
      result.completeExceptionally(e);
      return result;
    }
    LocalAddress near =
        new LocalAddress("dure-relayed-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
    pendingBridges.put(near, new StreamBridge(stream, threads.executor));
    Multiaddr local = Multiaddr.parse("/p2p-circuit");
    Bootstrap b =
        new Bootstrap()
            .group(server.eventLoop())
            .channel(LocalChannel.class)
            .localAddress(near)
            .handler(
                new ChannelInitializer<LocalChannel>() {
                  @Override
                  protected void initChannel(LocalChannel ch) {
                    ch.pipeline()
                        .addLast(
                            "upgrade",
                            new ConnectionUpgrader(
                                direction == Direction.OUTBOUND,
                                identity,
                                expected,
                                new Upgrade(direction, result, remoteAddress, local),
                                earlyMuxer));
                    scheduleHandshakeTimeout(ch, result);
                  }
                });
    b.connect(server.localAddress())
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                pendingBridges.remove(near);
                stream.reset();
                result.completeExceptionally(
                    new NetworkException("cannot bridge relayed stream: " + f.cause(), f.cause()));
              }
            });
    result.whenComplete(
        (c, e) -> {
          if (e != null) {
            stream.reset();
          }
        });
    return result;
  }

  /** The local server whose accepted channels are the stream ends of relayed connections. */
  private synchronized Channel localServer() throws IOException {
    if (!threads.running) {
      throw new IllegalStateException("host not started");
    }
    if (localServer == null) {
      localGroup = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
      ChannelFuture f =
          new ServerBootstrap()
              .group(localGroup)
              .channel(LocalServerChannel.class)
              .childHandler(
                  new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                      StreamBridge bridge = pendingBridges.remove(ch.remoteAddress());
                      if (bridge == null) {
                        ch.close();
                        return;
                      }
                      ch.pipeline().addLast("bridge", bridge);
                    }
                  })
              .bind(
                  new LocalAddress(
                      "dure-relay-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE)))
              .awaitUninterruptibly();
      if (!f.isSuccess()) {
        throw new NetworkException("cannot start the relayed-connection bridge", f.cause());
      }
      localServer = f.channel();
    }
    return localServer;
  }

  /** Closes the bridge of relayed connections, if it was made (when the host stops). */
  synchronized void close() {
    if (localServer != null) {
      localServer.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      localServer = null;
    }
    if (localGroup != null) {
      localGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      localGroup = null;
    }
  }

  // ------------------------------------------------------------------ completion

  private void scheduleHandshakeTimeout(Channel ch, CompletableFuture<Connection> result) {
    ScheduledFuture<?> t =
        ch.eventLoop()
            .schedule(
                () -> {
                  if (!result.isDone()) {
                    LOG.debug("handshake with {} timed out", ch.remoteAddress());
                    result.completeExceptionally(new NetworkException("handshake timed out"));
                    ch.close();
                  }
                },
                limits.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> t.cancel(false));
  }

  /** Completes the upgrade of one channel: gating, limits, Yamux, registration. */
  private final class Upgrade implements UpgradeListener {
    private final Direction direction;
    private final CompletableFuture<Connection> result;
    private final Multiaddr remote;
    private final Multiaddr local;
    private final Purpose purpose;

    Upgrade(Direction direction, CompletableFuture<Connection> result) {
      this(direction, result, null, null, Purpose.ORDINARY);
    }

    Upgrade(Direction direction, CompletableFuture<Connection> result, Purpose purpose) {
      this(direction, result, null, null, purpose);
    }

    /** With the addresses of a channel that is not a TCP socket (a relayed connection). */
    Upgrade(
        Direction direction,
        CompletableFuture<Connection> result,
        Multiaddr remote,
        Multiaddr local) {
      this(direction, result, remote, local, Purpose.ORDINARY);
    }

    private Upgrade(
        Direction direction,
        CompletableFuture<Connection> result,
        Multiaddr remote,
        Multiaddr local,
        Purpose purpose) {
      this.direction = direction;
      this.result = result;
      this.remote = remote;
      this.local = local;
      this.purpose = purpose;
    }

    @Override
    public void onUpgraded(Channel ch, PeerId remotePeer, LibP2pPublicKey key, boolean early) {
      Multiaddr remoteAddr =
          remote != null
              ? remote
              : Multiaddr.fromSocketAddress((InetSocketAddress) ch.remoteAddress());
      Multiaddr localAddr =
          local != null
              ? local
              : Multiaddr.fromSocketAddress((InetSocketAddress) ch.localAddress());
      if (result.isDone()) {
        ch.close();
        return;
      }
      if (!gater.allowSecured(direction, remotePeer, remoteAddr)) {
        LOG.debug("gater refused {} {} at {}", direction, remotePeer, remoteAddr);
        result.completeExceptionally(
            new NetworkException("connection to " + remotePeer + " denied by gater"));
        ch.close();
        return;
      }
      Connection conn =
          new Connection(router, ch, remotePeer, key, direction, remoteAddr, localAddr, early);
      if (purpose == Purpose.HOLE_PUNCH) {
        conn.markHolePunched();
      } else if (purpose == Purpose.PROBE) {
        conn.markProbe();
      }
      if (ch.pipeline().get("traffic") instanceof TrafficHandler t) {
        t.bind(remotePeer);
      }
      YamuxSession session =
          new YamuxSession(
              direction == Direction.OUTBOUND,
              yamuxConfig,
              s -> threads.executor.execute(() -> router.serveInbound(conn, s)),
              remotePeer.toString());
      conn.attach(session);
      ch.pipeline().addLast("yamux-codec", new YamuxFrameCodec(yamuxConfig.maxWindow()));
      ch.pipeline().addLast("yamux", session);
      if (!connections.register(conn)) {
        LOG.debug("connection limit reached; closing {} connection to {}", direction, remotePeer);
        result.completeExceptionally(
            new NetworkException("connection limit reached for " + remotePeer));
        session.close();
        return;
      }
      peerStore.setPublicKey(remotePeer, key);
      if (purpose == Purpose.PROBE) {
        // A probe is invisible to the rest of the host: no listeners, no identify, not found.
        ch.closeFuture()
            .addListener(
                f -> {
                  if (connections.unregister(conn)) {
                    conn.markClosed();
                    conn.identifiedFuture()
                        .completeExceptionally(new NetworkException("connection closed"));
                  }
                });
        result.complete(conn);
        return;
      }
      if (direction == Direction.OUTBOUND) {
        peerStore.addAddresses(remotePeer, List.of(remoteAddr));
        peerStore.markDialled(remotePeer);
      }
      ch.closeFuture()
          .addListener(
              f -> {
                if (connections.unregister(conn)) {
                  conn.markClosed();
                  conn.identifiedFuture()
                      .completeExceptionally(new NetworkException("connection closed"));
                  events.disconnected(conn);
                }
              });
      result.complete(conn);
      events.connected(conn);
    }

    @Override
    public void onFailed(Channel ch, Throwable cause) {
      result.completeExceptionally(cause);
    }
  }
}
