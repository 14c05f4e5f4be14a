package org.dure.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.nat.PortMapperConfig;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobStore;
import org.dure.store.doc.PrivateFiles;

/**
 * One Dure node, put together in one place: the store (with its first space), the moderation
 * policies on it, the attachments ({@link Attachments}), the {@link PeerNode} (host, invites, sync,
 * NAT traversal, LAN discovery, DHT and port mapping as configured) and the watcher of @mentions.
 * The web application's Spring configuration, {@code --headless}, and the tests all make their node
 * here, so each runs the same parts.
 *
 * <pre>{@code
 * try (DureNode node = DureNode.open(dataDir).p2pPort(0).start()) {
 *   node.peer().createInvite(...);
 * }
 * }</pre>
 */
public final class DureNode implements AutoCloseable {
  private final WikiStore store;
  private final boolean ownsStore;
  private final NodeModeration moderation;
  private final PeerNode peer;
  private final Attachments attachments;
  private final Path dataDir;
  private boolean started;

  private DureNode(WikiStore store, boolean ownsStore, Path dataDir, NodeConfig config) {
    this.dataDir = dataDir;
    this.store = store;
    this.ownsStore = ownsStore;
    this.moderation = NodeModeration.on(store, Clock.systemUTC());
    BlobStore blobs = Attachments.openStore(dataDir);
    moderation.resources().storage().countBlobs(blobs);
    this.peer = new PeerNode(store, blobs, moderation, dataDir, config);
    this.attachments = new Attachments(store, blobs, peer, dataDir);
    // Storage held for others shrinks at once when unreferenced attachments are deleted.
    attachments.afterCollection(() -> moderation.resources().storage().countBlobs(blobs));
  }

  /**
   * A node on the store in {@code dataDir} (made if missing, owner-only), which it opens and
   * closes.
   */
  public static Builder open(Path dataDir) {
    return new Builder(dataDir.toAbsolutePath().normalize(), null);
  }

  /**
   * A node on {@code store}, opened and closed by the caller (tests that look into the store around
   * the node), keeping its peer files in {@code dataDir}.
   */
  public static Builder on(WikiStore store, Path dataDir) {
    return new Builder(Objects.requireNonNull(dataDir, "dataDir"), Objects.requireNonNull(store));
  }

  /** The data directory (absolute for {@link #open}). */
  public Path dataDir() {
    return dataDir;
  }

  /** The wiki store. */
  public WikiStore store() {
    return store;
  }

  /** The network side: online and offline, invites, connections, moderation policies. */
  public PeerNode peer() {
    return peer;
  }

  /** The attachments of pages ({@code docs/protocol/blobs.md}). */
  public Attachments attachments() {
    return attachments;
  }

  /**
   * Starts the node's threads: the watcher of @mentions and the peer (online unless the offline
   * switch is on). Does nothing the second time.
   */
  public synchronized DureNode start() {
    if (started) {
      return this;
    }
    started = true;
    watchMentions(store);
    peer.start();
    attachments.start();
    return this;
  }

  /**
   * Raises notifications for mentions of this node in pages that arrive from peers: of its peer ID,
   * or of its display name from its profile.
   */
  private static void watchMentions(WikiStore store) {
    PeerId me = store.identity().peerId();
    store
        .mentions()
        .watch(
            () ->
                store
                    .profiles()
                    .profile(me)
                    .map(p -> p.name().strip())
                    .filter(n -> !n.isEmpty())
                    .map(Set::of)
                    .orElse(Set.of()));
  }

  /** Stops the peer, then the policies' bookkeeping, then (when it opened it) the store. */
  @Override
  public void close() {
    try {
      attachments.close();
      peer.close();
      moderation.resources().close();
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }

  /** What the node listens on and runs; defaults are those of {@code ./dure} without options. */
  public static final class Builder {
    private final Path dataDir;
    private final WikiStore store;
    private StoreOptions storeOptions = StoreOptions.defaults();
    private int port = -1;
    private List<String> listen = List.of();
    private boolean lanDiscovery;
    private PortMapperConfig portMapping;
    private DhtReach.Options dht;

    private Builder(Path dataDir, WikiStore store) {
      this.dataDir = dataDir;
      this.store = store;
    }

    /** How to open the store (the application's sandbox command); only for {@link #open}. */
    public Builder storeOptions(StoreOptions options) {
      this.storeOptions = Objects.requireNonNull(options);
      return this;
    }

    /**
     * The TCP port to listen on for peers: -1 (the default) for {@link PeerNode#DEFAULT_P2P_PORT}
     * or any free one if that is taken; 0 for any free port.
     */
    public Builder p2pPort(int port) {
      if (port < -1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Multiaddrs to listen on ({@code --listen}); when not empty they replace the port.
     *
     * @throws IllegalArgumentException for a malformed multiaddr
     */
    public Builder listen(List<String> addresses) {
      this.listen = new NodeConfig(port, addresses, false, null, null).listen();
      return this;
    }

    /**
     * Also finds other Dure nodes on the local network (libp2p mDNS) while online, and lets them
     * find this one. Off by default (tests and tools); the application turns it on.
     */
    public Builder lanDiscovery(boolean on) {
      this.lanDiscovery = on;
      return this;
    }

    /**
     * Also asks the home router to forward the peer port (NAT-PMP, then UPnP) while online and
     * while the setting {@code network.portMapping} is on, and advertises the forwarded address.
     * Off by default (tests and tools); the application turns it on.
     */
    public Builder portMapping(PortMapperConfig config) {
      this.portMapping = Objects.requireNonNull(config);
      return this;
    }

    /**
     * Also runs the Kademlia DHT while online ({@link DhtReach}): peers are found by ID and lost
     * members through rendezvous records; null (the default: tests and tools) for none. The
     * application turns it on unless {@code --no-dht}.
     */
    public Builder dht(DhtReach.Options options) {
      this.dht = options;
      return this;
    }

    /**
     * The node put together but not started (no thread runs, it is offline): for a look at it, or
     * to change settings before {@link DureNode#start()}. Opens the store for {@link #open} and
     * makes its first space ("My wiki" with a welcome page) if it has none.
     *
     * @throws UncheckedIOException when the data directory cannot be made
     */
    public DureNode build() {
      NodeConfig config = new NodeConfig(port, listen, lanDiscovery, portMapping, dht);
      WikiStore s = store;
      if (s == null) {
        try {
          PrivateFiles.directory(dataDir);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        s = WikiStore.open(dataDir, storeOptions);
      }
      try {
        s.defaultSpace();
        return new DureNode(s, store == null, dataDir, config);
      } catch (RuntimeException e) {
        if (store == null) {
          s.close();
        }
        throw e;
      }
    }

    /** {@link #build()}, then {@link DureNode#start()}. */
    public DureNode start() {
      DureNode node = build();
      try {
        return node.start();
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
    }
  }
}
