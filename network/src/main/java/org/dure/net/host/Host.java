package org.dure.net.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.crypto.LibP2pPublicKey;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;
import org.dure.net.multistream.MultistreamSelect;
import org.dure.net.peer.Identity;
import org.dure.net.peer.PeerId;
import org.dure.net.protocol.LengthPrefixed;
import org.dure.net.transport.ConnectionUpgrader;
import org.dure.net.transport.UpgradeListener;
import org.dure.net.yamux.YamuxConfig;
import org.dure.net.yamux.YamuxFrameCodec;
import org.dure.net.yamux.YamuxSession;
import org.dure.net.yamux.YamuxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p node: TCP + Noise + Yamux, serving identify, identify push and ping, plus the protocol
 * handlers the application registers. Build with {@link #builder()}, then {@link #start()}.
 *
 * <p>Threads: Netty event loops run I/O, codecs and the Yamux session and never block. Stream
 * handlers, protocol negotiation of inbound streams, identify and connection listeners run on
 * virtual threads. Caller threads block in {@link #dial}, {@link #newStream} and stream I/O.
 */
public final class Host implements AutoCloseable {
  public static final String IDENTIFY = "/ipfs/id/1.0.0";
  public static final String IDENTIFY_PUSH = "/ipfs/id/push/1.0.0";
  public static final String PING = "/ipfs/ping/1.0.0";
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  public static final String DEFAULT_AGENT = "dure/0.1.0";
  public static final int PING_SIZE = 32;

  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final Identity identity;
  private final List<Multiaddr> listen;
  private final ConnectionLimits limits;
  private final ConnectionGater gater;
  private final ResourceLimits resourceLimits;
  private final UploadLimiter uploadLimiter;
  private final TrafficMeter traffic = new TrafficMeter();
  private final ObservedAddresses observed = new ObservedAddresses();
  private final Map<PeerId, java.util.concurrent.atomic.AtomicInteger> inboundStreams =
      new ConcurrentHashMap<>();
  private final YamuxConfig yamuxConfig;
  private final String agentVersion;
  private final Path peerStoreFile;
  private final boolean earlyMuxer;
  private final boolean reusePort;
  private final int ioThreads;
  private final PeerStore peerStore;
  private final ConnectionManager connections;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> servers = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> boundAddresses = new CopyOnWriteArrayList<>();
  private volatile List<Multiaddr> externalAddresses = List.of();
  private volatile List<Multiaddr> relayedAddresses = List.of();
  private final SecureRandom random = new SecureRandom();
  private final java.util.concurrent.atomic.AtomicInteger pendingInbound =
      new java.util.concurrent.atomic.AtomicInteger();
  private final IpLimiter perIp;
  private EventLoopGroup group;
  private ExecutorService executor;
  private ScheduledFuture<?> idleCheck;
  private volatile boolean running;
  private volatile CircuitDialer circuitDialer;
  private volatile PeerRouting peerRouting;
  private EventLoopGroup localGroup;
  private Channel localServer;
  private final Map<LocalAddress, StreamBridge> pendingBridges = new ConcurrentHashMap<>();

  /** Why a connection is made. */
  private enum Purpose {
    ORDINARY,
    HOLE_PUNCH,
    PROBE
  }

  /** A hole punch in progress: a connection from {@code peer} may come in at the listener. */
  private record Punch(PeerId peer, boolean client, CompletableFuture<Connection> result) {}

  private final Map<InetSocketAddress, Punch> punches = new ConcurrentHashMap<>();

  private Host(Builder b) throws IOException {
    this.identity = new Identity(b.keyPair);
    this.listen = List.copyOf(b.listen);
    this.limits = b.limits;
    this.gater = b.gater;
    this.resourceLimits = b.resourceLimits;
    this.uploadLimiter = b.uploadLimiter;
    this.yamuxConfig = b.yamux.withMaxStreams(b.limits.maxStreamsPerConnection());
    this.agentVersion = b.agentVersion;
    this.peerStoreFile = b.peerStoreFile;
    this.earlyMuxer = b.earlyMuxer;
    this.reusePort = b.reusePort && PortReuse.supported();
    this.ioThreads = b.ioThreads;
    this.peerStore = b.peerStoreFile == null ? new PeerStore() : PeerStore.load(b.peerStoreFile);
    this.connections = new ConnectionManager(limits);
    this.perIp = new IpLimiter(limits.maxConnectionsPerIp(), limits.newConnectionsPerIpPerMinute());
    handlers.put(IDENTIFY, this::serveIdentify);
    handlers.put(IDENTIFY_PUSH, this::receiveIdentifyPush);
    handlers.put(PING, Host::servePing);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Host configuration. */
  public static final class Builder {
    private KeyPair keyPair;
    private final List<Multiaddr> listen = new ArrayList<>();
    private ConnectionLimits limits = ConnectionLimits.defaults();
    private ConnectionGater gater = ConnectionGater.ALLOW_ALL;
    private ResourceLimits resourceLimits = ResourceLimits.UNLIMITED;
    private UploadLimiter uploadLimiter = new UploadLimiter();
    private YamuxConfig yamux = YamuxConfig.defaults();
    private String agentVersion = DEFAULT_AGENT;
    private Path peerStoreFile;
    private boolean earlyMuxer = true;
    private boolean reusePort = true;
    private int ioThreads = 2;

    private Builder() {}

    /** The identity key pair (Ed25519 recommended; ECDSA and RSA work). Default: random Ed25519. */
    public Builder identity(KeyPair keyPair) {
      this.keyPair = keyPair;
      return this;
    }

    /** Adds a TCP listen address such as {@code /ip4/127.0.0.1/tcp/0}. */
    public Builder listen(String multiaddr) {
      return listen(Multiaddr.parse(multiaddr));
    }

    public Builder listen(Multiaddr multiaddr) {
      multiaddr.toTcpSocketAddress();
      listen.add(multiaddr);
      return this;
    }

    public Builder limits(ConnectionLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder gater(ConnectionGater gater) {
      this.gater = gater;
      return this;
    }

    /** What one peer may take (streams at once); default unlimited. */
    public Builder resourceLimits(ResourceLimits limits) {
      this.resourceLimits = limits;
      return this;
    }

    /** Paces every byte this host sends (the upload cap); default unlimited. */
    public Builder uploadLimiter(UploadLimiter limiter) {
      this.uploadLimiter = limiter;
      return this;
    }

    public Builder yamux(YamuxConfig config) {
      this.yamux = config;
      return this;
    }

    public Builder agentVersion(String agentVersion) {
      this.agentVersion = agentVersion;
      return this;
    }

    /** Loads the peer store from this file at build time and saves it on {@link #stop()}. */
    public Builder peerStoreFile(Path file) {
      this.peerStoreFile = file;
      return this;
    }

    /** Whether to offer Yamux inside the Noise handshake (default true). */
    public Builder earlyMuxerNegotiation(boolean enabled) {
      this.earlyMuxer = enabled;
      return this;
    }

    /**
     * Whether TCP dials to other machines leave from the listen port (SO_REUSEPORT, as go-libp2p
     * does; default true where the platform has it): behind a home router that keeps the port, the
     * address peers observe is then the one to reach this node at, which AutoNAT can test and hole
     * punching needs. Dials to loopback never do.
     */
    public Builder reusePort(boolean enabled) {
      this.reusePort = enabled;
      return this;
    }

    public Builder ioThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("ioThreads must be positive");
      }
      this.ioThreads = n;
      return this;
    }

    /**
     * Builds the host (not yet started).
     *
     * @throws IOException if the peer store file cannot be read
     */
    public Host build() throws IOException {
      if (keyPair == null) {
        keyPair = Identity.generateEd25519();
      }
      return new Host(this);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Binds the listen addresses. */
  public synchronized Host start() throws IOException {
    if (running) {
      throw new IllegalStateException("already started");
    }
    group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dure-net-", 0).factory());
    running = true;
    try {
      for (Multiaddr addr : listen) {
        ServerBootstrap sb =
            new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        initInbound(ch);
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
        boundAddresses.add(
            Multiaddr.fromSocketAddress(
                requested.isUnresolved()
                    ? bound
                    : new InetSocketAddress(requested.getAddress(), bound.getPort())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new InterruptedIOException("interrupted while binding");
    } catch (IOException | RuntimeException e) {
      stop();
      throw e;
    }
    if (!limits.idleTimeout().isZero()) {
      long period = Math.max(100, limits.idleTimeout().toMillis() / 4);
      idleCheck =
          group.next().scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Closes every connection and listener and saves the peer store (if a file was given). */
  public synchronized void stop() {
    if (group == null) {
      return;
    }
    running = false;
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    for (Channel s : servers) {
      s.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    servers.clear();
    boundAddresses.clear();
    for (Connection c : connections.connections()) {
      c.close();
    }
    for (Connection c : connections.connections()) {
      c.channel().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
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
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    executor.shutdownNow();
    group = null;
    if (peerStoreFile != null) {
      try {
        peerStore.save(peerStoreFile);
      } catch (IOException e) {
        LOG.warn("could not save peer store to {}: {}", peerStoreFile, e.toString());
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  // ------------------------------------------------------------------ accessors

  public PeerId peerId() {
    return identity.peerId();
  }

  public LibP2pPublicKey publicKey() {
    return identity.publicKey();
  }

  /**
   * The bound listen addresses, each ending in {@code /p2p/<peer id>}. A wildcard bind ({@code
   * 0.0.0.0}, {@code ::}) is expanded to the addresses of the up network interfaces.
   */
  /**
   * The addresses actually bound, as given to the builder but with the port chosen for a {@code
   * tcp/0} (no interface expansion, no {@code /p2p/}): listening on them again keeps this node's
   * addresses stable, e.g. across going offline and online.
   */
  public List<Multiaddr> boundAddresses() {
    return List.copyOf(boundAddresses);
  }

  public List<Multiaddr> listenAddresses() {
    return expandedListenAddresses().stream().map(a -> a.withPeerId(peerId())).toList();
  }

  /**
   * Sets the addresses at which others can reach this node without it listening there itself, such
   * as a port forwarded on the home router ({@code /ip4/203.0.113.7/tcp/4001}); they are announced
   * in identify and put in invites after the listen addresses. At most 8 are kept.
   *
   * @throws IllegalArgumentException for an address that is not {@code /ip4|ip6/.../tcp/...}
   */
  public void setExternalAddresses(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      a.toTcpSocketAddress(); // checks the form
      Multiaddr bare = a.withoutPeerId();
      if (!out.contains(bare) && out.size() < 8) {
        out.add(bare);
      }
    }
    externalAddresses = List.copyOf(out);
  }

  /** The addresses set by {@link #setExternalAddresses}, without {@code /p2p/}. */
  public List<Multiaddr> externalAddresses() {
    return externalAddresses;
  }

  /**
   * Sets the relayed addresses of this node, {@code …/p2p/RELAY/p2p-circuit}, one per relay where
   * it holds a reservation (kept up by {@link org.dure.net.relay.AutoRelay}); they are announced in
   * identify and put in invites after the direct addresses, and connected peers are told at once
   * (identify push) when they change. At most 8 are kept.
   *
   * @throws IllegalArgumentException for an address without {@code /p2p-circuit}
   */
  public void setRelayedAddresses(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      Multiaddr bare = a.withoutPeerId();
      if (bare.first(Protocol.P2P_CIRCUIT) == null) {
        throw new IllegalArgumentException("not a relayed address: " + a);
      }
      if (!out.contains(bare) && out.size() < 8) {
        out.add(bare);
      }
    }
    List<Multiaddr> now = List.copyOf(out);
    if (!now.equals(relayedAddresses)) {
      relayedAddresses = now;
      pushIdentify();
    }
  }

  /** The addresses set by {@link #setRelayedAddresses}, ending in {@code /p2p-circuit}. */
  public List<Multiaddr> relayedAddresses() {
    return relayedAddresses;
  }

  /**
   * Where others can reach this node: {@link #listenAddresses()}, then the {@link
   * #externalAddresses()} not among them, then the {@link #relayedAddresses()}, each ending in
   * {@code /p2p/<peer id>}.
   */
  public List<Multiaddr> advertisedAddresses() {
    List<Multiaddr> out = new ArrayList<>(listenAddresses());
    for (Multiaddr a : externalAddresses) {
      Multiaddr full = a.withPeerId(peerId());
      if (!out.contains(full)) {
        out.add(full);
      }
    }
    for (Multiaddr a : relayedAddresses) {
      out.add(a.withPeerId(peerId()));
    }
    return out;
  }

  private List<Multiaddr> expandedListenAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : boundAddresses) {
      InetSocketAddress sa = a.toTcpSocketAddress();
      if (!sa.getAddress().isAnyLocalAddress()) {
        out.add(a);
        continue;
      }
      boolean v6 = sa.getAddress() instanceof java.net.Inet6Address;
      try {
        for (java.net.NetworkInterface ni :
            java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
          if (!ni.isUp()) {
            continue;
          }
          for (java.net.InetAddress ip : java.util.Collections.list(ni.getInetAddresses())) {
            if ((ip instanceof java.net.Inet6Address) == v6 && !ip.isLinkLocalAddress()) {
              out.add(Multiaddr.fromSocketAddress(new InetSocketAddress(ip, sa.getPort())));
            }
          }
        }
      } catch (java.net.SocketException e) {
        out.add(a);
      }
    }
    return out;
  }

  public PeerStore peerStore() {
    return peerStore;
  }

  /**
   * Where other peers saw this node (identify's observed addresses, from listen-port connections).
   */
  public ObservedAddresses observedAddresses() {
    return observed;
  }

  /** Whether this connection's local end is a listen port (inbound, or dialled from it). */
  private boolean fromListenPort(Connection conn) {
    if (conn.direction() == Direction.INBOUND) {
      return true;
    }
    try {
      int port = conn.localAddress().toTcpSocketAddress().getPort();
      for (Multiaddr a : boundAddresses) {
        if (a.toTcpSocketAddress().getPort() == port) {
          return true;
        }
      }
    } catch (IllegalArgumentException e) {
      // not TCP
    }
    return false;
  }

  /** Bytes exchanged with each peer since this host started. */
  public TrafficMeter traffic() {
    return traffic;
  }

  /** The limiter pacing what this host sends (set its rate to change the upload cap live). */
  public UploadLimiter uploadLimiter() {
    return uploadLimiter;
  }

  public ConnectionManager connectionManager() {
    return connections;
  }

  public String agentVersion() {
    return agentVersion;
  }

  /** Registered protocol IDs, sorted. */
  public List<String> protocols() {
    return List.copyOf(new TreeSet<>(handlers.keySet()));
  }

  public void addConnectionListener(ConnectionListener l) {
    listeners.add(l);
  }

  public void removeConnectionListener(ConnectionListener l) {
    listeners.remove(l);
  }

  // ------------------------------------------------------------------ handlers

  /** Registers (or replaces) the handler of {@code protocol} and pushes identify to peers. */
  public void setHandler(String protocol, StreamHandler handler) {
    if (protocol.isEmpty()
        || protocol.indexOf('\n') >= 0
        || protocol.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            >= org.dure.net.multistream.MultistreamCodec.MAX_MESSAGE) {
      throw new IllegalArgumentException("invalid protocol id: " + protocol);
    }
    StreamHandler old = handlers.put(protocol, handler);
    if (old == null) {
      pushIdentify();
    }
  }

  /** Removes the handler of {@code protocol} and pushes identify to peers. */
  public void removeHandler(String protocol) {
    if (handlers.remove(protocol) != null) {
      pushIdentify();
    }
  }

  // ------------------------------------------------------------------ dialling

  /**
   * Dials a multiaddr such as {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW…}, or returns an open
   * connection to that peer. If the address names a peer, the remote must authenticate as it.
   *
   * @throws org.dure.net.PeerIdMismatchException if the remote is another peer
   * @throws NetworkException if gated, refused or the handshake fails
   */
  public Connection dial(Multiaddr address) throws IOException {
    return await(dialAsync(address), address);
  }

  public Connection dial(String multiaddr) throws IOException {
    return dial(Multiaddr.parse(multiaddr));
  }

  /**
   * Connects to a peer: an open connection, else its known addresses in the peer store, the direct
   * ones before the relayed ({@code /p2p-circuit}) ones, else the addresses the {@linkplain
   * #setPeerRouting peer routing} finds (the one that works is added to the peer store).
   */
  public Connection connect(PeerId peer) throws IOException {
    return connect(peer, limits.handshakeTimeout());
  }

  /**
   * {@link #connect(PeerId)}, giving up on each TCP address after {@code connectTimeout} without an
   * answer (a reconnector that must notice a healed link soon tries again instead of waiting for
   * TCP's SYN back-off).
   */
  public Connection connect(PeerId peer, Duration connectTimeout) throws IOException {
    Connection existing = connections.find(peer);
    if (existing != null) {
      return existing;
    }
    List<Multiaddr> known =
        peerStore.get(peer).map(PeerStore.PeerRecord::addresses).orElse(List.of());
    IOException failure;
    try {
      return dialAll(peer, known, connectTimeout);
    } catch (IOException e) {
      failure = e;
    }
    // No known address answers: ask the peer routing (the DHT) where the peer is now.
    PeerRouting routing = peerRouting;
    if (routing != null) {
      List<Multiaddr> found = new ArrayList<>();
      for (Multiaddr a : routing.findPeer(peer)) {
        Multiaddr bare = a.withoutPeerId();
        if (!known.contains(bare) && !found.contains(bare)) {
          found.add(bare);
        }
      }
      if (!found.isEmpty()) {
        Connection c = dialAll(peer, found, connectTimeout);
        Multiaddr at = c.remoteAddress() == null ? null : c.remoteAddress().withoutPeerId();
        if (at != null && found.contains(at)) {
          peerStore.addAddresses(peer, List.of(at)); // the one that answered, as itself
        }
        return c;
      }
    }
    throw failure;
  }

  /**
   * Dials {@code peer} at {@code addresses} (without its peer ID), the direct ones in parallel and
   * the relayed ones a moment later; returns the first connection made.
   */
  private Connection dialAll(PeerId peer, List<Multiaddr> addresses, Duration connectTimeout)
      throws IOException {
    List<Multiaddr> direct = new ArrayList<>();
    List<Multiaddr> relayed = new ArrayList<>();
    for (Multiaddr a : addresses) {
      List<Multiaddr> to = a.first(Protocol.P2P_CIRCUIT) != null ? relayed : direct;
      if (to.size() < MAX_PARALLEL_DIALS) {
        to.add(a.withPeerId(peer));
      }
    }
    if (direct.isEmpty() && relayed.isEmpty()) {
      throw new NetworkException("no known addresses for " + peer);
    }
    CompletableFuture<Connection> winner = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(direct.size() + relayed.size());
    java.util.concurrent.atomic.AtomicReference<Throwable> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean relayedStarted =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger directLeft =
        new java.util.concurrent.atomic.AtomicInteger(direct.size());
    Runnable startRelayed =
        () -> {
          if (relayedStarted.compareAndSet(false, true)) {
            for (Multiaddr a : relayed) {
              if (winner.isDone()) {
                left.decrementAndGet();
                continue;
              }
              dialAsync(a, connectTimeout).whenComplete((c, e) -> settle(winner, left, last, c, e));
            }
          }
        };
    for (Multiaddr a : direct) {
      dialAsync(a, connectTimeout)
          .whenComplete(
              (c, e) -> {
                settle(winner, left, last, c, e);
                if (directLeft.decrementAndGet() == 0 && !winner.isDone()) {
                  startRelayed.run(); // every direct address failed: no need to wait
                }
              });
    }
    if (direct.isEmpty()) {
      startRelayed.run();
    } else if (!relayed.isEmpty()) {
      // Direct addresses first (a relayed connection is limited in time and bytes), but without
      // waiting for their timeouts: the relayed ones start a moment later, in parallel.
      ScheduledFuture<?> later =
          group.next().schedule(startRelayed, RELAYED_DIAL_DELAY_MS, TimeUnit.MILLISECONDS);
      winner.whenComplete((c, e) -> later.cancel(false));
    }
    return await(winner, Multiaddr.parse("/p2p/" + peer));
  }

  /** Most addresses of each kind (direct, relayed) dialled at once by {@link #connect}. */
  private static final int MAX_PARALLEL_DIALS = 8;

  /** How long {@link #connect} gives the direct addresses before dialling the relayed ones too. */
  private static final long RELAYED_DIAL_DELAY_MS = 500;

  private static void settle(
      CompletableFuture<Connection> winner,
      java.util.concurrent.atomic.AtomicInteger left,
      java.util.concurrent.atomic.AtomicReference<Throwable> last,
      Connection c,
      Throwable e) {
    if (c != null) {
      winner.complete(c); // a second one, if any, stays until idle (it may serve others)
    } else {
      last.set(e);
    }
    if (left.decrementAndGet() == 0 && !winner.isDone()) {
      winner.completeExceptionally(last.get());
    }
  }

  private Connection await(CompletableFuture<Connection> f, Multiaddr address) throws IOException {
    try {
      return f.get(limits.handshakeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while dialling " + address);
    } catch (TimeoutException e) {
      throw new NetworkException("dial to " + address + " timed out");
    } catch (ExecutionException e) {
      throw asIOException(e.getCause(), "dial to " + address + " failed");
    }
  }

  /**
   * Sets where {@link #connect(PeerId)} looks for a peer none of whose known addresses works
   * ({@code null}: nowhere).
   */
  public void setPeerRouting(PeerRouting routing) {
    this.peerRouting = routing;
  }

  /** Whether a {@linkplain #setPeerRouting peer routing} is set. */
  public boolean hasPeerRouting() {
    return peerRouting != null;
  }

  /** Asynchronous {@link #dial(Multiaddr)}. */
  public CompletableFuture<Connection> dialAsync(Multiaddr address) {
    return dialAsync(address, limits.handshakeTimeout());
  }

  private CompletableFuture<Connection> dialAsync(Multiaddr address, Duration connectTimeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    PeerId expected = address.peerId();
    if (expected != null && expected.equals(peerId())) {
      result.completeExceptionally(new IllegalArgumentException("cannot dial self"));
      return result;
    }
    boolean circuit = address.first(Protocol.P2P_CIRCUIT) != null;
    if (expected != null) {
      // A relayed connection does not answer a dial of a direct address: that one is wanted.
      Connection existing = connections.find(expected);
      if (existing != null && (circuit || !existing.isRelayed())) {
        result.complete(existing);
        return result;
      }
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    if (circuit) {
      CircuitDialer d = circuitDialer;
      if (d == null) {
        result.completeExceptionally(
            new NetworkException("cannot dial " + address + ": no relay client on this host"));
        return result;
      }
      try {
        executor.execute(
            () -> {
              try {
                result.complete(d.dial(address));
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        result.completeExceptionally(new IllegalStateException("host stopped"));
      }
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    InetSocketAddress local =
        reusePort && !target.getAddress().isLoopbackAddress() ? reuseAddress(target) : null;
    CompletableFuture<Connection> first =
        dialTcp(
            address, expected, target, local, connectTimeout, Direction.OUTBOUND, Purpose.ORDINARY);
    first.whenComplete(
        (c, e) -> {
          if (e == null) {
            result.complete(c);
          } else if (e instanceof PortReuse.LocalFailure) {
            // E.g. the same four-tuple is still in use by a connection being closed: dial from an
            // ephemeral port instead.
            LOG.debug(
                "dial to {} from port {} failed ({}); dialling from another",
                address,
                local.getPort(),
                e.toString());
            dialTcp(
                    address,
                    expected,
                    target,
                    null,
                    connectTimeout,
                    Direction.OUTBOUND,
                    Purpose.ORDINARY)
                .whenComplete(
                    (c2, e2) -> {
                      if (e2 == null) {
                        result.complete(c2);
                      } else {
                        result.completeExceptionally(e2);
                      }
                    });
          } else {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /**
   * Dials {@code address} from this host's listen port for a hole punch (DCUtR): both peers dial
   * each other at once, and their routers' mappings let the SYNs meet (a TCP simultaneous open, or
   * one SYN reaching the other's listener). Neither side can tell who "dialled", so the roles of
   * the connection upgrade are given: {@code client} runs the Noise handshake and
   * multistream-select as initiator and takes Yamux's client stream IDs. No existing connection is
   * reused; the new one is {@linkplain Connection#isHolePunched() marked hole-punched}.
   *
   * @param address {@code /ip4|ip6/…/tcp/…/p2p/PEER}
   */
  public CompletableFuture<Connection> dialHolePunch(
      Multiaddr address, boolean client, Duration timeout) {
    CompletableFuture<Connection> result = expectHolePunch(address, client, timeout);
    if (result.isDone()) {
      return result;
    }
    InetSocketAddress target = tcpTarget(address);
    InetSocketAddress local = reuseAddress(target);
    dialTcp(
            address,
            address.peerId(),
            target,
            local,
            timeout,
            client ? Direction.OUTBOUND : Direction.INBOUND,
            Purpose.HOLE_PUNCH)
        .whenComplete(
            (c, e) -> {
              if (e == null) {
                completeOrClose(result, c); // the other way in may have been quicker
              } else {
                // Not yet a failure: the other side's SYN may still come in at the listener.
                LOG.debug("hole punch dial to {} failed: {}", address, e.toString());
                if (e instanceof PortReuse.LocalFailure) {
                  // The address pair is taken: the other side's SYN came in at the listener,
                  // and that connection is the punched one.
                  adoptAccepted(target, address.peerId(), result);
                }
              }
            });
    return result;
  }

  /**
   * Registers a hole punch before it is dialled: from now until {@code timeout}, a connection
   * coming in at the listener from {@code address} (the other side dialling from its listen port)
   * is upgraded with the punch's roles and completes the returned future. DCUtR calls it as soon as
   * it knows the other side's addresses, so that a SYN quicker than expected is not taken for an
   * ordinary inbound connection; {@link #dialHolePunch} then dials and returns the same future.
   */
  public CompletableFuture<Connection> expectHolePunch(
      Multiaddr address, boolean client, Duration timeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    PeerId expected = address.peerId();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    if (expected == null || expected.equals(peerId())) {
      result.completeExceptionally(
          new IllegalArgumentException("a hole punch needs another peer's ID: " + address));
      return result;
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    if (!PortReuse.supported() || reuseAddress(target) == null) {
      result.completeExceptionally(
          new NetworkException("no listen port to punch from towards " + address));
      return result;
    }
    Punch existing = punches.get(target);
    if (existing != null
        && existing.peer().equals(expected)
        && existing.client() == client
        && (!existing.result().isDone() || punched(existing.result()))) {
      // The same punch: its SYN may have come in at the listener already (then the connection
      // is, or soon will be, the result), so a second dial would only find the pair taken.
      return existing.result();
    }
    Punch punch = new Punch(expected, client, result);
    punches.put(target, punch);
    // A punch that succeeded stays registered until its time is up, so that dialHolePunch called
    // after the other side's SYN made the connection returns that connection.
    result.whenComplete(
        (c, e) -> {
          if (e != null) {
            punches.remove(target, punch);
          }
        });
    group
        .next()
        .schedule(
            () -> {
              result.completeExceptionally(
                  new NetworkException("hole punch to " + address + " timed out"));
              punches.remove(target, punch);
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    return result;
  }

  /**
   * Completes a punch's future with {@code c}, or closes {@code c} if the future already holds
   * another connection (or failed): one punched connection is enough. The same connection may come
   * twice: {@link #adoptAccepted} can find a connection the listener accepted before its upgrade
   * completes the punch.
   */
  private static void completeOrClose(CompletableFuture<Connection> punch, Connection c) {
    if (!punch.complete(c) && (punch.isCompletedExceptionally() || punch.join() != c)) {
      c.close();
    }
  }

  /** Whether a punch's future holds a connection that is still open. */
  private static boolean punched(CompletableFuture<Connection> result) {
    Connection c = result.isCompletedExceptionally() ? null : result.getNow(null);
    return c != null && c.isOpen();
  }

  /**
   * Completes {@code result} with the connection from {@code remote} (an address and port) to
   * {@code peer} that the listener accepted, once its upgrade is done (polled until {@code result}
   * completes, e.g. by its timeout).
   */
  private void adoptAccepted(
      InetSocketAddress remote, PeerId peer, CompletableFuture<Connection> result) {
    Multiaddr from = Multiaddr.fromSocketAddress(remote);
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (result.isDone() || !running) {
              return;
            }
            for (Connection c : connections.connections(peer)) {
              if (c.isOpen() && !c.isRelayed() && from.equals(c.remoteAddress())) {
                if (!c.isHolePunched()) {
                  c.markHolePunched();
                }
                result.complete(c);
                return;
              }
            }
            group.next().schedule(this, 20, TimeUnit.MILLISECONDS);
          }
        };
    check.run();
  }

  /**
   * Opens a new connection to {@code address} for a probe, such as an AutoNAT dial back: from an
   * ephemeral port ("Servers SHOULD NOT reuse their listening port when making a dial back", so it
   * punches no hole), never an existing connection, and invisible to the rest of the host: not
   * announced to connection listeners (no protocol starts on it), not identified, not returned by
   * {@link ConnectionManager#find}. The caller closes it. The gater is asked as for any dial.
   *
   * @param address {@code /ip4|ip6/…/tcp/…}, with or without {@code /p2p/}
   */
  public CompletableFuture<Connection> dialProbe(Multiaddr address, Duration timeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    PeerId expected = address.peerId();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    return dialTcp(address, expected, target, null, timeout, Direction.OUTBOUND, Purpose.PROBE);
  }

  private static InetSocketAddress tcpTarget(Multiaddr address) {
    InetSocketAddress target = address.toTcpSocketAddress();
    if (target.isUnresolved()) {
      target = new InetSocketAddress(target.getHostString(), target.getPort());
    }
    if (target.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve " + target.getHostString());
    }
    return target;
  }

  /**
   * The local address to dial {@code target} from so that the connection leaves from a listen port:
   * the listen address of the same IP family, or {@code null} if there is none (or it cannot reach
   * the target: a listener on loopback for another machine).
   */
  private InetSocketAddress reuseAddress(InetSocketAddress target) {
    boolean v6 = target.getAddress() instanceof java.net.Inet6Address;
    for (Multiaddr a : boundAddresses) {
      InetSocketAddress sa = a.toTcpSocketAddress();
      if ((sa.getAddress() instanceof java.net.Inet6Address) != v6) {
        continue;
      }
      if (sa.getAddress().isAnyLocalAddress()
          || sa.getAddress().isLoopbackAddress() == target.getAddress().isLoopbackAddress()) {
        return sa;
      }
    }
    return null;
  }

  private CompletableFuture<Connection> dialTcp(
      Multiaddr address,
      PeerId expected,
      InetSocketAddress target,
      InetSocketAddress local,
      Duration connectTimeout,
      Direction role,
      Purpose purpose) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE)))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
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

  private void initInbound(SocketChannel ch) {
    Multiaddr remote = Multiaddr.fromSocketAddress(ch.remoteAddress());
    if (!running || !gater.allowAccept(remote)) {
      LOG.debug("refusing connection from {}", remote);
      ch.close();
      return;
    }
    java.net.InetAddress ip = ch.remoteAddress().getAddress();
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
    ch.pipeline().addLast("traffic", new TrafficHandler(traffic, uploadLimiter));
    // The punch stays registered (dialHolePunch may still be called for it); a punch already
    // done does not take a later connection from the same address.
    Punch punch = punches.get(ch.remoteAddress());
    if (punch != null && !punch.result().isDone()) {
      // The other side of a hole punch, dialling from its listen port: the roles of the upgrade
      // are those of the hole punch, not of who accepted (see dialHolePunch).
      result.whenComplete(
          (c, e) -> {
            if (e == null) {
              completeOrClose(punch.result(), c);
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

  // ------------------------------------------------------------------ relayed connections

  /**
   * Installs the dialer of {@code /p2p-circuit} addresses ({@code null} removes it): from then on
   * {@link #dial} hands such addresses to it.
   */
  public void setCircuitDialer(CircuitDialer dialer) {
    this.circuitDialer = dialer;
  }

  /**
   * Runs the connection upgrade (Noise, then Yamux) over a stream that a relay joins to another
   * peer, and registers the resulting connection like a TCP one (gater, limits, listeners,
   * identify). The stream is the relayed connection from then on; closing either closes the other.
   * Its bytes are not paced by this host's upload limiter a second time (the stream's own
   * connection already is).
   *
   * @param direction {@code OUTBOUND} on the peer that dialled (Noise initiator), {@code INBOUND}
   *     on the target
   * @param expected the peer that must authenticate at the other end ({@code null}: any)
   * @param remoteAddress the circuit address of the remote, e.g. {@code
   *     /ip4/…/tcp/…/p2p/RELAY/p2p-circuit}
   */
  public CompletableFuture<Connection> upgradeRelayed(
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
    pendingBridges.put(near, new StreamBridge(stream, executor));
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
    if (!running) {
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

  /** Completes the upgrade of one channel: gating, limits, Yamux, identify. */
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
          new Connection(Host.this, ch, remotePeer, key, direction, remoteAddr, localAddr, early);
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
              s -> executor.execute(() -> serveInbound(conn, s)),
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
                  fire(l -> l.disconnected(conn));
                }
              });
      result.complete(conn);
      fire(l -> l.connected(conn));
      executor.execute(() -> identify(conn));
    }

    @Override
    public void onFailed(Channel ch, Throwable cause) {
      result.completeExceptionally(cause);
    }
  }

  private interface ListenerCall {
    void call(ConnectionListener l);
  }

  private void fire(ListenerCall call) {
    if (listeners.isEmpty() || !running) {
      return;
    }
    try {
      executor.execute(
          () -> {
            for (ConnectionListener l : listeners) {
              try {
                call.call(l);
              } catch (RuntimeException e) {
                LOG.warn("connection listener failed", e);
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  private void closeIdle() {
    long limit = limits.idleTimeout().toNanos();
    long now = System.nanoTime();
    for (Connection c : connections.connections()) {
      if (c.streamCount() == 0 && now - c.session().lastActivityNanos() > limit) {
        LOG.debug("closing idle connection to {}", c.remotePeer());
        c.close();
      }
    }
  }

  // ------------------------------------------------------------------ streams

  /** Opens a stream to {@code peer} (connecting if needed) and negotiates a protocol. */
  public Stream newStream(PeerId peer, String... protocols) throws IOException {
    return openStream(connect(peer), List.of(protocols));
  }

  /** Opens a stream on {@code connection} and negotiates the first supported protocol. */
  public Stream newStream(Connection connection, String... protocols) throws IOException {
    return openStream(connection, List.of(protocols));
  }

  Stream openStream(Connection conn, List<String> protocols) throws IOException {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol given");
    }
    YamuxStream s = conn.session().openStream();
    try {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      String agreed = MultistreamSelect.select(s.inputStream(), s.outputStream(), protocols);
      s.setReadTimeout(0);
      return new Stream(s, conn, agreed);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
  }

  private void serveInbound(Connection conn, YamuxStream s) {
    PeerId remote = conn.remotePeer();
    int limit = resourceLimits.maxInboundStreams(remote);
    boolean[] admitted = new boolean[1];
    inboundStreams.compute(
        remote,
        (p, open) -> {
          int n = open == null ? 0 : open.get();
          if (n >= limit) {
            return open;
          }
          admitted[0] = true;
          var now = open == null ? new java.util.concurrent.atomic.AtomicInteger() : open;
          now.incrementAndGet();
          return now;
        });
    if (!admitted[0]) {
      // Recorded before the peer can see the reset (and, in a test, look for the record).
      resourceLimits.streamRefused(remote, limit);
      s.reset();
      return;
    }
    try {
      serveInboundStream(conn, s);
    } finally {
      // Forget a peer with no stream open: fresh identities must not grow the map.
      inboundStreams.computeIfPresent(
          remote, (p, open) -> open.decrementAndGet() <= 0 ? null : open);
    }
  }

  private void serveInboundStream(Connection conn, YamuxStream s) {
    String protocol = null;
    try {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      protocol =
          MultistreamSelect.respond(s.inputStream(), s.outputStream(), handlers::containsKey);
      s.setReadTimeout(0);
      StreamHandler h = handlers.get(protocol);
      if (h == null) {
        s.reset();
        return;
      }
      h.handle(new Stream(s, conn, protocol));
    } catch (ProtocolViolationException e) {
      LOG.debug(
          "stream {} from {} ({}) violated protocol: {}",
          s.id(),
          conn.remotePeer(),
          protocol,
          e.getMessage());
      s.reset();
    } catch (IOException e) {
      LOG.debug(
          "stream {} from {} ({}) failed: {}", s.id(), conn.remotePeer(), protocol, e.toString());
      s.reset();
    } catch (RuntimeException e) {
      LOG.warn("handler for {} failed on stream from {}", protocol, conn.remotePeer(), e);
      s.reset();
    }
  }

  // ------------------------------------------------------------------ ping

  /** Runs {@code /ipfs/ping/1.0.0} once and returns the round-trip time. */
  public Duration ping(Connection conn) throws IOException {
    try (Stream s = conn.newStream(PING)) {
      return ping(s);
    }
  }

  /** One ping round trip over an open ping stream (may be repeated on the same stream). */
  public Duration ping(Stream s) throws IOException {
    byte[] payload = new byte[PING_SIZE];
    random.nextBytes(payload);
    s.setReadTimeout(limits.handshakeTimeout().toMillis());
    long start = System.nanoTime();
    s.outputStream().write(payload);
    byte[] echo = s.inputStream().readNBytes(PING_SIZE);
    long rtt = System.nanoTime() - start;
    if (!Arrays.equals(payload, echo)) {
      throw new ProtocolViolationException("ping reply from " + s.remotePeer() + " does not match");
    }
    return Duration.ofNanos(rtt);
  }

  private static void servePing(Stream s) throws IOException {
    InputStream in = s.inputStream();
    OutputStream out = s.outputStream();
    byte[] buf = new byte[PING_SIZE];
    while (true) {
      int n = in.readNBytes(buf, 0, PING_SIZE);
      if (n < PING_SIZE) {
        break;
      }
      out.write(buf);
    }
    s.close();
  }

  // ------------------------------------------------------------------ identify

  private IdentifyMessage localIdentify(Connection conn, boolean push) {
    List<Multiaddr> external = new ArrayList<>(externalAddresses);
    external.addAll(relayedAddresses);
    List<Multiaddr> addrs = new ArrayList<>(expandedListenAddresses());
    addrs.removeAll(external);
    if (addrs.size() > 32 - external.size()) {
      addrs = new ArrayList<>(addrs.subList(0, 32 - external.size()));
    }
    addrs.addAll(external);
    // Built-in protocols first, so that trimming (below) drops application protocols.
    List<String> protocols = new ArrayList<>(List.of(IDENTIFY, IDENTIFY_PUSH, PING));
    protocols.retainAll(handlers.keySet());
    for (String p : protocols()) {
      if (!protocols.contains(p)) {
        protocols.add(p);
      }
    }
    int all = protocols.size();
    while (true) {
      IdentifyMessage m =
          new IdentifyMessage(
              PROTOCOL_VERSION,
              agentVersion,
              identity.publicKey().toProtobuf(),
              addrs,
              push ? null : conn.remoteAddress(),
              protocols);
      if (m.encode().length <= IdentifyMessage.MAX_SIZE || protocols.isEmpty()) {
        if (protocols.size() < all) {
          // Peers reject identify messages over 8 KiB: advertise fewer protocols rather than none.
          LOG.warn(
              "identify message would exceed {} bytes; advertising {} of {} protocols",
              IdentifyMessage.MAX_SIZE,
              protocols.size(),
              all);
        }
        return m;
      }
      protocols.remove(protocols.size() - 1);
    }
  }

  private void serveIdentify(Stream s) throws IOException {
    LengthPrefixed.write(s.outputStream(), localIdentify(s.connection(), false).encode());
    s.close();
  }

  private void receiveIdentifyPush(Stream s) throws IOException {
    s.setReadTimeout(limits.handshakeTimeout().toMillis());
    byte[] m = LengthPrefixed.read(s.inputStream(), IdentifyMessage.MAX_SIZE);
    s.close();
    if (m != null) {
      apply(s.connection(), IdentifyMessage.decode(m), true);
    }
  }

  private void identify(Connection conn) {
    try (Stream s = conn.newStream(IDENTIFY)) {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      byte[] m = LengthPrefixed.read(s.inputStream(), IdentifyMessage.MAX_SIZE);
      if (m == null) {
        throw new NetworkException("identify stream closed without a message");
      }
      IdentifyMessage msg = IdentifyMessage.decode(m);
      apply(conn, msg, false);
      conn.identifiedFuture().complete(msg);
    } catch (IOException | RuntimeException e) {
      LOG.debug("identify of {} failed: {}", conn.remotePeer(), e.toString());
      conn.identifiedFuture().completeExceptionally(e);
    }
  }

  private void apply(Connection conn, IdentifyMessage msg, boolean push)
      throws ProtocolViolationException {
    PeerId peer = conn.remotePeer();
    if (msg.publicKey() != null) {
      LibP2pPublicKey key = LibP2pPublicKey.fromProtobuf(msg.publicKey());
      if (!peer.matches(key)) {
        throw new ProtocolViolationException(
            "identify from " + peer + " carries another peer's key");
      }
    }
    if (!msg.protocols().isEmpty() || !push) {
      peerStore.setProtocols(peer, msg.protocols());
    }
    if (!msg.listenAddrs().isEmpty()) {
      peerStore.addAddresses(peer, msg.listenAddrs());
    }
    peerStore.setAgent(peer, msg.agentVersion(), msg.protocolVersion());
    if (!push && msg.observedAddr() != null && !conn.isRelayed() && fromListenPort(conn)) {
      observed.record(peer, msg.observedAddr());
    }
    fire(l -> l.identified(conn, msg, push));
  }

  private void pushIdentify() {
    if (!running) {
      return;
    }
    for (Connection c : connections.connections()) {
      executor.execute(
          () -> {
            try (Stream s = c.newStream(IDENTIFY_PUSH)) {
              LengthPrefixed.write(s.outputStream(), localIdentify(c, true).encode());
              s.closeWrite();
            } catch (IOException | RuntimeException e) {
              LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
            }
          });
    }
  }

  private static IOException asIOException(Throwable t, String message) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof IllegalArgumentException iae) {
      throw iae;
    }
    return new NetworkException(message + ": " + t, t);
  }
}
