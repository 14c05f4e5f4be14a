package org.dure.net.kad;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.host.PeerRouting;
import org.dure.net.host.Stream;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT on a {@link Host}: the I/O shell around {@link RoutingTable}, {@link
 * ProviderStore}, {@link KadLookup} and {@link KadEngine}.
 *
 * <p>Client mode (the default) sends requests but serves none and does not advertise {@value
 * #PROTOCOL} in identify, so no one puts this node in a routing table. {@link #setServerMode} turns
 * serving on (FIND_NODE, GET_PROVIDERS, ADD_PROVIDER, PING; see {@link KadEngine}). Only peers that
 * advertise {@value #PROTOCOL} in identify enter the routing table.
 *
 * <p>A node in client mode is found by its peer ID through a provider record under {@link
 * KadKeys#peerKey}: {@link #publishSelf()} adds it, {@link #findPeer} looks it up (after a
 * FIND_NODE, which finds servers). Provider records this node added ({@link #provide}) are re-added
 * every {@link KadConfig#republishInterval()} and at once when its addresses change (checked every
 * {@link #ADDRESS_CHECK_SECONDS} s); one that no server took is tried again every {@link
 * #RETRY_SECONDS} s. While the routing table is empty the bootstrap peers are dialled again every
 * {@link #EMPTY_TABLE_RETRY_SECONDS} s.
 *
 * <p>Threads: lookups run on the caller's thread, their requests on virtual threads; inbound
 * requests on the host's handler threads; a timer refreshes the table and republishes. Blocking
 * methods must not be called on a Netty event loop.
 */
public final class KadDht implements AutoCloseable {
  /** The protocol ID of the IPFS Amino DHT. */
  public static final String PROTOCOL = "/ipfs/kad/1.0.0";

  /**
   * How often the addresses this node publishes are compared with the host's: a relay reservation
   * just made should be findable within seconds (a friend who looks this node up before finds
   * nothing, and does not look again for {@link #MISS_TTL}).
   */
  public static final int ADDRESS_CHECK_SECONDS = 5;

  /** How often a record that no server took is tried again. */
  public static final int RETRY_SECONDS = 15;

  /** How often the bootstrap peers are dialled again while the routing table is empty. */
  public static final int EMPTY_TABLE_RETRY_SECONDS = 60;

  /** How long an inbound stream may stay idle between requests. */
  static final int SERVE_IDLE_MILLIS = 60_000;

  /** How long {@link #peerRouting()} remembers that a peer was not found. */
  public static final java.time.Duration MISS_TTL = java.time.Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

  /**
   * What the network page shows.
   *
   * @param serverMode whether this node serves the DHT
   * @param routingTableSize DHT servers in the routing table
   * @param bootstrapPeers configured bootstrap peers
   * @param bootstrapConnected of those, connected now
   * @param providedKeys provider records this node keeps published
   * @param storedRecords provider records held for others (server mode)
   */
  public record Status(
      boolean serverMode,
      int routingTableSize,
      int bootstrapPeers,
      int bootstrapConnected,
      int providedKeys,
      int storedRecords) {}

  /** What a lookup cost: requests sent and rounds of α queries (depth) needed. */
  public record LookupStats(int messages, int depth, boolean found) {}

  private final Host host;
  private final KadConfig config;
  private final Clock clock;
  private final RoutingTable table;
  private final ProviderStore store;
  private final KadEngine engine;
  private final KadRpc rpc;
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer;
  private final List<Multiaddr> bootstrap = new CopyOnWriteArrayList<>();
  private final Map<ByteBuffer, Long> provided = new ConcurrentHashMap<>();
  private final Map<PeerId, Long> misses = new ConcurrentHashMap<>();
  private final AtomicBoolean republishing = new AtomicBoolean();
  private volatile long lastRetryMillis;
  private final AtomicLong requestsSent = new AtomicLong();
  private final ConnectionListener listener =
      new ConnectionListener() {
        @Override
        public void identified(Connection c, IdentifyMessage msg, boolean push) {
          onIdentified(c, msg, push);
        }
      };
  private volatile Set<Multiaddr> publishedAddresses = Set.of();
  private volatile boolean serverMode;
  private volatile boolean running;
  private volatile LookupStats lastLookup = new LookupStats(0, 0, false);

  public KadDht(Host host, KadConfig config) {
    this(host, config, Clock.systemUTC());
  }

  /** With a clock for the provider records' times (tests). */
  public KadDht(Host host, KadConfig config, Clock clock) {
    this.host = host;
    this.config = config;
    this.clock = clock;
    this.table = new RoutingTable(host.peerId(), config.k());
    this.store = new ProviderStore(config);
    this.engine = new KadEngine(host.peerId(), table, store, config);
    this.rpc = new KadRpc(host, config, table, io, requestsSent, () -> running);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-kad-" + host.peerId().toString().substring(0, 12));
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts following identify (to fill the routing table), refreshing and republishing. */
  public KadDht start() {
    running = true;
    host.addConnectionListener(listener);
    for (Connection c : host.connectionManager().connections()) {
      c.identified().thenAccept(msg -> onIdentified(c, msg, false));
    }
    long refresh = Math.max(1, config.refreshInterval().toSeconds());
    timer.scheduleWithFixedDelay(this::refreshQuietly, refresh, refresh, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(
        this::republishDue, ADDRESS_CHECK_SECONDS, ADDRESS_CHECK_SECONDS, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(
        this::bootstrapIfEmpty,
        EMPTY_TABLE_RETRY_SECONDS,
        EMPTY_TABLE_RETRY_SECONDS,
        TimeUnit.SECONDS);
    return this;
  }

  @Override
  public void close() {
    running = false;
    timer.shutdownNow();
    host.removeConnectionListener(listener);
    if (serverMode) {
      host.removeHandler(PROTOCOL);
    }
    io.shutdownNow();
  }

  // ------------------------------------------------------------------ mode and status

  /**
   * Serves the DHT (and advertises {@value #PROTOCOL}) or stops serving; connected peers learn it
   * through identify push.
   */
  public synchronized void setServerMode(boolean on) {
    if (on == serverMode) {
      return;
    }
    serverMode = on;
    if (on) {
      host.setHandler(PROTOCOL, this::serve);
    } else {
      host.removeHandler(PROTOCOL);
    }
    LOG.debug("DHT {} mode", on ? "server" : "client");
  }

  public boolean isServerMode() {
    return serverMode;
  }

  public Status status() {
    int connected = 0;
    for (Multiaddr a : bootstrap) {
      PeerId p = a.peerId();
      if (p != null && host.connectionManager().find(p) != null) {
        connected++;
      }
    }
    return new Status(
        serverMode, table.size(), bootstrap.size(), connected, provided.size(), store.size());
  }

  /** The host this DHT runs on. */
  public Host host() {
    return host;
  }

  public RoutingTable routingTable() {
    return table;
  }

  public ProviderStore providerStore() {
    return store;
  }

  /** Requests this node sent since it started. */
  public long requestsSent() {
    return requestsSent.get();
  }

  /** What the last lookup run by {@link #findPeer} cost. */
  public LookupStats lastLookup() {
    return lastLookup;
  }

  // ------------------------------------------------------------------ bootstrap

  /**
   * Sets the bootstrap peers ({@code …/p2p/PEER}; addresses without a peer ID are ignored), dialled
   * by {@link #bootstrap()} and again whenever the routing table is empty.
   */
  public void setBootstrapPeers(List<Multiaddr> peers) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : peers) {
      if (a.peerId() != null && !a.peerId().equals(host.peerId()) && !out.contains(a)) {
        out.add(a);
      }
    }
    bootstrap.clear();
    bootstrap.addAll(out);
  }

  public List<Multiaddr> bootstrapPeers() {
    return List.copyOf(bootstrap);
  }

  /**
   * Dials the bootstrap peers not connected (in parallel), waits for their identify, then looks up
   * this node's own ID to fill the routing table.
   *
   * @return the number of DHT servers in the routing table afterwards
   */
  public int bootstrap() {
    List<Future<?>> dials = new ArrayList<>();
    for (Multiaddr a : bootstrap) {
      if (host.connectionManager().find(a.peerId()) != null) {
        continue;
      }
      dials.add(
          io.submit(
              () -> {
                try {
                  Connection c = host.dial(a);
                  IdentifyMessage m =
                      c.identified().get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                  onIdentified(c, m, false);
                } catch (Exception e) {
                  LOG.debug("bootstrap peer {} not reached: {}", a, e.toString());
                }
              }));
    }
    for (Future<?> f : dials) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return table.size();
      } catch (Exception e) {
        // logged by the task
      }
    }
    refresh();
    return table.size();
  }

  /** Looks up this node's own ID: fills the buckets near it and learns of other servers. */
  public void refresh() {
    if (table.size() > 0) {
      KadLookup l = newLookup(KadId.of(host.peerId()), null, KadLookup.Goal.CLOSEST, 0);
      rpc.run(l, KadMessage.findNode(host.peerId().toBytes()));
    }
  }

  /**
   * A lookup or a publication with no DHT server known would ask nobody: dial the bootstrap peers
   * first (they may not have been reachable when this node started).
   */
  private void bootstrapIfNoServer() {
    if (running && table.size() == 0 && !bootstrap.isEmpty()) {
      bootstrap();
    }
  }

  /** Dials the bootstrap peers again while the routing table is empty (e.g. came online). */
  private void bootstrapIfEmpty() {
    try {
      if (running && table.size() == 0 && !bootstrap.isEmpty()) {
        bootstrap();
      }
    } catch (RuntimeException e) {
      LOG.warn("DHT bootstrap failed", e);
    }
  }

  private void refreshQuietly() {
    try {
      store.expire(clock.millis());
      if (table.size() == 0 && !bootstrap.isEmpty()) {
        bootstrap();
      } else {
        refresh();
      }
    } catch (RuntimeException e) {
      LOG.warn("DHT refresh failed", e);
    }
  }

  private void onIdentified(Connection c, IdentifyMessage msg, boolean push) {
    PeerId peer = c.remotePeer();
    if (msg.protocols().contains(PROTOCOL)) {
      AddressScope from = KadRpc.scopeOf(c);
      List<Multiaddr> addrs = new ArrayList<>();
      if (c.direction() == org.dure.net.host.Direction.OUTBOUND && !c.isRelayed()) {
        addrs.add(c.remoteAddress().withoutPeerId());
      }
      addrs.addAll(msg.listenAddrs());
      table.add(peer, AddressScope.filter(addrs, from, RoutingTable.MAX_ADDRESSES), clock.millis());
    } else if (!push || !msg.protocols().isEmpty()) {
      table.remove(peer);
    }
  }

  // ------------------------------------------------------------------ lookups

  /**
   * Finds where {@code peer} can be reached: a connection already open, else a FIND_NODE lookup
   * (finds DHT servers), else the provider record under {@link KadKeys#peerKey} (finds nodes in
   * client mode that {@linkplain #publishSelf() published} it).
   *
   * @return the peer with addresses filtered to those reachable from where they were learnt
   */
  public Optional<KadPeer> findPeer(PeerId peer) {
    Connection open = host.connectionManager().find(peer);
    if (open != null) {
      return Optional.of(new KadPeer(peer, List.of(open.remoteAddress().withoutPeerId())));
    }
    bootstrapIfNoServer();
    KadLookup byProvider = newLookup(KadId.of(KadKeys.peerKey(peer)), peer, KadLookup.Goal.PEER, 1);
    rpc.run(byProvider, KadMessage.getProviders(KadKeys.peerKey(peer)));
    KadLookup l = byProvider;
    if (byProvider.found() == null) {
      l = newLookup(KadId.of(peer), peer, KadLookup.Goal.PEER, 0);
      rpc.run(l, KadMessage.findNode(peer.toBytes()));
    }
    lastLookup =
        new LookupStats(
            byProvider == l ? l.messagesSent() : byProvider.messagesSent() + l.messagesSent(),
            l.depth(),
            l.found() != null);
    return Optional.ofNullable(l.found());
  }

  /**
   * One FIND_NODE lookup of {@code peer} (no provider lookup), for measuring: the number of
   * messages and rounds it took are in {@link #lastLookup()}.
   */
  public Optional<KadPeer> findNode(PeerId peer) {
    KadLookup l = newLookup(KadId.of(peer), peer, KadLookup.Goal.PEER, 0);
    rpc.run(l, KadMessage.findNode(peer.toBytes()));
    lastLookup = new LookupStats(l.messagesSent(), l.depth(), l.found() != null);
    return Optional.ofNullable(l.found());
  }

  /**
   * This DHT as the host's {@linkplain Host#setPeerRouting peer routing}: {@link #findPeer}, at
   * most {@link KadConfig#maxAddressesTried()} addresses, and a peer not found is not looked up
   * again for {@link #MISS_TTL} (a reconnect loop asks every few seconds).
   */
  public PeerRouting peerRouting() {
    return peer -> {
      long now = System.nanoTime();
      Long miss = misses.get(peer);
      if (miss != null && now - miss < MISS_TTL.toNanos()) {
        return List.of();
      }
      Optional<KadPeer> found = findPeer(peer);
      if (found.isEmpty() || found.get().addrs().isEmpty()) {
        if (misses.size() >= 4096) {
          misses.clear();
        }
        misses.put(peer, now);
        return List.of();
      }
      misses.remove(peer);
      List<Multiaddr> addrs = found.get().addrs();
      return addrs.subList(0, Math.min(addrs.size(), config.maxAddressesTried()));
    };
  }

  /**
   * Connects to {@code peer} found through the DHT ({@link #findPeer}), trying at most {@link
   * KadConfig#maxAddressesTried()} of its addresses, direct ones first, and remembers the address
   * that worked in the peer store.
   *
   * @throws IOException if the peer is not found or none of its addresses answers as that peer
   */
  public Connection connect(PeerId peer) throws IOException {
    Connection open = host.connectionManager().find(peer);
    if (open != null) {
      return open;
    }
    KadPeer found =
        findPeer(peer)
            .orElseThrow(() -> new NetworkException("peer " + peer + " not found in the DHT"));
    return dialFound(found);
  }

  /**
   * Dials a peer learnt from the DHT, direct addresses first, at most {@link
   * KadConfig#maxAddressesTried()} of them; records the one that worked in the peer store.
   */
  public Connection dialFound(KadPeer found) throws IOException {
    return rpc.dialFound(found);
  }

  /**
   * Finds up to {@code max} providers of {@code key} (GET_PROVIDERS lookup, plus this node's own
   * store in server mode), with addresses filtered to those reachable from where they were learnt.
   */
  public List<KadPeer> findProviders(byte[] key, int max) {
    bootstrapIfNoServer();
    List<KadPeer> out = new ArrayList<>();
    Set<PeerId> seen = new HashSet<>();
    if (serverMode) {
      for (ProviderStore.Provider p : store.get(key, clock.millis())) {
        if (out.size() < max && seen.add(p.peer())) {
          out.add(p.toKadPeer());
        }
      }
    }
    if (out.size() < max) {
      KadLookup l = newLookup(KadId.of(key), null, KadLookup.Goal.PROVIDERS, max - out.size());
      rpc.run(l, KadMessage.getProviders(key));
      for (KadPeer p : l.providers()) {
        if (out.size() < max && !p.id().equals(host.peerId()) && seen.add(p.id())) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private KadLookup newLookup(KadId target, PeerId targetPeer, KadLookup.Goal goal, int wanted) {
    List<KadPeer> seeds = new ArrayList<>();
    for (RoutingTable.Entry e : table.closest(target, config.k())) {
      seeds.add(e.toKadPeer());
    }
    return new KadLookup(
        target,
        targetPeer,
        host.peerId(),
        goal,
        config.k(),
        config.alpha(),
        wanted,
        seeds,
        config.requestTimeout().toMillis());
  }

  // ------------------------------------------------------------------ provider records

  /** The key under which this node publishes its addresses ({@link KadKeys#peerKey}). */
  public byte[] selfKey() {
    return KadKeys.peerKey(host.peerId());
  }

  /** Publishes (and keeps republishing) this node's provider record under {@link #selfKey()}. */
  public int publishSelf() {
    int ok = provide(selfKey());
    if (ok > 0) {
      LOG.info(
          "DHT: published where this node can be reached ({} servers took it): {}",
          ok,
          publishedAddresses);
    }
    return ok;
  }

  /**
   * Adds this node as a provider of {@code key} on the k closest DHT servers (and keeps doing so:
   * every {@link KadConfig#republishInterval()} and when this node's addresses change), carrying
   * its advertised addresses, direct and relayed.
   *
   * @return how many servers took the record
   */
  public int provide(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    provided.put(k, clock.millis());
    int ok = publish(key);
    if (ok == 0) {
      provided.replace(k, 0L); // no server took it: due again at the next check
    }
    return ok;
  }

  /** Stops republishing {@code key} (the records already out expire by themselves). */
  public void stopProviding(byte[] key) {
    provided.remove(ByteBuffer.wrap(key));
  }

  /** The keys this node keeps published. */
  public List<byte[]> providedKeys() {
    List<byte[]> out = new ArrayList<>();
    for (ByteBuffer b : provided.keySet()) {
      out.add(b.array().clone());
    }
    return out;
  }

  private List<Multiaddr> addressesToPublish() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.advertisedAddresses()) {
      out.add(a.withoutPeerId());
    }
    return out;
  }

  private int publish(byte[] key) {
    bootstrapIfNoServer();
    List<Multiaddr> addrs = addressesToPublish();
    publishedAddresses = Set.copyOf(addrs);
    KadPeer self = new KadPeer(host.peerId(), addrs);
    if (serverMode) {
      store.add(key, host.peerId(), addrs, clock.millis());
    }
    KadLookup l = newLookup(KadId.of(key), null, KadLookup.Goal.CLOSEST, 0);
    rpc.run(l, KadMessage.findNode(key));
    KadMessage add = KadMessage.addProvider(key, self);
    List<Future<Boolean>> sends = new ArrayList<>();
    for (KadPeer p : l.closestAnswered()) {
      sends.add(
          io.submit(
              () -> {
                try {
                  rpc.exchange(rpc.connectTo(p), add, false);
                  return true;
                } catch (IOException | RuntimeException e) {
                  LOG.debug("ADD_PROVIDER to {} failed: {}", p.id(), e.toString());
                  return false;
                }
              }));
    }
    int ok = 0;
    for (Future<Boolean> f : sends) {
      try {
        if (f.get()) {
          ok++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // counted as not taken
      }
    }
    return ok;
  }

  /**
   * Republishes every key when the addresses changed, else the keys due (and, every {@link
   * #RETRY_SECONDS} s, those no server took).
   */
  void republishDue() {
    if (!running || provided.isEmpty() || !republishing.compareAndSet(false, true)) {
      return;
    }
    try {
      List<Multiaddr> addresses = addressesToPublish();
      boolean moved = !Set.copyOf(addresses).equals(publishedAddresses);
      long now = clock.millis();
      boolean retry = now - lastRetryMillis >= RETRY_SECONDS * 1000L;
      if (retry) {
        lastRetryMillis = now;
      }
      int taken = 0;
      boolean firstTaken = false;
      for (Map.Entry<ByteBuffer, Long> e : provided.entrySet()) {
        boolean untaken = e.getValue() == 0L;
        if (moved
            || (untaken && retry)
            || (!untaken && now - e.getValue() >= config.republishInterval().toMillis())) {
          // A record no server took (none known yet) is due again at a later retry.
          int ok = publish(e.getKey().array());
          e.setValue(ok > 0 ? now : 0L);
          taken += ok > 0 ? 1 : 0;
          firstTaken |= untaken && ok > 0;
        }
      }
      if (moved || firstTaken) {
        LOG.info(
            "DHT: published where this node can be reached ({} of {} records taken): {}",
            taken,
            provided.size(),
            addresses);
      }
    } catch (RuntimeException e) {
      LOG.warn("DHT republish failed", e);
    } finally {
      republishing.set(false);
    }
  }

  // ------------------------------------------------------------------ serving

  private void serve(Stream s) throws IOException {
    PeerId from = s.remotePeer();
    AddressScope scope = KadRpc.scopeOf(s.connection());
    s.setReadTimeout(SERVE_IDLE_MILLIS);
    try {
      KadMessage request;
      while ((request = KadMessage.read(s.inputStream())) != null) {
        KadMessage reply = engine.handle(from, scope, request, clock.millis());
        if (reply != null) {
          reply.write(s.outputStream());
        }
      }
      s.close();
    } catch (ProtocolViolationException e) {
      LOG.info("kad request from {} refused: {}", from, e.getMessage());
      s.reset();
    }
  }
}
