package org.dure.net.host;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dure.net.NetworkException;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listeners of a host and the admission of what they accept: the gater, the per-IP limits
 * and the bound on pending handshakes are asked before a byte is read; an admitted socket goes to
 * the {@link Upgrader}, as the other side of a hole punch if one is expected from its address.
 */
final class TcpListener {
  private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

  private final ConnectionLimits limits;
  private final ConnectionGater gater;
  private final IpLimiter perIp;
  private final HolePunches punches;
  private final Upgrader upgrader;
  private final LocalAddresses addresses;
  private final HostThreads threads;
  private final boolean reusePort;
  private final List<Channel> servers = new CopyOnWriteArrayList<>();
  private final AtomicInteger pendingInbound = new AtomicInteger();

  TcpListener(
      ConnectionLimits limits,
      ConnectionGater gater,
      HolePunches punches,
      Upgrader upgrader,
      LocalAddresses addresses,
      HostThreads threads,
      boolean reusePort) {
    this.limits = limits;
    this.gater = gater;
    this.perIp = new IpLimiter(limits.maxConnectionsPerIp(), limits.newConnectionsPerIpPerMinute());
    this.punches = punches;
    this.upgrader = upgrader;
    this.addresses = addresses;
    this.threads = threads;
    this.reusePort = reusePort;
  }

  /**
   * Binds {@code addr} (with {@code SO_REUSEPORT} if enabled) and records the address bound (the
   * port chosen for {@code tcp/0}).
   */
  void bind(Multiaddr addr) throws IOException, InterruptedException {
    ServerBootstrap sb =
        new ServerBootstrap()
            .group(threads.group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accept(ch);
                  }
                });
    if (reusePort) {
      PortReuse.apply(sb);
    }
    ChannelFuture f = sb.bind(addr.toTcpSocketAddress()).await();
    if (!f.isSuccess()) {
      throw new NetworkException("cannot listen on " + addr, f.cause());
    }
    servers.add(f.channel());
    InetSocketAddress requested = addr.toTcpSocketAddress();
    InetSocketAddress bound = (InetSocketAddress) f.channel().localAddress();
    addresses.addBound(
        Multiaddr.fromSocketAddress(
            requested.isUnresolved()
                ? bound
                : new InetSocketAddress(requested.getAddress(), bound.getPort())));
  }

  /** Closes every listener (not the connections they accepted). */
  void close() {
    for (Channel s : servers) {
      s.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    servers.clear();
    addresses.clearBound();
  }

  private void accept(SocketChannel ch) {
    Multiaddr remote = Multiaddr.fromSocketAddress(ch.remoteAddress());
    if (!threads.running || !gater.allowAccept(remote)) {
      LOG.debug("refusing connection from {}", remote);
      ch.close();
      return;
    }
    InetAddress ip = ch.remoteAddress().getAddress();
    if (!perIp.accept(ip, System.nanoTime())) {
      LOG.debug("too many connections from {}; refusing {}", ip, remote);
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> perIp.closed(ip));
    if (pendingInbound.incrementAndGet() > limits.maxPendingHandshakes()) {
      pendingInbound.decrementAndGet();
      LOG.debug("too many pending handshakes; refusing {}", remote);
      ch.close();
      return;
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    result.whenComplete((c, e) -> pendingInbound.decrementAndGet());
    // The punch stays registered (dialHolePunch may still be called for it); a punch already
    // done does not take a later connection from the same address.
    HolePunches.Punch punch = punches.get(ch.remoteAddress());
    upgrader.upgradeInbound(ch, result, punch != null && !punch.result().isDone() ? punch : null);
  }
}
