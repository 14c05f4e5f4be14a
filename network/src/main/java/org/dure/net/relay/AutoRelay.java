package org.dure.net.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.host.Reconnector;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host that others cannot reach directly reachable through relays: it reserves a slot
 * (circuit v2, through a {@link RelayClient}) on up to {@code maxRelays} connected peers that offer
 * {@value RelayService#HOP} in identify, reached directly (not over a relay, and not through a hole
 * punch: such a peer is behind a NAT itself), and sets the resulting {@code
 * …/p2p/RELAY/p2p-circuit} addresses as the host's {@linkplain Host#setRelayedAddresses relayed
 * addresses} (announced in identify, put in invites).
 *
 * <p>The rule for "not reachable directly" is simple: the host needs relays unless one of its
 * direct addresses (listen or external, e.g. a port forwarded by the router) is a public IPv4
 * address ({@link #publiclyReachable}); a caller can replace it with {@link #setNeedsRelay}. Which
 * connected peers may serve as relays, and which first, is the caller's policy ({@link
 * #setAllowed}, {@link #setPreference}); by default any peer offering hop, in no particular order.
 *
 * <p>When the connected peers give too few reservations, peers known but not connected that offer
 * {@value RelayService#HOP} are dialled, at most {@value #DIALS_PER_ROUND} a round: by default
 * those the peer store knows to offer it (identify recorded it: bootstrap peers, peers met before);
 * {@link #setCandidates} adds others, such as the DHT's routing table.
 *
 * <p>A refusal (e.g. {@code RESERVATION_REFUSED}: the relay's policy does not cover this node) is
 * normal: that peer is skipped and asked again only after a back-off, {@code minBackoff} doubling
 * up to {@link #MAX_BACKOFF}. A reservation is given up when the connection to its relay ends (the
 * relay forgets it then too), and another connected relay is tried. Reservations are renewed by the
 * {@link RelayClient}. Checks run every {@code interval} and soon after a peer is identified or a
 * relay disconnects, on one timer thread.
 */
public final class AutoRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoRelay.class);
  public static final int DEFAULT_MAX_RELAYS = 2;
  static final int ADDRESSES_PER_RELAY = 3;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration MIN_BACKOFF = Duration.ofMinutes(1);
  public static final Duration MAX_BACKOFF = Duration.ofHours(1);
  static final int DIALS_PER_ROUND = 3;

  /** How long after losing a relay without goodbye it is tried again every second or so. */
  static final Duration FAST_WINDOW = Duration.ofMinutes(10);

  static final Duration FAST_RETRY = Duration.ofSeconds(1);

  private final Host host;
  private final RelayClient client;
  private final int maxRelays;
  private final Duration interval;
  private final Duration minBackoff;
  private final Map<PeerId, long[]> backoff =
      new java.util.concurrent.ConcurrentHashMap<>(); // {next attempt nanos, delay nanos}
  private final Map<PeerId, Long> lost = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Predicate<PeerId> allowed = p -> true;
  private volatile Comparator<PeerId> preference = (a, b) -> 0;
  private volatile BooleanSupplier needsRelay;
  private volatile java.util.function.Supplier<java.util.Collection<PeerId>> candidates = List::of;
  private ScheduledExecutorService timer;
  private volatile boolean running;
  private final ConnectionListener listener =
      new ConnectionListener() {
        @Override
        public void identified(Connection c, IdentifyMessage m, boolean push) {
          if (!c.isRelayed() && m.protocols().contains(RelayService.HOP)) {
            soon();
          }
        }

        @Override
        public void disconnected(Connection c) {
          if (client.relays().contains(c.remotePeer())) {
            if (!c.closedByRemote()) {
              // The network went away, not the relay: try it again quickly (see tick).
              lost.put(c.remotePeer(), System.nanoTime());
              backoff.remove(c.remotePeer());
            }
            soon();
          }
        }
      };

  /** Up to {@value #DEFAULT_MAX_RELAYS} relays, checked every 30 s, back-off from 1 minute. */
  public AutoRelay(Host host, RelayClient client) {
    this(host, client, DEFAULT_MAX_RELAYS, DEFAULT_INTERVAL, MIN_BACKOFF);
  }

  /**
   * @param maxRelays how many reservations to hold at most
   * @param interval how often to check the reservations and the candidates
   * @param minBackoff how long a peer that refused (or could not be asked) is left alone at first
   */
  public AutoRelay(
      Host host, RelayClient client, int maxRelays, Duration interval, Duration minBackoff) {
    if (maxRelays < 1) {
      throw new IllegalArgumentException("maxRelays must be at least 1");
    }
    if (!interval.isPositive() || !minBackoff.isPositive()) {
      throw new IllegalArgumentException("interval and back-off must be positive");
    }
    this.host = host;
    this.client = client;
    this.maxRelays = maxRelays;
    this.interval = interval;
    this.minBackoff = minBackoff;
    this.needsRelay = () -> !publiclyReachable(host);
  }

  /** Only peers passing {@code allowed} are asked for a reservation (default: any). */
  public AutoRelay setAllowed(Predicate<PeerId> allowed) {
    this.allowed = allowed;
    return this;
  }

  /** Candidates are asked in this order, e.g. members of my spaces first (default: any order). */
  public AutoRelay setPreference(Comparator<PeerId> preference) {
    this.preference = preference;
    return this;
  }

  /**
   * Peers to consider beyond the connected ones and those the peer store knows to offer hop (e.g.
   * the DHT's routing table); they are dialled when they are found to offer hop, or when the peer
   * store does not know their protocols yet.
   */
  public AutoRelay setCandidates(java.util.function.Supplier<java.util.Collection<PeerId>> more) {
    this.candidates = more;
    return this;
  }

  /** Replaces the rule deciding whether this host needs relays at all. */
  public AutoRelay setNeedsRelay(BooleanSupplier needsRelay) {
    this.needsRelay = needsRelay;
    return this;
  }

  public synchronized AutoRelay start() {
    if (timer != null) {
      return this;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-autorelay");
              t.setDaemon(true);
              return t;
            });
    running = true;
    host.addConnectionListener(listener);
    timer.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public synchronized void stop() {
    running = false;
    host.removeConnectionListener(listener);
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    host.setRelayedAddresses(List.of());
  }

  @Override
  public void close() {
    stop();
  }

  /** The relays this host currently holds a reservation on, as advertised. */
  public List<PeerId> relays() {
    List<PeerId> out = new ArrayList<>();
    for (Multiaddr a : host.relayedAddresses()) {
      PeerId relay = a.peerId();
      if (relay != null && !out.contains(relay)) {
        out.add(relay);
      }
    }
    return out;
  }

  /** Runs a round after {@link #FAST_RETRY} (a lost relay is being tried again). */
  private synchronized void scheduleFast() {
    if (timer != null) {
      try {
        timer.schedule(this::tick, FAST_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // stopping
      }
    }
  }

  private synchronized void soon() {
    if (timer != null) {
      try {
        timer.execute(this::tick);
      } catch (RejectedExecutionException e) {
        // stopping
      }
    }
  }

  /** One round: drop reservations that ended, reserve on candidates, update the addresses. */
  void tick() {
    try {
      boolean need = needsRelay.getAsBoolean();
      for (PeerId r : client.relays()) {
        if (!need || direct(r) == null || !allowed.test(r)) {
          client.release(r);
          LOG.debug("gave up the reservation on {}", r);
        }
      }
      if (need && client.relays().size() < maxRelays) {
        reserveOnCandidates();
      }
      if (running) { // a round cut short by stop() must not advertise again
        host.setRelayedAddresses(need ? addresses() : List.of());
      }
    } catch (RuntimeException e) {
      LOG.warn("Keeping relay reservations failed", e);
    }
  }

  /**
   * The relayed addresses to advertise: per relay, at most {@value #ADDRESSES_PER_RELAY}, those
   * that are not loopback first (the host keeps 8 in all).
   */
  private List<Multiaddr> addresses() {
    Map<PeerId, List<Multiaddr>> byRelay = new java.util.LinkedHashMap<>();
    for (Multiaddr a : client.relayedAddresses()) {
      Multiaddr bare = a.withoutPeerId();
      byRelay.computeIfAbsent(bare.peerId(), k -> new ArrayList<>()).add(bare);
    }
    List<Multiaddr> out = new ArrayList<>();
    for (List<Multiaddr> list : byRelay.values()) {
      list.sort(Comparator.comparing(AutoRelay::isLoopback));
      out.addAll(list.subList(0, Math.min(list.size(), ADDRESSES_PER_RELAY)));
    }
    return out;
  }

  private static boolean isLoopback(Multiaddr a) {
    Multiaddr.Component ip4 = a.first(Protocol.IP4);
    Multiaddr.Component ip6 = a.first(Protocol.IP6);
    Multiaddr.Component ip = ip4 != null ? ip4 : ip6;
    try {
      return ip != null && InetAddress.getByAddress(ip.value()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void reserveOnCandidates() {
    long now = System.nanoTime();
    Set<PeerId> peers = new LinkedHashSet<>();
    for (Connection c : host.connectionManager().connections()) {
      if (!c.isRelayed()) {
        peers.add(c.remotePeer());
      }
    }
    lost.values().removeIf(t -> now - t > FAST_WINDOW.toNanos());
    if (backoff.size() > 4096) {
      backoff.clear(); // bounded; a forgotten back-off only means an early retry
    }
    List<PeerId> held = client.relays();
    List<PeerId> candidates =
        peers.stream()
            .filter(p -> !held.contains(p))
            .filter(p -> direct(p) != null)
            .filter(this::offersHop)
            .filter(p -> allowed.test(p))
            .filter(
                p -> {
                  long[] b = backoff.get(p);
                  return b == null || now - b[0] >= 0;
                })
            .sorted(preference)
            .toList();
    for (PeerId p : candidates) {
      if (client.relays().size() >= maxRelays) {
        return;
      }
      Connection c = direct(p);
      if (c == null) {
        continue;
      }
      reserve(p, c);
    }
    if (client.relays().size() < maxRelays) {
      reserveBeyondConnected(peers, now);
    }
  }

  /** Dials known relays that are not connected: from the peer store and {@link #candidates}. */
  private void reserveBeyondConnected(Set<PeerId> connected, long now) {
    Set<PeerId> known = new LinkedHashSet<>();
    for (PeerId p : host.peerStore().peers()) {
      if (offersHop(p)) {
        known.add(p);
      }
    }
    for (PeerId p : candidates.get()) {
      boolean unknown = host.peerStore().get(p).map(r -> r.protocols().isEmpty()).orElse(true);
      if (offersHop(p) || unknown) {
        known.add(p);
      }
    }
    List<PeerId> held = client.relays();
    List<PeerId> far =
        known.stream()
            .filter(p -> !p.equals(host.peerId()))
            .filter(p -> !connected.contains(p) && !held.contains(p))
            .filter(p -> allowed.test(p))
            .filter(
                p -> {
                  long[] b = backoff.get(p);
                  return b == null || now - b[0] >= 0;
                })
            .filter(
                p ->
                    host.peerStore()
                        .get(p)
                        .map(r -> r.addresses().stream().anyMatch(a -> !isCircuit(a)))
                        .orElse(false))
            .sorted(preference)
            .limit(DIALS_PER_ROUND)
            .toList();
    for (PeerId p : far) {
      if (client.relays().size() >= maxRelays || !running) {
        return;
      }
      try {
        Connection c =
            lost.containsKey(p)
                ? host.connect(p, Reconnector.FAST_CONNECT_TIMEOUT)
                : host.connect(p);
        if (c.isRelayed() || c.isHolePunched()) {
          continue;
        }
        c.identified()
            .get(
                host.connectionManager().limits().handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        if (!offersHop(p)) {
          backOff(p, new RelayRefusedException("does not relay", RelayStatus.PERMISSION_DENIED));
          continue;
        }
        reserve(p, c);
      } catch (IOException
          | RuntimeException
          | java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException e) {
        backOff(p, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean isCircuit(Multiaddr a) {
    return a.first(Protocol.P2P_CIRCUIT) != null;
  }

  private void reserve(PeerId p, Connection c) {
    try {
      client.reserve(c.remoteAddress().withPeerId(p));
      backoff.remove(p);
      lost.remove(p);
      LOG.info("Reachable through relay {}", p);
    } catch (IOException | RuntimeException e) {
      backOff(p, e);
    }
  }

  private void backOff(PeerId p, Exception e) {
    long[] b = backoff.get(p);
    Long lostAt = lost.get(p);
    boolean fast = lostAt != null && System.nanoTime() - lostAt < FAST_WINDOW.toNanos();
    long delay =
        fast
            ? FAST_RETRY.toNanos()
            : b == null
                ? minBackoff.toNanos()
                : Math.min(MAX_BACKOFF.toNanos(), Math.multiplyExact(b[1], 2L));
    if (fast) {
      scheduleFast();
    }
    backoff.put(p, new long[] {System.nanoTime() + delay, delay});
    LOG.debug("no reservation on {} ({}); next try in {} s", p, e.toString(), delay / 1e9);
  }

  private boolean offersHop(PeerId p) {
    return host.peerStore().get(p).map(r -> r.protocols().contains(RelayService.HOP)).orElse(false);
  }

  /**
   * A direct connection to {@code p} that says others can reach it too: not relayed, and not
   * hole-punched (a peer reached only through a punched hole sits behind a NAT itself; a
   * reservation there would give an address that only its own network can dial).
   */
  private Connection direct(PeerId p) {
    for (Connection c : host.connectionManager().connections(p)) {
      if (!c.isRelayed() && !c.isHolePunched()) {
        return c;
      }
    }
    return null;
  }

  /**
   * Whether one of the host's direct addresses (listen or external) is a public IPv4 address: not
   * loopback, private (RFC 1918), link-local, carrier-grade NAT (100.64.0.0/10) or unspecified.
   * IPv6 addresses do not count: home routers usually let no connection in to them.
   */
  public static boolean publiclyReachable(Host host) {
    List<Multiaddr> direct = new ArrayList<>(host.listenAddresses());
    direct.addAll(host.externalAddresses());
    for (Multiaddr a : direct) {
      Multiaddr.Component ip = a.first(Protocol.IP4);
      if (ip != null && a.first(Protocol.P2P_CIRCUIT) == null && isPublic(ip.value())) {
        return true;
      }
    }
    return false;
  }

  static boolean isPublic(byte[] ip4) {
    InetAddress ip;
    try {
      ip = InetAddress.getByAddress(ip4);
    } catch (UnknownHostException e) {
      return false;
    }
    int b0 = ip4[0] & 0xff;
    int b1 = ip4[1] & 0xff;
    boolean cgnat = b0 == 100 && b1 >= 64 && b1 < 128;
    return !(ip.isLoopbackAddress()
        || ip.isSiteLocalAddress()
        || ip.isLinkLocalAddress()
        || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()
        || cgnat
        || b0 == 0
        || b0 >= 240);
  }
}
