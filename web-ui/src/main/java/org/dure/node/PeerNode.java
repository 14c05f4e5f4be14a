package org.dure.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dure.moderation.Blocklist;
import org.dure.moderation.MembershipPolicy;
import org.dure.moderation.Mutes;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.Resources;
import org.dure.moderation.SpaceModerator;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Reconnector;
import org.dure.net.invite.InviteException;
import org.dure.net.invite.InviteService;
import org.dure.net.mdns.MdnsDiscovery;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.nat.PortMapper;
import org.dure.net.nat.PortMapperConfig;
import org.dure.net.nat.PortMappingState;
import org.dure.net.peer.PeerId;
import org.dure.net.sync.SyncListener;
import org.dure.net.sync.SyncService;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This computer's peer: the libp2p host with the store's identity and its protocols (invites; sync
 * and discovery as they are attached), started and stopped by the {@link OfflineSwitch} (checked
 * every 2 seconds, so {@code ./dure offline on} from another terminal takes effect). Wiring only:
 * what is shared with whom is decided by the moderation policies.
 */
public final class PeerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerNode.class);

  /** Where the addresses of known peers are kept, in the data directory. */
  public static final String PEERS_FILE = "peers.txt";

  /** The TCP port Dure listens on for peers by default (any free one if it is taken). */
  public static final int DEFAULT_P2P_PORT = 4001;

  /**
   * A connection as the network page shows it; {@code kind} is {@code direct}, {@code relayed} or
   * {@code hole-punched}.
   */
  public record Peer(String peerId, String address, String direction, String kind) {}

  /** A snapshot going to or coming from a peer, for a progress bar. */
  public record Transfer(String peer, String docId, boolean receiving, long done, long total) {}

  /** A Dure found on the local network (mDNS): where it says it can be reached. */
  public record LanPeer(String peerId, List<String> addresses, java.time.Instant lastSeen) {}

  /**
   * The peer port on the home router: what port mapping achieved for TCP {@code port} (the port
   * this node listens on).
   */
  public record Router(PortMappingState state, int port) {}

  /**
   * What the network page shows; {@code router} is null when offline or when this node does not map
   * ports; {@code relays} are the peers this node holds a relay reservation on (reachable through
   * them), empty when it needs none or found none.
   */
  public record Status(
      boolean online,
      String peerId,
      List<String> addresses,
      List<Peer> peers,
      List<String> syncing,
      List<Transfer> transfers,
      List<LanPeer> lan,
      Router router,
      List<String> relays) {}

  private final WikiStore store;
  private final Blocklist blocklist;
  private final SpaceModerator moderator;
  private final Mutes mutes;
  private final Resources resources;
  private final OfflineSwitch offline;
  private final int port;
  private final List<String> listen;
  private final ScheduledExecutorService watcher;
  private final Path dataDir;
  private Host host;
  private InviteService invites;
  private Reconnector reconnector;
  private SyncService sync;
  private NatTraversal nat;
  private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
  private final Map<String, LanPeer> lan = new ConcurrentHashMap<>();
  private boolean lanDiscovery;
  private MdnsDiscovery mdns;
  private PortMapperConfig portMapping;
  private PortMapper portMapper;
  private DhtReach.Options dhtOptions;
  private DhtReach dht;
  private String lastError;

  /** The addresses bound the last time this node was online: tried first when going online. */
  private List<String> boundBefore = List.of();

  private long peerStoreSaved = -1;

  /** {@link #wantedPeers()} as of the last check of the offline switch (every 2 s). */
  private volatile Set<PeerId> wanted = Set.of();

  /**
   * @param port the TCP port to listen on; -1 for {@link #DEFAULT_P2P_PORT} or any free one if that
   *     is taken; 0 for any free port
   */
  public PeerNode(WikiStore store, Path dataDir, int port) {
    this(store, dataDir, port, List.of());
  }

  /**
   * @param listen multiaddrs to listen on ({@code --listen}); when not empty they replace {@code
   *     port}
   * @throws IllegalArgumentException for a malformed multiaddr
   */
  public PeerNode(WikiStore store, Path dataDir, int port, List<String> listen) {
    for (String a : listen) {
      Multiaddr.parse(a);
    }
    this.listen = List.copyOf(listen);
    this.store = store;
    this.blocklist = new Blocklist(store);
    this.moderator = new SpaceModerator(store);
    this.mutes = new Mutes(store);
    // Muted peers' edits are left out of the activity feed.
    store.activity().setHideAuthor(mutes::isMuted);
    this.resources = new Resources(store, Clock.systemUTC());
    this.offline = new OfflineSwitch(dataDir);
    this.dataDir = dataDir;
    this.port = port;
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-peer-node");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Also finds other Dure nodes on the local network (libp2p mDNS) while online, and lets them find
   * this one. Off by default (tests and tools); the application turns it on.
   */
  public PeerNode lanDiscovery(boolean on) {
    this.lanDiscovery = on;
    return this;
  }

  /**
   * Also asks the home router to forward the peer port (NAT-PMP, then UPnP; see {@link PortMapper})
   * while online and while the setting {@code network.portMapping} is on, and advertises the
   * forwarded address. Off by default (tests and tools); the application turns it on.
   */
  public PeerNode portMapping(PortMapperConfig config) {
    this.portMapping = java.util.Objects.requireNonNull(config);
    return this;
  }

  /**
   * Also runs the Kademlia DHT while online ({@link DhtReach}): peers are found by ID and lost
   * members through rendezvous records. Off by default (tests and tools); the application turns it
   * on unless {@code --no-dht}.
   */
  public PeerNode dht(DhtReach.Options options) {
    this.dhtOptions = java.util.Objects.requireNonNull(options);
    return this;
  }

  /** The DHT's state while online with the DHT on, else {@code null}. */
  public synchronized DhtReach.Status dhtStatus() {
    return dht == null ? null : dht.status();
  }

  /** Goes online unless the offline switch is on, and keeps following the switch. */
  public PeerNode start() {
    apply();
    watcher.scheduleWithFixedDelay(this::apply, 2, 2, TimeUnit.SECONDS);
    watcher.scheduleWithFixedDelay(resources::flush, 10, 10, TimeUnit.SECONDS);
    return this;
  }

  private void apply() {
    try {
      blocklist.refresh();
      wanted = Set.copyOf(wantedPeers());
      boolean wantOnline = !offline.isOffline();
      synchronized (this) {
        if (wantOnline && host == null) {
          startHost();
        } else if (!wantOnline && host != null) {
          stopHost();
        }
        savePeerStore();
        followPortMappingSetting();
      }
    } catch (RuntimeException e) {
      LOG.warn("Applying the offline switch failed", e);
    }
  }

  /**
   * Saves the address book when it changed, so that a crash loses at most the last 2 seconds of it
   * (it is also saved when the host stops).
   */
  private void savePeerStore() {
    Host h = host;
    if (h == null || h.peerStore().changes() == peerStoreSaved) {
      return;
    }
    long changes = h.peerStore().changes();
    try {
      h.peerStore().save(dataDir.resolve(PEERS_FILE));
      peerStoreSaved = changes;
    } catch (IOException e) {
      LOG.warn("Cannot save the address book: {}", e.toString());
    }
  }

  private void startHost() {
    if (!boundBefore.isEmpty()) {
      // Same addresses as last time (also for a port that was chosen freely), so friends who
      // know them can reach this node again after it was offline.
      try {
        host = buildHost(boundBefore);
        startProtocols();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.info("Cannot listen on {} again ({}); choosing anew", boundBefore, e.getMessage());
      }
    }
    if (!listen.isEmpty()) {
      try {
        host = buildHost(listen);
      } catch (IOException | RuntimeException e) {
        lastError = "Cannot listen on " + listen + ": " + e.getMessage();
        LOG.warn(lastError);
        return;
      }
      startProtocols();
      return;
    }
    try {
      host = buildHost(port == -1 ? DEFAULT_P2P_PORT : port);
    } catch (IOException e) {
      if (port != -1) {
        lastError = "Cannot listen on port " + port + ": " + e.getMessage();
        LOG.warn(lastError);
        return;
      }
      try {
        host = buildHost(0);
      } catch (IOException e2) {
        lastError = "Cannot listen for peers: " + e2.getMessage();
        LOG.warn(lastError);
        return;
      }
    }
    startProtocols();
  }

  private void startProtocols() {
    lastError = null;
    boundBefore = host.boundAddresses().stream().map(Multiaddr::toString).toList();
    peerStoreSaved = host.peerStore().changes();
    invites = new InviteService(host, store, Clock.systemUTC()).start();
    host.addConnectionListener(new FriendPresence(store.friends(), Clock.systemUTC()));
    reconnector = new Reconnector(host, () -> wanted, Duration.ofSeconds(5));
    MembershipPolicy membership = new MembershipPolicy(store, blocklist);
    sync = new SyncService(host, store, membership);
    // Relaying (for members of my spaces; anyone with "help others" on), relay reservations
    // (members first), AutoNAT under the same consent, and hole punching.
    nat =
        new NatTraversal(
            host,
            resources.relayPolicy(membership, blocklist),
            p -> !blocklist.isBlocked(p.toString()),
            java.util.Comparator.comparing((PeerId p) -> !wanted.contains(p)));
    sync.setBlocker(blocklist::block);
    sync.setQuota(resources.limits());
    resources.attach(host);
    sync.addListener(
        new SyncListener() {
          @Override
          public void snapshotProgress(
              PeerId peer, String docId, boolean receiving, long done, long total) {
            String key = peer + "/" + docId;
            if (done >= total) {
              transfers.remove(key);
            } else {
              transfers.put(key, new Transfer(peer.toString(), docId, receiving, done, total));
            }
          }

          @Override
          public void sessionEnded(PeerId peer, String reason) {
            transfers.keySet().removeIf(k -> k.startsWith(peer + "/"));
          }
        });
    sync.start();
    if (lanDiscovery) {
      startLanDiscovery();
    }
    if (dhtOptions != null) {
      // AutoNAT decides the DHT's server mode; the DHT's peers are relay candidates.
      dht = DhtReach.start(host, store, blocklist, resources, dhtOptions, nat.reachability());
      nat.setRelayCandidates(dht::relayCandidates);
    }
    LOG.info("Online as {} on {}", host.peerId(), host.listenAddresses());
  }

  /**
   * Starts or stops the port mapper as the setting says (checked with the offline switch, every 2
   * s), so that turning it off in Settings deletes the mapping on the router.
   */
  private void followPortMappingSetting() {
    boolean want =
        host != null
            && portMapping != null
            && resources.settings().portMapping()
            && forwardablePort(host.boundAddresses()) >= 0;
    if (want && portMapper == null) {
      startPortMapping();
    } else if (!want && portMapper != null) {
      stopPortMapping();
    }
  }

  private void startPortMapping() {
    Host h = host;
    int p = forwardablePort(h.boundAddresses());
    PortMapper m = PortMapper.forRouter(p, portMapping);
    m.addListener(
        state -> {
          // Only an address others on the internet can reach is worth advertising.
          NatTraversal n = nat;
          List<Multiaddr> external =
              state instanceof PortMappingState.Mapped mapped && mapped.reachableFromInternet()
                  ? List.of(Multiaddr.parse(mapped.multiaddr()))
                  : List.of();
          if (n != null) {
            n.setMapped(external);
          } else {
            h.setExternalAddresses(external);
          }
        });
    portMapper = m.start();
  }

  /** Deletes the mapping on the router (waits a few seconds at most). */
  private void stopPortMapping() {
    PortMapper m = portMapper;
    portMapper = null;
    m.close();
    if (nat != null) {
      nat.setMapped(List.of());
    } else if (host != null) {
      host.setExternalAddresses(List.of());
    }
  }

  /**
   * The TCP port of the first IPv4 address bound that is not loopback ({@code 0.0.0.0} included),
   * or -1.
   */
  static int forwardablePort(List<Multiaddr> bound) {
    for (Multiaddr a : bound) {
      try {
        java.net.InetSocketAddress sa = a.toTcpSocketAddress();
        if (sa.getAddress() instanceof java.net.Inet4Address ip && !ip.isLoopbackAddress()) {
          return sa.getPort();
        }
      } catch (RuntimeException e) {
        // not TCP over IP: skip
      }
    }
    return -1;
  }

  private void startLanDiscovery() {
    Host h = host;
    try {
      mdns = MdnsDiscovery.start(h.peerId(), h::listenAddresses, this::foundOnLan);
    } catch (IOException | RuntimeException e) {
      LOG.info("LAN discovery is off: {}", e.toString());
    }
  }

  /**
   * A node announced itself on the LAN (called by mDNS discovery). Anyone on the LAN can announce
   * anything: it is only shown, and its addresses are remembered for dialling when it is a peer
   * this node wants (a member of a shared space); the connection gater still decides.
   */
  void foundOnLan(PeerId peer, List<Multiaddr> addresses) {
    Host h;
    synchronized (this) {
      h = host;
    }
    if (h == null || peer.equals(h.peerId())) {
      return;
    }
    List<String> addrs = addresses.stream().map(Multiaddr::toString).toList();
    if (lan.size() < 256 || lan.containsKey(peer.toString())) {
      lan.put(peer.toString(), new LanPeer(peer.toString(), addrs, java.time.Instant.now()));
    }
    // Announcements repeat every few seconds: the wanted peers are those of the last check (at
    // most 2 s old), not read from the memberships again per announcement.
    if (!blocklist.isBlocked(peer.toString()) && wanted.contains(peer)) {
      h.peerStore().addAddresses(peer, addresses);
    }
  }

  /** The members of this computer's spaces: the peers to stay connected to. */
  private Set<PeerId> wantedPeers() {
    Set<PeerId> out = new HashSet<>();
    for (String inviter : store.invites().inviters()) {
      try {
        if (!blocklist.isBlocked(inviter)) {
          out.add(PeerId.parse(inviter));
        }
      } catch (RuntimeException e) {
        // malformed: skip
      }
    }
    for (Space s : store.spaces()) {
      try {
        for (String member : store.membership(s.id()).members().keySet()) {
          if (!blocklist.isBlocked(member)) {
            out.add(PeerId.parse(member));
          }
        }
      } catch (RuntimeException e) {
        // membership not here yet, damaged, or a malformed peer ID: skip
      }
    }
    return out;
  }

  private Host buildHost(int p) throws IOException {
    return buildHost(List.of("/ip4/0.0.0.0/tcp/" + p));
  }

  private Host buildHost(List<String> addresses) throws IOException {
    Host.Builder b =
        Host.builder()
            .identity(store.identity().keyPair())
            .gater(blocklist)
            .resourceLimits(resources.limits())
            .uploadLimiter(resources.uploadLimiter())
            .peerStoreFile(dataDir.resolve(PEERS_FILE));
    for (String a : addresses) {
      b.listen(a);
    }
    return b.build().start();
  }

  private void stopHost() {
    if (portMapper != null) {
      stopPortMapping();
    }
    Host h = host;
    host = null;
    if (mdns != null) {
      mdns.close();
      mdns = null;
    }
    lan.clear();
    if (dht != null) {
      dht.close();
      dht = null;
    }
    invites = null;
    if (sync != null) {
      sync.close();
      sync = null;
    }
    transfers.clear();
    if (nat != null) {
      nat.close();
      nat = null;
    }
    if (reconnector != null) {
      reconnector.close();
      reconnector = null;
    }
    h.close();
    resources.detach();
    LOG.info("Offline: networking stopped");
  }

  /** Turns networking off or on now (and remembers it). */
  public void setOffline(boolean off) {
    offline.set(off);
    apply();
  }

  public boolean isOffline() {
    return offline.isOffline();
  }

  public Blocklist blocklist() {
    return blocklist;
  }

  /** The user's moderation actions, checked against their role in each space. */
  public SpaceModerator moderator() {
    return moderator;
  }

  /** Peers whose content this user does not want to see. */
  public Mutes mutes() {
    return mutes;
  }

  /** Blocks {@code peer} (see {@link Blocklist}) and closes its connections now. */
  public void block(String peer, String reason) {
    PeerId id = PeerId.parse(peer);
    blocklist.block(peer, reason);
    Host h;
    synchronized (this) {
      h = host;
    }
    if (h != null) {
      for (Connection c : h.connectionManager().connections(id)) {
        c.close();
      }
    }
  }

  /** Limits, caps, consent and the usage ledger (moderation's {@link Resources}). */
  public Resources resources() {
    return resources;
  }

  /** Why the node could not go online, if it could not. */
  public synchronized String lastError() {
    return lastError;
  }

  public synchronized Status status() {
    if (host == null) {
      return new Status(
          false,
          store.identity().peerId(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          null,
          List.of());
    }
    List<String> addrs = host.listenAddresses().stream().map(Multiaddr::toString).toList();
    List<Peer> peers =
        host.connectionManager().connections().stream()
            .filter(c -> !c.isProbe())
            .map(
                (Connection c) ->
                    new Peer(
                        c.remotePeer().toString(),
                        c.remoteAddress().toString(),
                        c.direction().name().toLowerCase(java.util.Locale.ROOT),
                        c.kind()))
            .toList();
    List<String> syncing =
        sync == null ? List.of() : sync.peers().stream().map(PeerId::toString).sorted().toList();
    java.time.Instant recent = java.time.Instant.now().minusSeconds(60);
    lan.values().removeIf(p -> p.lastSeen().isBefore(recent));
    List<LanPeer> found =
        lan.values().stream().sorted(java.util.Comparator.comparing(LanPeer::peerId)).toList();
    return new Status(
        true,
        host.peerId().toString(),
        addrs,
        peers,
        syncing,
        List.copyOf(transfers.values()),
        found,
        router(),
        nat == null ? List.of() : nat.relays().stream().map(PeerId::toString).toList());
  }

  /**
   * The port mapping's state while online (called with this node locked); null when this node never
   * maps ports ({@link #portMapping} not called: tests, tools).
   */
  private Router router() {
    if (portMapping == null) {
      return null;
    }
    int p = forwardablePort(host.boundAddresses());
    PortMapper m = portMapper;
    if (m != null) {
      return new Router(m.state(), m.internalPort());
    }
    if (resources.settings().portMapping() && p < 0) {
      return new Router(
          new PortMappingState.Unavailable(
              "Dure listens on no IPv4 address a router could forward to"),
          0);
    }
    return new Router(new PortMappingState.Disabled(), Math.max(p, 0));
  }

  /**
   * A single-use invite link to {@code space}, carrying this node's addresses.
   *
   * @throws IllegalStateException when offline (the link must carry this node's addresses)
   */
  public String createInvite(SpaceId space, Role role, Duration validity) {
    return createInvite(space, role, validity, false);
  }

  /**
   * A single-use invite link to {@code space}: with this node's addresses, or with only its peer ID
   * ({@code peerIdOnly}; the invitee finds this node through the DHT, also after its addresses
   * changed; can be made while offline).
   *
   * @throws IllegalStateException when offline for a link with addresses, or for a link with only
   *     the peer ID when the DHT is off
   */
  public synchronized String createInvite(
      SpaceId space, Role role, Duration validity, boolean peerIdOnly) {
    if (!moderator.canModerate(space)) {
      throw new NotAllowedException("Only the owner and moderators of this space can invite.");
    }
    if (!moderator.rolesToGive(space, Optional.empty()).contains(role)) {
      throw new NotAllowedException("Only the owner of this space can invite moderators.");
    }
    if (peerIdOnly) {
      if (dhtOptions == null) {
        throw new IllegalStateException(
            "The DHT is off (--no-dht), so nobody could find you by your peer ID alone: make a"
                + " link with your addresses.");
      }
      return InviteService.createPeerIdOnlyLink(store, space, role, validity);
    }
    if (invites == null) {
      throw new IllegalStateException(
          "Dure is offline. Go online to invite someone: the link carries your address.");
    }
    return invites.createLink(space, role, validity);
  }

  /** Accepts an invite link: contacts the inviter and joins the space. */
  public InviteService.Accepted acceptInvite(String link) throws InviteException {
    InviteService service;
    synchronized (this) {
      service = invites;
    }
    if (service == null) {
      throw new InviteException("Dure is offline. Go online first, then accept the invite.");
    }
    InviteService.Accepted accepted = service.accept(link);
    SyncService s;
    synchronized (this) {
      s = sync;
      savePeerStore();
    }
    if (s != null) {
      s.spaceAccepted(accepted.inviter(), accepted.space());
    }
    return accepted;
  }

  /**
   * Connects to a peer by its full address ({@code /ip4/…/tcp/…/p2p/12D3KooW…}) and remembers the
   * address for reconnecting, or by its peer ID alone: at an address known, else found through the
   * DHT.
   *
   * @throws IllegalArgumentException for a malformed address or one without a peer ID
   * @throws IllegalStateException when offline
   * @throws IOException when the peer cannot be reached or is not who the address says
   */
  public String connect(String address) throws IOException {
    if (!address.strip().startsWith("/")) {
      return DhtReach.connectById(host(), PeerId.parse(address.strip()), dhtOptions != null);
    }
    Multiaddr ma = Multiaddr.parse(address.strip());
    if (ma.peerId() == null) {
      throw new IllegalArgumentException(
          "The address must end with /p2p/ and the peer ID, e.g. /ip4/192.168.1.5/tcp/4001/p2p/12D3KooW…");
    }
    Host h;
    synchronized (this) {
      h = host;
    }
    if (h == null) {
      throw new IllegalStateException("Dure is offline. Go online first.");
    }
    Connection c = h.dial(ma);
    h.peerStore().addAddresses(c.remotePeer(), List.of(ma.withoutPeerId()));
    synchronized (this) {
      savePeerStore();
    }
    return c.remotePeer().toString();
  }

  /**
   * Tries to connect to {@code peer} (a peer ID) in the background: at an address known, else
   * through the DHT; the lists show it online once connected.
   */
  public void connectSoon(String peer) {
    Thread.ofVirtual()
        .name("dure-connect")
        .start(
            () -> {
              try {
                connect(peer);
              } catch (IOException | RuntimeException e) {
                LOG.info("Could not reach {} yet: {}", peer, e.getMessage());
              }
            });
  }

  /** This computer's friends (local contacts), e.g. to add one found on the LAN. */
  public org.dure.store.social.Friends friends() {
    return store.friends();
  }

  /** The peer IDs connected now (empty when offline). */
  public Set<String> connectedPeers() {
    Host h;
    synchronized (this) {
      h = host;
    }
    if (h == null) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Connection c : h.connectionManager().connections()) {
      out.add(c.remotePeer().toString());
    }
    return out;
  }

  /** The DHT wiring while online with the DHT on, else null (tests). */
  synchronized DhtReach dhtReach() {
    return dht;
  }

  /** The running host, or null when offline (for wiring further protocols). */
  synchronized Host host() {
    return host;
  }

  @Override
  public void close() {
    watcher.shutdownNow();
    synchronized (this) {
      if (host != null) {
        stopHost();
      }
    }
    resources.close();
  }
}
