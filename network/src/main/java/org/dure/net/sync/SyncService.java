package org.dure.net.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Direction;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates spaces with connected peers over {@code /dure/sync/1.0.0} ({@code
 * docs/protocol/sync.md}). Attached to a {@link Host} (built with the store's identity, so both
 * name this node alike) and a {@link WikiStore}: it serves the protocol, opens a sync stream on
 * every connection this node dials, keeps at most one session per peer, propagates every change of
 * a shared document (local or received, so edits are relayed) and blocks peers that send bad input
 * repeatedly.
 *
 * <pre>{@code
 * SyncService sync = new SyncService(host, store, policy).start();
 * host.dial(friendAddress);        // the session starts by itself
 * }</pre>
 */
public final class SyncService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
  public static final String PROTOCOL = SyncFrameCodec.PROTOCOL;

  /** BYE code: this node is shutting down its sync service. */
  public static final int BYE_SHUTDOWN = 1;

  /** BYE code: no space is shared with the peer any more (removed or banned). */
  public static final int BYE_NOTHING_SHARED = 2;

  /** Blocks a peer for a reason; by default {@link WikiStore#blockPeer}. */
  @FunctionalInterface
  public interface PeerBlocker {
    void block(PeerId peer, String reason);
  }

  private final Host host;
  private final WikiStore store;
  private final SyncAccessPolicy policy;
  private final SyncConfig config;
  private final PeerPenalties penalties;
  private final TransferBudget transfers;
  private final NeedLedger needs = new NeedLedger();
  private Thread watchdog;
  private final ConcurrentHashMap<PeerId, SyncSession> sessions = new ConcurrentHashMap<>();
  private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PeerBlocker blocker;
  private volatile PeerQuota quota = PeerQuota.UNLIMITED;
  private volatile boolean running;
  private AutoCloseable storeListener;

  /**
   * How long after a local fault ended a session a new one is opened (see retryAfterLocalFault).
   */
  private volatile Duration localFaultRetry = Duration.ofSeconds(30);

  private final ConnectionListener connectionListener =
      new ConnectionListener() {
        @Override
        public void connected(Connection c) {
          if (c.direction() == Direction.OUTBOUND) {
            Thread.ofVirtual().name("sync-dial " + c.remotePeer()).start(() -> open(c));
          }
        }

        @Override
        public void disconnected(Connection c) {
          Thread.ofVirtual().name("sync-move " + c.remotePeer()).start(() -> moveFrom(c));
        }
      };

  public SyncService(Host host, WikiStore store, SyncAccessPolicy policy) {
    this(host, store, policy, SyncConfig.defaults());
  }

  public SyncService(Host host, WikiStore store, SyncAccessPolicy policy, SyncConfig config) {
    if (!host.peerId().equals(store.identity().peerId())) {
      throw new IllegalArgumentException(
          "The host must use the store's identity (" + store.identity().peerId() + ")");
    }
    this.host = host;
    this.store = store;
    this.policy = policy;
    this.config = config;
    this.penalties =
        new PeerPenalties(config.failuresBeforeBlock(), config.failureWindow(), config.clock());
    this.blocker = store::blockPeer;
    this.transfers = new TransferBudget(config.maxBufferedTotal());
  }

  /**
   * Serves the protocol, listens for store changes and connections, and opens sessions on the
   * outbound connections already up.
   */
  public synchronized SyncService start() {
    if (running) {
      return this;
    }
    running = true;
    storeListener = store.sync().addListener((doc, from) -> changed(doc));
    host.setHandler(PROTOCOL, this::accept);
    host.addConnectionListener(connectionListener);
    for (Connection c : host.connectionManager().connections()) {
      connectionListener.connected(c);
    }
    watchdog = Thread.ofVirtual().name("sync-watchdog").start(this::watch);
    return this;
  }

  /**
   * Checks the sessions for stalled transfers a few times per stall timeout, and tells sessions
   * that stood back from another's overdue document request, while running.
   */
  private void watch() {
    long period = Math.max(50, Math.min(1000, config.stallTimeout().toMillis() / 4));
    while (running) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (SyncSession s : sessions.values()) {
        try {
          s.checkStall(now);
        } catch (RuntimeException e) {
          LOG.warn("Checking {} for a stalled transfer failed", s, e);
        }
      }
      try {
        needs.tick(now); // claims overdue: another session may ask its peer
      } catch (RuntimeException e) {
        LOG.warn("Handing overdue document requests to other sessions failed", e);
      }
    }
  }

  /** Says BYE to every peer and stops serving; the host keeps running. */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    if (watchdog != null) {
      watchdog.interrupt();
    }
    host.removeConnectionListener(connectionListener);
    host.removeHandler(PROTOCOL);
    try {
      storeListener.close();
    } catch (Exception e) {
      LOG.debug("Removing the store listener failed", e);
    }
    for (SyncSession s : sessions.values()) {
      s.bye(BYE_SHUTDOWN, "shutting down");
    }
  }

  /** Replaces what blocks a peer (e.g. the moderation layer's blocklist, which also gates). */
  public void setBlocker(PeerBlocker blocker) {
    this.blocker = blocker;
  }

  /** Sets the per-peer quotas sessions consult (e.g. the moderation layer's rate limits). */
  public void setQuota(PeerQuota quota) {
    this.quota = quota;
  }

  public AutoCloseable addListener(SyncListener l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /**
   * The user accepted {@code space} from {@code peer} (e.g. joined through its invite): if a
   * session with that peer is up and it offers the space, ask for it now. (The policy's {@link
   * SyncAccessPolicy#acceptsSpace} must say yes from now on too: it decides for later sessions.)
   */
  public void spaceAccepted(PeerId peer, SpaceId space) {
    SyncSession s = sessions.get(peer);
    if (s != null) {
      Thread.ofVirtual().start(() -> s.accepted(space));
    }
  }

  /** Peers with a running sync session. */
  public Set<PeerId> peers() {
    return Set.copyOf(sessions.keySet());
  }

  public boolean hasSession(PeerId peer) {
    return sessions.containsKey(peer);
  }

  /** Bytes reserved now by all sessions' transfers in progress (spec: at most 256 MiB). */
  public long bufferedBytes() {
    return transfers.reserved();
  }

  /** Recent protocol failures counted against {@code peer} (for diagnostics). */
  public int failures(PeerId peer) {
    return penalties.count(peer.toString());
  }

  // ---------------------------------------------------------------- package

  WikiStore store() {
    return store;
  }

  PeerId localPeer() {
    return host.peerId();
  }

  SyncAccessPolicy policy() {
    return policy;
  }

  PeerQuota quota() {
    return quota;
  }

  SyncConfig config() {
    return config;
  }

  TransferBudget transferBudget() {
    return transfers;
  }

  /** Which session asks its peer for which document (shared by all sessions). */
  NeedLedger needs() {
    return needs;
  }

  /**
   * {@code stalled}'s peer stopped sending what {@code pending} asked for: ask the other peers that
   * offer those spaces (spec, "Stalled transfers").
   */
  void askElsewhere(SyncSession stalled, List<SyncFrame.Need> pending) {
    if (pending.isEmpty()) {
      return;
    }
    for (SyncSession s : sessions.values()) {
      if (s != stalled) {
        Thread.ofVirtual()
            .name("sync-ask " + s.remote)
            .start(
                () -> {
                  for (SyncFrame.Need n : pending) {
                    s.askAgain(n);
                  }
                });
      }
    }
  }

  void progress(PeerId peer, String docId, boolean receiving, long done, long total) {
    for (SyncListener l : listeners) {
      try {
        l.snapshotProgress(peer, docId, receiving, done, total);
      } catch (RuntimeException e) {
        LOG.warn("A sync listener failed", e);
      }
    }
  }

  /**
   * Counts a protocol failure of {@code peer}; at the limit within the window the peer is blocked
   * and its connections closed. Public for the other protocols of a node (a wrong attachment chunk
   * counts like bad sync data).
   */
  public void penalize(PeerId peer, String reason) {
    if (!penalties.fail(peer.toString())) {
      return;
    }
    String why =
        "Sent bad sync data "
            + config.failuresBeforeBlock()
            + " times within "
            + config.failureWindow().toMinutes()
            + " minutes (last: "
            + reason
            + ")";
    LOG.warn("Blocking {}: {}", peer, why);
    try {
      blocker.block(peer, why);
    } catch (RuntimeException e) {
      LOG.warn("Blocking {} failed", peer, e);
    }
    for (SyncListener l : listeners) {
      try {
        l.peerBlocked(peer, why);
      } catch (RuntimeException e) {
        LOG.warn("A sync listener failed", e);
      }
    }
    SyncSession s = sessions.get(peer);
    if (s != null) {
      s.abort("blocked");
    }
    for (Connection c : host.connectionManager().connections(peer)) {
      c.close();
    }
  }

  /**
   * A session on {@code c} ended by a local fault (the store could not take the peer's input: the
   * database, the disk, the sandbox): nothing is held against the peer, and a new session is opened
   * on the same connection after a while (if it is still up and no other has started), in which the
   * peer sends again what was not applied.
   */
  void retryAfterLocalFault(Connection c) {
    Thread.ofVirtual()
        .name("sync-retry " + c.remotePeer())
        .start(
            () -> {
              try {
                Thread.sleep(localFaultRetry.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              if (running && c.isOpen() && !sessions.containsKey(c.remotePeer())) {
                open(c);
              }
            });
  }

  /** Sets the delay of {@link #retryAfterLocalFault} (tests). */
  void setLocalFaultRetry(Duration delay) {
    localFaultRetry = delay;
  }

  void ended(SyncSession s, String reason) {
    if (sessions.remove(s.remote, s)) {
      LOG.debug("Sync session with {} ended: {}", s.remote, reason);
      for (SyncListener l : listeners) {
        try {
          l.sessionEnded(s.remote, reason);
        } catch (RuntimeException e) {
          LOG.warn("A sync listener failed", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- sessions

  private void changed(DocumentRef doc) {
    for (SyncSession s : sessions.values()) {
      s.changed(doc);
    }
  }

  /**
   * A connection to a peer closed while another stays open (a relayed connection replaced by a
   * direct one, see {@code org.dure.net.dcutr}): the session that ran on it moves to the other; the
   * side that dialled the other connection opens it, as on any new connection.
   */
  private void moveFrom(Connection closed) {
    PeerId peer = closed.remotePeer();
    SyncSession s = sessions.get(peer);
    if (s != null && s.stream.connection() != closed) {
      return; // the session already runs elsewhere
    }
    for (Connection other : host.connectionManager().connections(peer)) {
      if (other != closed && other.acceptsNewStreams() && other.direction() == Direction.OUTBOUND) {
        long end = System.nanoTime() + 2_000_000_000L;
        while (sessions.get(peer) == s && s != null && System.nanoTime() < end) {
          try {
            Thread.sleep(10); // the old session ends with its connection's streams
          } catch (InterruptedException e) {
            return;
          }
        }
        if (running && !sessions.containsKey(peer)) {
          open(other);
        }
        return;
      }
    }
  }

  private void open(Connection c) {
    if (!running || isBlocked(c.remotePeer())) {
      return;
    }
    Stream stream;
    try {
      stream = c.newStream(PROTOCOL);
    } catch (IOException e) {
      LOG.debug("{} does not sync with us: {}", c.remotePeer(), e.toString());
      return;
    }
    run(stream, true);
  }

  private void accept(Stream stream) {
    if (!running || isBlocked(stream.remotePeer())) {
      stream.reset();
      return;
    }
    run(stream, false);
  }

  private boolean isBlocked(PeerId peer) {
    return store.blockedPeers().containsKey(peer);
  }

  private void run(Stream stream, boolean dialer) {
    SyncSession s = new SyncSession(this, stream, dialer);
    if (!register(s)) {
      LOG.debug("A sync session with {} is already up; closing the other", s.remote);
      try {
        stream.close();
      } catch (IOException e) {
        stream.reset();
      }
      return;
    }
    LOG.debug(
        "Sync session with {} started ({}, {} connection)",
        s.remote,
        dialer ? "opened here" : "opened there",
        stream.connection().kind());
    for (SyncListener l : listeners) {
      try {
        l.sessionStarted(s.remote);
      } catch (RuntimeException e) {
        LOG.warn("A sync listener failed", e);
      }
    }
    s.run();
  }

  /**
   * At most one session per peer. Of two sessions on connections dialled by the same side the newer
   * wins (a reconnect); when both sides dialled at once, both keep the one dialled by the smaller
   * peer ID, so they agree without talking.
   */
  private boolean register(SyncSession s) {
    SyncSession[] replaced = new SyncSession[1];
    boolean[] won = new boolean[1];
    sessions.compute(
        s.remote,
        (peer, old) -> {
          if (old == null || old.dialer == s.dialer || preferred(s)) {
            replaced[0] = old;
            won[0] = true;
            // Under the same lock as the registration: the newest registered session holds the
            // store's current token even if a replaced one's thread only starts running later.
            s.beginInStore();
            return s;
          }
          return old;
        });
    Optional.ofNullable(replaced[0]).ifPresent(SyncSession::replace);
    return won[0];
  }

  private boolean preferred(SyncSession s) {
    PeerId dialerId = s.dialer ? host.peerId() : s.remote;
    PeerId other = s.dialer ? s.remote : host.peerId();
    return dialerId.compareTo(other) < 0;
  }
}
