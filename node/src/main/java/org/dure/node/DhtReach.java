package org.dure.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.moderation.Blocklist;
import org.dure.moderation.Resources;
import org.dure.net.autonat.Reachability;
import org.dure.net.host.Host;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.net.kad.KadKeys;
import org.dure.net.kad.KadPeer;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Space;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT of a {@link PeerNode} while it is online (see {@code docs/protocol/dht.md}): bootstraps
 * from the configured peers and the members and friends whose addresses are known, publishes this
 * node's record under its peer ID's key and a rendezvous record for each shared space, serves the
 * DHT only while the node is publicly reachable and the user lets it help others, lets {@link
 * Host#connect} find peers by ID, and looks for members it has lost through the rendezvous keys.
 */
public final class DhtReach implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DhtReach.class);

  /**
   * The public IPFS bootstrap peer with a fixed IP address (the others are {@code /dnsaddr} names,
   * which Dure does not resolve). Used unless {@code --bootstrap none} is given or the environment
   * variable {@value #NO_PUBLIC_BOOTSTRAP_ENV} is set (tests and CI set it).
   */
  static final List<Multiaddr> PUBLIC_BOOTSTRAP =
      List.of(
          Multiaddr.parse(
              "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ"));

  /** Set (to anything) to never use {@link #PUBLIC_BOOTSTRAP}, whatever the options say. */
  static final String NO_PUBLIC_BOOTSTRAP_ENV = "DURE_NO_PUBLIC_BOOTSTRAP";

  /** How often the mode and the published records are checked. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

  /** How often members not connected are looked for under the rendezvous keys. */
  static final Duration MEET_INTERVAL = Duration.ofMinutes(5);

  /**
   * The DHT options ({@code --bootstrap}, {@code --no-dht}).
   *
   * @param bootstrap bootstrap peers besides the known members and friends
   * @param publicBootstrap also the public IPFS bootstrap peers ({@link #PUBLIC_BOOTSTRAP})
   */
  public record Options(List<Multiaddr> bootstrap, boolean publicBootstrap) {
    public Options {
      bootstrap = List.copyOf(bootstrap);
    }

    /** Only the given bootstrap peers (tests, a LAN or loopback DHT). */
    public static Options only(List<Multiaddr> bootstrap) {
      return new Options(bootstrap, false);
    }

    /**
     * The options of {@code --bootstrap} values: multiaddrs ending in {@code /p2p/PEER}, and {@code
     * none} to leave out the public bootstrap peers.
     *
     * @throws IllegalArgumentException for a malformed address or one without a peer ID
     */
    public static Options parse(List<String> values) {
      List<Multiaddr> peers = new ArrayList<>();
      boolean publicPeers = true;
      for (String v : values) {
        if (v.strip().equals("none")) {
          publicPeers = false;
          continue;
        }
        Multiaddr a = Multiaddr.parse(v.strip());
        if (a.peerId() == null) {
          throw new IllegalArgumentException(
              "a bootstrap address must end with /p2p/PEER_ID: " + v);
        }
        peers.add(a);
      }
      return new Options(peers, publicPeers);
    }
  }

  /**
   * What the network page shows.
   *
   * @param server whether this node serves the DHT
   * @param routingTable DHT servers known
   * @param bootstrapPeers bootstrap peers configured (members and friends included)
   * @param bootstrapConnected of those, connected now
   */
  public record Status(
      boolean server, int routingTable, int bootstrapPeers, int bootstrapConnected) {}

  private final Host host;
  private final WikiStore store;
  private final Blocklist blocklist;
  private final Resources resources;
  private final Options options;
  private final KadDht dht;
  private final ScheduledExecutorService timer;
  private final Map<String, byte[]> rendezvousProvided = new HashMap<>();
  private final Reachability reachability;

  private DhtReach(
      Host host,
      WikiStore store,
      Blocklist blocklist,
      Resources resources,
      Options options,
      Reachability reachability) {
    this.host = host;
    this.store = store;
    this.blocklist = blocklist;
    this.resources = resources;
    this.options = options;
    this.reachability = reachability;
    this.dht = new KadDht(host, KadConfig.defaults());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-dht");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * @param reachability what AutoNAT found out about this node ({@link NatTraversal}): the DHT is
   *     served only while it says the node is reachable
   */
  static DhtReach start(
      Host host,
      WikiStore store,
      Blocklist blocklist,
      Resources resources,
      Options options,
      Reachability reachability) {
    DhtReach r = new DhtReach(host, store, blocklist, resources, options, reachability);
    r.dht.start();
    host.setPeerRouting(r.dht.peerRouting());
    r.timer.execute(r::firstRound);
    // AutoNAT's verdict changes the mode at once, not at the next check.
    reachability.addListener(x -> r.soon(r::updateModeQuietly));
    long check = CHECK_INTERVAL.toSeconds();
    r.timer.scheduleWithFixedDelay(r::check, check, check, TimeUnit.SECONDS);
    long meet = MEET_INTERVAL.toSeconds();
    r.timer.scheduleWithFixedDelay(r::meetQuietly, meet, meet, TimeUnit.SECONDS);
    return r;
  }

  KadDht dht() {
    return dht;
  }

  /** What decides whether this node is reachable (AutoNAT's verdict, with its fallback). */
  Reachability reachability() {
    return reachability;
  }

  private void soon(Runnable task) {
    try {
      timer.execute(task);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void updateModeQuietly() {
    try {
      updateMode();
    } catch (RuntimeException e) {
      LOG.warn("DHT mode check failed", e);
    }
  }

  Status status() {
    KadDht.Status s = dht.status();
    return new Status(
        s.serverMode(), s.routingTableSize(), s.bootstrapPeers(), s.bootstrapConnected());
  }

  private void firstRound() {
    try {
      dht.setBootstrapPeers(bootstrapPeers());
      updateMode();
      int servers = dht.bootstrap();
      LOG.info("DHT: {} servers known after bootstrap", servers);
      dht.publishSelf();
      provideSpaces();
      meetMembers();
    } catch (RuntimeException e) {
      LOG.warn("DHT start failed", e);
    }
  }

  /** Follows the mode and the spaces' records (every {@link #CHECK_INTERVAL}). */
  void check() {
    try {
      dht.setBootstrapPeers(bootstrapPeers());
      updateMode();
      provideSpaces();
    } catch (RuntimeException e) {
      LOG.warn("DHT check failed", e);
    }
  }

  private void meetQuietly() {
    try {
      meetMembers();
    } catch (RuntimeException e) {
      LOG.warn("Looking for members through the DHT failed", e);
    }
  }

  /**
   * Serves the DHT only while this node is reachable from the internet, as AutoNAT v2 found out
   * ({@link Reachability#isPublic()}: an address confirmed reachable by enough servers; while none
   * is decided either way, a public IPv4 address among the listen or external addresses), and the
   * user allowed helping peers outside their spaces.
   */
  private void updateMode() {
    dht.setServerMode(resources.settings().helpOthers() && reachability.isPublic());
  }

  /**
   * Peers that may relay for this node beyond the connected ones (for {@link
   * org.dure.net.relay.AutoRelay#setCandidates}): the bootstrap peers and the DHT servers of the
   * routing table, their addresses put in the peer store so that they can be dialled. AutoRelay
   * asks those that offer circuit relay v2 hop (or whose protocols are not known yet).
   */
  Collection<PeerId> relayCandidates() {
    Set<PeerId> out = new LinkedHashSet<>();
    for (Multiaddr a : dht.bootstrapPeers()) {
      PeerId p = a.peerId();
      if (p != null && !p.equals(host.peerId()) && !blocklist.isBlocked(p)) {
        host.peerStore().addAddresses(p, List.of(a.withoutPeerId()));
        out.add(p);
      }
    }
    for (PeerId p : dht.routingTable().peers()) {
      var e = dht.routingTable().get(p);
      if (e != null && !blocklist.isBlocked(p)) {
        host.peerStore().addAddresses(p, e.addresses());
        out.add(p);
      }
    }
    return out;
  }

  /** The configured bootstrap peers, the public ones if allowed, then known members' addresses. */
  List<Multiaddr> bootstrapPeers() {
    List<Multiaddr> out = new ArrayList<>(options.bootstrap());
    if (options.publicBootstrap() && System.getenv(NO_PUBLIC_BOOTSTRAP_ENV) == null) {
      out.addAll(PUBLIC_BOOTSTRAP);
    }
    Set<PeerId> known = new HashSet<>();
    known.addAll(store.friends().list().stream().map(f -> f.peerId()).toList());
    for (Map.Entry<Space, Set<PeerId>> e : members().entrySet()) {
      known.addAll(e.getValue());
    }
    for (PeerId id : known) {
      if (blocklist.isBlocked(id) || id.equals(host.peerId())) {
        continue;
      }
      for (Multiaddr a : host.peerStore().get(id).map(r -> r.addresses()).orElse(List.of())) {
        if (out.size() < 64) {
          out.add(a.withPeerId(id));
        }
      }
    }
    return out;
  }

  /** The other members (not blocked) of each space shared with someone. */
  private Map<Space, Set<PeerId>> members() {
    Map<Space, Set<PeerId>> out = new HashMap<>();
    PeerId me = host.peerId();
    for (Space s : store.spaces()) {
      try {
        Set<PeerId> others = new HashSet<>(store.membership(s.id()).members().keySet());
        others.remove(me);
        others.removeIf(blocklist::isBlocked);
        if (!others.isEmpty()) {
          out.put(s, others);
        }
      } catch (RuntimeException e) {
        // membership not here yet or damaged: skip
      }
    }
    return out;
  }

  /** The rendezvous key of a space in an epoch: only members hold the space id. */
  static byte[] rendezvousKey(Space space, long epoch) {
    return KadKeys.rendezvousKey(space.id().value().getBytes(StandardCharsets.UTF_8), epoch);
  }

  /** Publishes this epoch's rendezvous record of each shared space; drops the others. */
  private void provideSpaces() {
    long epoch = KadKeys.epoch(Clock.systemUTC().instant());
    Map<String, byte[]> wanted = new HashMap<>();
    for (Space s : members().keySet()) {
      wanted.put(s.id().value() + "@" + epoch, rendezvousKey(s, epoch));
    }
    for (var it = rendezvousProvided.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        dht.stopProviding(e.getValue());
        it.remove();
      }
    }
    for (Map.Entry<String, byte[]> e : wanted.entrySet()) {
      if (!rendezvousProvided.containsKey(e.getKey())) {
        dht.provide(e.getValue());
        rendezvousProvided.put(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Looks for the members not connected under the rendezvous keys of their spaces (this epoch's and
   * the last one's), remembers the addresses found and dials them; the sync protocol's membership
   * checks apply as for any connection.
   *
   * @return the members found and connected
   */
  int meetMembers() {
    long epoch = KadKeys.epoch(Clock.systemUTC().instant());
    int met = 0;
    for (Map.Entry<Space, Set<PeerId>> e : members().entrySet()) {
      Set<PeerId> missing = new HashSet<>();
      for (PeerId m : e.getValue()) {
        if (host.connectionManager().find(m) == null) {
          missing.add(m);
        }
      }
      for (long ep = epoch; ep >= epoch - 1 && !missing.isEmpty(); ep--) {
        for (KadPeer p : dht.findProviders(rendezvousKey(e.getKey(), ep), 20)) {
          if (missing.remove(p.id()) && !p.addrs().isEmpty()) {
            host.peerStore().addAddresses(p.id(), p.addrs());
            try {
              dht.dialFound(p);
              met++;
            } catch (IOException ex) {
              LOG.debug("member {} found in the DHT but not reached: {}", p.id(), ex.toString());
            }
          }
        }
      }
    }
    return met;
  }

  /**
   * Connects to {@code peer} by its ID alone: an address in the peer store, else the host's peer
   * routing (the DHT, when {@code dhtOn}).
   *
   * @param host the running host, or {@code null} when offline
   * @throws IllegalStateException when offline
   */
  static String connectById(Host host, PeerId peer, boolean dhtOn) throws IOException {
    if (host == null) {
      throw new IllegalStateException("Dure is offline. Go online first.");
    }
    try {
      return host.connect(peer).remotePeer().toString();
    } catch (IOException e) {
      throw new IOException(
          (dhtOn
                  ? "Not found at a known address nor through the DHT"
                  : "No address of this peer is known and the DHT is off (--no-dht)")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    host.setPeerRouting(null);
    dht.close();
  }
}
