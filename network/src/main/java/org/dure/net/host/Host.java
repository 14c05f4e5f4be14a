package org.dure.net.host;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.identify.IdentifyService;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.ping.PingCodec;
import org.dure.net.ping.PingHandler;
import org.dure.net.yamux.YamuxConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p node: TCP + Noise + Yamux, serving identify, identify push and ping, plus the protocol
 * handlers the application registers. Build with {@link #builder()}, then {@link #start()}.
 *
 * <p>The host wires its parts and is the API in front of them: {@link TcpListener} (listening and
 * admission), {@link Dialer} (addresses, peers, hole punches, probes), {@link Upgrader} (the
 * connection upgrade of every channel, relayed ones too), {@link ConnectionManager}, {@link
 * StreamRouter} (protocol handlers and stream negotiation), {@link LocalAddresses} and {@link
 * HostIdentify}, {@link LivenessChecks} (a connection checked at once when the network may have
 * changed under it); the built-in protocols are {@link IdentifyService} and {@link PingHandler}.
 *
 * <p>Threads: Netty event loops run I/O, codecs and the Yamux session and never block. Stream
 * handlers, protocol negotiation of inbound streams, identify and connection listeners run on
 * virtual threads. Caller threads block in {@link #dial}, {@link #newStream} and stream I/O.
 */
public final class Host implements AutoCloseable {
  public static final String IDENTIFY = IdentifyService.PROTOCOL_ID;
  public static final String IDENTIFY_PUSH = IdentifyService.PUSH_PROTOCOL_ID;
  public static final String PING = PingHandler.PROTOCOL_ID;
  public static final String PROTOCOL_VERSION = IdentifyService.PROTOCOL_VERSION;
  public static final String DEFAULT_AGENT = "dure/0.1.0";
  public static final int PING_SIZE = PingCodec.SIZE;

  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final Identity identity;
  private final List<Multiaddr> listen;
  private final ConnectionLimits limits;
  private final UploadLimiter uploadLimiter;
  private final TrafficMeter traffic = new TrafficMeter();
  private final ObservedAddresses observed = new ObservedAddresses();
  private final String agentVersion;
  private final Path peerStoreFile;
  private final int ioThreads;
  private final PeerStore peerStore;
  private final ConnectionManager connections;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final HostThreads threads = new HostThreads();
  private final LocalAddresses addresses;
  private final StreamRouter router;
  private final Upgrader upgrader;
  private final TcpListener listener;
  private final Dialer dialer;
  private final HostIdentify identify;
  private final LivenessChecks liveness;
  private ScheduledFuture<?> idleCheck;

  private Host(Builder b) throws IOException {
    this.identity = new Identity(b.keyPair);
    this.listen = List.copyOf(b.listen);
    this.limits = b.limits;
    this.uploadLimiter = b.uploadLimiter;
    this.agentVersion = b.agentVersion;
    this.peerStoreFile = b.peerStoreFile;
    this.ioThreads = b.ioThreads;
    this.peerStore = b.peerStoreFile == null ? new PeerStore() : PeerStore.load(b.peerStoreFile);
    this.connections = new ConnectionManager(limits);
    this.liveness = new LivenessChecks(connections, System::nanoTime);
    boolean reusePort = b.reusePort && PortReuse.supported();
    this.addresses = new LocalAddresses(identity.peerId());
    this.router = new StreamRouter(limits, b.resourceLimits);
    this.identify =
        new HostIdentify(
            new IdentifyService(new LocalPeer()),
            limits,
            connections,
            peerStore,
            observed,
            addresses,
            threads,
            this::fire);
    this.upgrader =
        new Upgrader(
            identity,
            b.earlyMuxer,
            b.yamux.withMaxStreams(b.limits.maxStreamsPerConnection()),
            limits,
            b.gater,
            connections,
            peerStore,
            traffic,
            uploadLimiter,
            threads,
            router,
            new Upgrader.Events() {
              @Override
              public void connected(Connection c) {
                fire(l -> l.connected(c));
                threads.executor.execute(() -> identify.identify(c));
                liveness.connected(c);
              }

              @Override
              public void disconnected(Connection c) {
                fire(l -> l.disconnected(c));
                if (threads.running) {
                  liveness.disconnected(c);
                }
              }
            });
    HolePunches punches = new HolePunches();
    this.listener =
        new TcpListener(limits, b.gater, punches, upgrader, addresses, threads, reusePort);
    this.dialer =
        new Dialer(
            identity.peerId(),
            limits,
            b.gater,
            connections,
            peerStore,
            addresses,
            punches,
            upgrader,
            threads,
            reusePort);
    router.set(IDENTIFY, identify::serve);
    router.set(IDENTIFY_PUSH, identify::receivePush);
    router.set(PING, Host::servePing);
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
    if (threads.running) {
      throw new IllegalStateException("already started");
    }
    threads.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    threads.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dure-net-", 0).factory());
    threads.running = true;
    try {
      for (Multiaddr addr : listen) {
        listener.bind(addr);
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
          threads
              .group
              .next()
              .scheduleAtFixedRate(
                  () -> connections.closeIdle(System.nanoTime()),
                  period,
                  period,
                  TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Closes every connection and listener and saves the peer store (if a file was given). */
  public synchronized void stop() {
    if (threads.group == null) {
      return;
    }
    threads.running = false;
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    listener.close();
    for (Connection c : connections.connections()) {
      c.close();
    }
    for (Connection c : connections.connections()) {
      c.channel().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    upgrader.close();
    threads
        .group
        .shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    threads.executor.shutdownNow();
    threads.group = null;
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
   * The addresses actually bound, as given to the builder but with the port chosen for a {@code
   * tcp/0} (no interface expansion, no {@code /p2p/}): listening on them again keeps this node's
   * addresses stable, e.g. across going offline and online.
   */
  public List<Multiaddr> boundAddresses() {
    return addresses.bound();
  }

  /**
   * The bound listen addresses, each ending in {@code /p2p/<peer id>}. A wildcard bind ({@code
   * 0.0.0.0}, {@code ::}) is expanded to the addresses of the up network interfaces.
   */
  public List<Multiaddr> listenAddresses() {
    return addresses.listen();
  }

  /**
   * Sets the addresses at which others can reach this node without it listening there itself, such
   * as a port forwarded on the home router ({@code /ip4/203.0.113.7/tcp/4001}); they are announced
   * in identify and put in invites after the listen addresses. At most 8 are kept.
   *
   * @throws IllegalArgumentException for an address that is not {@code /ip4|ip6/.../tcp/...}
   */
  public void setExternalAddresses(List<Multiaddr> addresses) {
    this.addresses.setExternal(addresses);
  }

  /** The addresses set by {@link #setExternalAddresses}, without {@code /p2p/}. */
  public List<Multiaddr> externalAddresses() {
    return addresses.external();
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
    if (this.addresses.setRelayed(addresses)) {
      identify.pushAll();
    }
  }

  /** The addresses set by {@link #setRelayedAddresses}, ending in {@code /p2p-circuit}. */
  public List<Multiaddr> relayedAddresses() {
    return addresses.relayed();
  }

  /**
   * Where others can reach this node: {@link #listenAddresses()}, then the {@link
   * #externalAddresses()} not among them, then the {@link #relayedAddresses()}, each ending in
   * {@code /p2p/<peer id>}.
   */
  public List<Multiaddr> advertisedAddresses() {
    return addresses.advertised();
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
    return router.protocols();
  }

  public void addConnectionListener(ConnectionListener l) {
    listeners.add(l);
  }

  public void removeConnectionListener(ConnectionListener l) {
    listeners.remove(l);
  }

  /** One call of a connection listener. */
  interface ListenerCall {
    void call(ConnectionListener l);
  }

  /** Calls every connection listener on a handler thread (none once the host is stopping). */
  private void fire(ListenerCall call) {
    if (listeners.isEmpty() || !threads.running) {
      return;
    }
    threads.execute(
        () -> {
          for (ConnectionListener l : listeners) {
            try {
              call.call(l);
            } catch (RuntimeException e) {
              LOG.warn("connection listener failed", e);
            }
          }
        });
  }

  /** What identify says about this node: its addresses and protocols, the built-in ones first. */
  private final class LocalPeer implements IdentifyService.LocalPeer {
    @Override
    public LibP2pPublicKey publicKey() {
      return identity.publicKey();
    }

    @Override
    public String agentVersion() {
      return agentVersion;
    }

    @Override
    public List<Multiaddr> listenAddresses() {
      return addresses.expanded();
    }

    @Override
    public List<Multiaddr> announcedAddresses() {
      return addresses.announced();
    }

    @Override
    public List<String> protocols() {
      // Built-in protocols first, so that trimming drops application protocols.
      List<String> out = new ArrayList<>(List.of(IDENTIFY, IDENTIFY_PUSH, PING));
      out.removeIf(p -> !router.has(p));
      for (String p : router.protocols()) {
        if (!out.contains(p)) {
          out.add(p);
        }
      }
      return out;
    }
  }

  // ------------------------------------------------------------------ handlers

  /** Registers (or replaces) the handler of {@code protocol} and pushes identify to peers. */
  public void setHandler(String protocol, StreamHandler handler) {
    if (router.set(protocol, handler)) {
      identify.pushAll();
    }
  }

  /** Removes the handler of {@code protocol} and pushes identify to peers. */
  public void removeHandler(String protocol) {
    if (router.remove(protocol)) {
      identify.pushAll();
    }
  }

  // ------------------------------------------------------------------ dialling

  /**
   * Dials a multiaddr such as {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW…}, or returns an open
   * connection to that peer. If the address names a peer, the remote must authenticate as it.
   *
   * @throws org.dure.net.PeerIdMismatchException if the remote is another peer
   * @throws org.dure.net.NetworkException if gated, refused or the handshake fails
   */
  public Connection dial(Multiaddr address) throws IOException {
    return dialer.await(dialAsync(address), address);
  }

  /**
   * {@link #dial(Multiaddr)}, giving up on the TCP connect after {@code connectTimeout} without an
   * answer.
   */
  public Connection dial(Multiaddr address, Duration connectTimeout) throws IOException {
    return dialer.await(dialer.dialAsync(address, connectTimeout), address);
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
    return dialer.connect(peer, connectTimeout);
  }

  /**
   * Sets where {@link #connect(PeerId)} looks for a peer none of whose known addresses works
   * ({@code null}: nowhere).
   */
  public void setPeerRouting(PeerRouting routing) {
    dialer.setPeerRouting(routing);
  }

  /** Whether a {@linkplain #setPeerRouting peer routing} is set. */
  public boolean hasPeerRouting() {
    return dialer.hasPeerRouting();
  }

  /** Asynchronous {@link #dial(Multiaddr)}. */
  public CompletableFuture<Connection> dialAsync(Multiaddr address) {
    return dialer.dialAsync(address, limits.handshakeTimeout());
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
   * @param onWire if not {@code null}, completed once the SYN has left (the connect issued)
   */
  public CompletableFuture<Connection> dialHolePunch(
      Multiaddr address, boolean client, Duration timeout, CompletableFuture<Void> onWire) {
    return dialer.dialHolePunch(address, client, timeout, onWire);
  }

  /**
   * Whether this host's router may still track an unanswered SYN of this host from its listen port
   * to {@code address}: a dial of it from there is under way or got no answer within about 2
   * minutes. Such a router lets the other side's punch SYN in before this host's own has left; the
   * listener answers it, the router drops that answer (not the sequence number it tracks) and the
   * address pair stays taken for a minute. A punch towards it must put its SYN on the wire first.
   */
  public boolean mayHoldStaleMapping(Multiaddr address) {
    return dialer.mayHoldStaleMapping(address);
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
    return dialer.expectHolePunch(address, client, timeout);
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
    return dialer.dialProbe(address, timeout);
  }

  // ------------------------------------------------------------------ relayed connections

  /**
   * Installs the dialer of {@code /p2p-circuit} addresses ({@code null} removes it): from then on
   * {@link #dial} hands such addresses to it.
   */
  public void setCircuitDialer(CircuitDialer dialer) {
    this.dialer.setCircuitDialer(dialer);
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
    return upgrader.upgradeRelayed(stream, direction, expected, remoteAddress);
  }

  // ------------------------------------------------------------------ streams

  /** Opens a stream to {@code peer} (connecting if needed) and negotiates a protocol. */
  public Stream newStream(PeerId peer, String... protocols) throws IOException {
    return router.open(connect(peer), List.of(protocols));
  }

  /** Opens a stream on {@code connection} and negotiates the first supported protocol. */
  public Stream newStream(Connection connection, String... protocols) throws IOException {
    return router.open(connection, List.of(protocols));
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
    byte[] payload = PingCodec.newPayload(random);
    s.setReadTimeout(limits.handshakeTimeout().toMillis());
    return PingHandler.roundTrip(s.inputStream(), s.outputStream(), payload, s.remotePeer());
  }

  private static void servePing(Stream s) throws IOException {
    PingHandler.serve(s.inputStream(), s.outputStream());
    s.close();
  }
}
