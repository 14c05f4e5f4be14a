package org.dure.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.moderation.Blocklist;
import org.dure.moderation.Mutes;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.Resources;
import org.dure.moderation.SpaceModerator;
import org.dure.net.blobs.BlobService;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.invite.InviteException;
import org.dure.net.invite.InviteService;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.nat.PortMappingState;
import org.dure.net.sync.SyncListener;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobStore;
import org.dure.store.social.Friends;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This computer's peer: goes online (an {@link OnlineSession}: the libp2p host with the store's
 * identity and its protocols) and offline as the {@link OfflineSwitch} says (checked every 2
 * seconds, so {@code ./dure offline on} from another terminal takes effect), and is what the UI and
 * the local API ask about the network. Made and started by {@link DureNode}. Wiring only: what is
 * shared with whom is decided by the moderation policies.
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

  /**
   * A space arriving now (joined, or many new pages after a time apart): {@code received} of the
   * {@code total} pages its index lists, {@code pagesPerSecond} over the last seconds, the time
   * {@code left} at that rate (null when nothing arrived in that stretch) and from how many {@code
   * members} at once.
   */
  public record Join(
      SpaceId space,
      String name,
      int received,
      int total,
      double pagesPerSecond,
      Duration left,
      int members) {}

  /** A Dure found on the local network (mDNS): where it says it can be reached. */
  public record LanPeer(String peerId, List<String> addresses, Instant lastSeen) {}

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
  private final NodeModeration moderation;
  private final BlobStore blobs;
  private final NodeConfig config;
  private final OfflineSwitch offline;
  private final ScheduledExecutorService watcher;
  private final Path dataDir;
  private final Transfers transfers = new Transfers();
  private final Joins joins;
  private final List<SyncListener> extraListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final PagePresence presence = new PagePresence();
  private final LanPeers lan = new LanPeers();
  private final PortMapping portMapping;

  /** What runs while online; null while offline. */
  private OnlineSession online;

  private String lastError;

  /** The addresses bound the last time this node was online: tried first when going online. */
  private List<String> boundBefore = List.of();

  private long peerStoreSaved = -1;

  /** {@link #wantedPeers()} as of the last check of the offline switch (every 2 s). */
  private volatile Set<PeerId> wanted = Set.of();

  /** Made by {@link DureNode}, which puts a node together; not started. */
  PeerNode(
      WikiStore store,
      BlobStore blobs,
      NodeModeration moderation,
      Path dataDir,
      NodeConfig config) {
    this.store = store;
    this.blobs = blobs;
    this.moderation = moderation;
    this.config = config;
    this.joins = new Joins(Joins.Store.of(store));
    this.offline = new OfflineSwitch(dataDir);
    this.dataDir = dataDir;
    this.portMapping = new PortMapping(config.portMapping());
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-peer-node");
              t.setDaemon(true);
              return t;
            });
  }

  /** The DHT's state while online with the DHT on, else {@code null}. */
  public synchronized DhtReach.Status dhtStatus() {
    return online == null || online.dht == null ? null : online.dht.status();
  }

  /** Goes online unless the offline switch is on, and keeps following the switch. */
  PeerNode start() {
    apply();
    watcher.scheduleWithFixedDelay(this::apply, 2, 2, TimeUnit.SECONDS);
    watcher.scheduleWithFixedDelay(moderation.resources()::flush, 10, 10, TimeUnit.SECONDS);
    return this;
  }

  private void apply() {
    try {
      moderation.blocklist().refresh();
      wanted = Set.copyOf(wantedPeers());
      boolean wantOnline = !offline.isOffline();
      synchronized (this) {
        if (wantOnline && online == null) {
          goOnline();
        } else if (!wantOnline && online != null) {
          goOffline();
        }
        savePeerStore();
        portMapping.follow(online, moderation.resources().settings().portMapping());
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
    if (online == null || online.host.peerStore().changes() == peerStoreSaved) {
      return;
    }
    Host h = online.host;
    long changes = h.peerStore().changes();
    try {
      h.peerStore().save(dataDir.resolve(PEERS_FILE));
      peerStoreSaved = changes;
    } catch (IOException e) {
      LOG.warn("Cannot save the address book: {}", e.toString());
    }
  }

  private void goOnline() {
    Host host = listen();
    if (host == null) {
      return;
    }
    lastError = null;
    boundBefore = host.boundAddresses().stream().map(Multiaddr::toString).toList();
    peerStoreSaved = host.peerStore().changes();
    online =
        OnlineSession.start(
            host,
            store,
            blobs,
            moderation,
            config,
            () -> wanted,
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(transfers, joins), extraListeners.stream())
                .toList(),
            this::foundOnLan);
    presence.attach(online.presence);
  }

  /** A started host on the addresses to listen on, or null (with {@link #lastError}) if none. */
  private Host listen() {
    if (!boundBefore.isEmpty()) {
      // Same addresses as last time (also for a port that was chosen freely), so friends who
      // know them can reach this node again after it was offline.
      try {
        return buildHost(boundBefore);
      } catch (IOException | RuntimeException e) {
        LOG.info("Cannot listen on {} again ({}); choosing anew", boundBefore, e.getMessage());
      }
    }
    List<String> listen = config.listen();
    if (!listen.isEmpty()) {
      try {
        return buildHost(listen);
      } catch (IOException | RuntimeException e) {
        return failed("Cannot listen on " + listen + ": " + e.getMessage());
      }
    }
    int port = config.port();
    try {
      return buildHost(port == -1 ? DEFAULT_P2P_PORT : port);
    } catch (IOException e) {
      if (port != -1) {
        return failed("Cannot listen on port " + port + ": " + e.getMessage());
      }
      try {
        return buildHost(0);
      } catch (IOException e2) {
        return failed("Cannot listen for peers: " + e2.getMessage());
      }
    }
  }

  private Host failed(String why) {
    lastError = why;
    LOG.warn(lastError);
    return null;
  }

  /**
   * A node announced itself on the LAN (called by mDNS discovery). Anyone on the LAN can announce
   * anything: it is only shown, and its addresses are remembered for dialling when it is a peer
   * this node wants (a member of a shared space); the connection gater still decides.
   */
  void foundOnLan(PeerId peer, List<Multiaddr> addresses) {
    Host h = host();
    if (h == null || peer.equals(h.peerId())) {
      return;
    }
    lan.announced(peer, addresses);
    // Announcements repeat every few seconds: the wanted peers are those of the last check (at
    // most 2 s old), not read from the memberships again per announcement.
    if (!moderation.blocklist().isBlocked(peer) && wanted.contains(peer)) {
      h.peerStore().addAddresses(peer, addresses);
    }
  }

  /** The members of this computer's spaces: the peers to stay connected to. */
  private Set<PeerId> wantedPeers() {
    Blocklist blocklist = moderation.blocklist();
    Set<PeerId> out = new HashSet<>();
    for (PeerId inviter : store.invites().inviters()) {
      if (!blocklist.isBlocked(inviter)) {
        out.add(inviter);
      }
    }
    for (Space s : store.spaces()) {
      try {
        for (PeerId member : store.membership(s.id()).members().keySet()) {
          if (!blocklist.isBlocked(member)) {
            out.add(member);
          }
        }
      } catch (RuntimeException e) {
        // membership not here yet, or damaged: skip
      }
    }
    return out;
  }

  private Host buildHost(int p) throws IOException {
    return buildHost(List.of("/ip4/0.0.0.0/tcp/" + p));
  }

  private Host buildHost(List<String> addresses) throws IOException {
    Resources resources = moderation.resources();
    Host.Builder b =
        Host.builder()
            .identity(store.identity().keyPair())
            .gater(moderation.blocklist())
            .resourceLimits(resources.limits())
            .uploadLimiter(resources.uploadLimiter())
            .peerStoreFile(dataDir.resolve(PEERS_FILE));
    for (String a : addresses) {
      b.listen(a);
    }
    return b.build().start();
  }

  private void goOffline() {
    portMapping.stop(online);
    OnlineSession o = online;
    online = null;
    presence.detach();
    o.close();
    lan.clear();
    transfers.clear();
    LOG.info("Offline: networking stopped");
  }

  /** Which pages this user has open, and who else has them open. */
  public PagePresence presence() {
    return presence;
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
    return moderation.blocklist();
  }

  /** The user's moderation actions, checked against their role in each space. */
  public SpaceModerator moderator() {
    return moderation.moderator();
  }

  /** Peers whose content this user does not want to see. */
  public Mutes mutes() {
    return moderation.mutes();
  }

  /** Blocks {@code peer} (see {@link Blocklist}) and closes its connections now. */
  public void block(PeerId peer, String reason) {
    PeerId id = peer;
    moderation.blocklist().block(peer, reason);
    Host h = host();
    if (h != null) {
      for (Connection c : h.connectionManager().connections(id)) {
        c.close();
      }
    }
  }

  /** Limits, caps, consent and the usage ledger (moderation's {@link Resources}). */
  public Resources resources() {
    return moderation.resources();
  }

  /** Why the node could not go online, if it could not. */
  public synchronized String lastError() {
    return lastError;
  }

  /**
   * Tells {@code l} of what sync does from now on, while online and after going online again (for
   * benchmarks and tools; the pages use {@link #status} and {@link #joins}).
   */
  public synchronized void addSyncListener(SyncListener l) {
    extraListeners.add(l);
    if (online != null) {
      online.sync.addListener(l);
    }
  }

  /** The spaces arriving now (see {@link Join}), for the network page; empty while offline. */
  public List<Join> joins() {
    return joins.list(System.nanoTime());
  }

  public synchronized Status status() {
    if (online == null) {
      return new Status(
          false,
          store.identity().peerId().toString(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          null,
          List.of());
    }
    Host host = online.host;
    List<String> addrs = host.listenAddresses().stream().map(Multiaddr::toString).toList();
    List<Peer> peers =
        host.connectionManager().connections().stream()
            .filter(c -> !c.isProbe())
            .map(
                (Connection c) ->
                    new Peer(
                        c.remotePeer().toString(),
                        c.remoteAddress().toString(),
                        c.direction().name().toLowerCase(Locale.ROOT),
                        c.kind()))
            .toList();
    List<String> syncing = online.sync.peers().stream().map(PeerId::toString).sorted().toList();
    return new Status(
        true,
        host.peerId().toString(),
        addrs,
        peers,
        syncing,
        transfers.list(),
        lan.recent(),
        portMapping.router(host, resources().settings().portMapping()),
        online.nat.relays().stream().map(PeerId::toString).toList());
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
    SpaceModerator moderator = moderation.moderator();
    if (!moderator.canModerate(space)) {
      throw new NotAllowedException("Only the owner and moderators of this space can invite.");
    }
    if (!moderator.rolesToGive(space, Optional.empty()).contains(role)) {
      throw new NotAllowedException("Only the owner of this space can invite moderators.");
    }
    if (peerIdOnly) {
      if (config.dht() == null) {
        throw new IllegalStateException(
            "The DHT is off (--no-dht), so nobody could find you by your peer ID alone: make a"
                + " link with your addresses.");
      }
      return InviteService.createPeerIdOnlyLink(store, space, role, validity);
    }
    if (online == null) {
      throw new IllegalStateException(
          "Dure is offline. Go online to invite someone: the link carries your address.");
    }
    return online.invites.createLink(space, role, validity);
  }

  /** Accepts an invite link: contacts the inviter and joins the space. */
  public InviteService.Accepted acceptInvite(String link) throws InviteException {
    OnlineSession o;
    synchronized (this) {
      o = online;
    }
    if (o == null) {
      throw new InviteException("Dure is offline. Go online first, then accept the invite.");
    }
    InviteService.Accepted accepted = o.invites.accept(link);
    synchronized (this) {
      o = online;
      savePeerStore();
    }
    if (o != null) {
      o.sync.spaceAccepted(accepted.inviter(), accepted.space());
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
      return DhtReach.connectById(host(), PeerId.parse(address.strip()), config.dht() != null);
    }
    Multiaddr ma = Multiaddr.parse(address.strip());
    if (ma.peerId() == null) {
      throw new IllegalArgumentException(
          "The address must end with /p2p/ and the peer ID, e.g. /ip4/192.168.1.5/tcp/4001/p2p/12D3KooW…");
    }
    Host h = host();
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
  public Friends friends() {
    return store.friends();
  }

  /** The peer IDs connected now (empty when offline). */
  public Set<PeerId> connectedPeers() {
    Host h = host();
    if (h == null) {
      return Set.of();
    }
    Set<PeerId> out = new HashSet<>();
    for (Connection c : h.connectionManager().connections()) {
      out.add(c.remotePeer());
    }
    return out;
  }

  /** The DHT wiring while online with the DHT on, else null (tests). */
  synchronized DhtReach dhtReach() {
    return online == null ? null : online.dht;
  }

  /** The attachments protocol while online, else null. */
  synchronized BlobService blobService() {
    return online == null ? null : online.blobs;
  }

  /**
   * Bytes this node has written to peers on the wire since it last went online (handshakes and
   * encryption included, all connections); 0 while offline.
   */
  public long bytesSent() {
    Host h = host();
    if (h == null) {
      return 0;
    }
    long sum = 0;
    for (var c : h.traffic().snapshot().values()) {
      sum += c.bytesOut();
    }
    return sum;
  }

  /** The running host, or null when offline (for wiring further protocols). */
  synchronized Host host() {
    return online == null ? null : online.host;
  }

  /** Stops following the offline switch and goes offline (the policies stay: {@link DureNode}). */
  @Override
  public void close() {
    watcher.shutdownNow();
    synchronized (this) {
      if (online != null) {
        goOffline();
      }
    }
  }
}
