package org.dure.node;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.blobs.BlobConfig;
import org.dure.net.blobs.BlobService;
import org.dure.net.host.Host;
import org.dure.net.host.Reconnector;
import org.dure.net.invite.InviteService;
import org.dure.net.mdns.MdnsDiscovery;
import org.dure.net.mdns.MdnsListener;
import org.dure.net.presence.PresenceService;
import org.dure.net.sync.SyncListener;
import org.dure.net.sync.SyncService;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs while a node is online: the started host and the protocols on it (invites, presence of
 * friends, who has which page open, reconnecting to members, sync, attachments, relaying, AutoNAT
 * and hole punching, LAN discovery and the DHT as configured). Made by {@link PeerNode} when it
 * goes online and closed, in reverse order, when it goes offline.
 */
final class OnlineSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineSession.class);

  final Host host;
  final InviteService invites;
  final SyncService sync;
  final BlobService blobs;
  final PresenceService presence;
  final NatTraversal nat;
  private final Reconnector reconnector;
  private final NodeModeration moderation;
  private final MdnsDiscovery mdns;

  /** The DHT wiring, or null when the DHT is off. */
  final DhtReach dht;

  private OnlineSession(
      Host host,
      InviteService invites,
      Reconnector reconnector,
      SyncService sync,
      BlobService blobs,
      PresenceService presence,
      NatTraversal nat,
      MdnsDiscovery mdns,
      DhtReach dht,
      NodeModeration moderation) {
    this.host = host;
    this.invites = invites;
    this.reconnector = reconnector;
    this.sync = sync;
    this.blobs = blobs;
    this.presence = presence;
    this.nat = nat;
    this.mdns = mdns;
    this.dht = dht;
    this.moderation = moderation;
  }

  /**
   * Starts the protocols on {@code host} (already listening).
   *
   * @param wanted the peers to stay connected to (members of this computer's spaces)
   * @param progress told of snapshot progress (transfers, spaces arriving)
   * @param lan told of nodes announcing themselves on the LAN, when LAN discovery is on
   * @param blobStore the attachments served to members and fetched from them
   */
  static OnlineSession start(
      Host host,
      WikiStore store,
      BlobStore blobStore,
      NodeModeration moderation,
      NodeConfig config,
      Supplier<Set<PeerId>> wanted,
      List<SyncListener> progress,
      MdnsListener lan) {
    InviteService invites = new InviteService(host, store, Clock.systemUTC()).start();
    host.addConnectionListener(new FriendPresence(store.friends(), Clock.systemUTC()));
    Reconnector reconnector = new Reconnector(host, wanted, Duration.ofSeconds(5));
    SyncService sync = new SyncService(host, store, moderation.membership());
    // Relaying (for members of my spaces; anyone with "help others" on), relay reservations
    // (members first), AutoNAT under the same consent, and hole punching.
    NatTraversal nat =
        new NatTraversal(
            host,
            moderation.resources().relayPolicy(moderation.membership(), moderation.blocklist()),
            p -> !moderation.blocklist().isBlocked(p),
            Comparator.comparing((PeerId p) -> !wanted.get().contains(p)));
    sync.setBlocker(moderation.blocklist()::block);
    sync.setQuota(moderation.resources().limits());
    moderation.resources().attach(host);
    progress.forEach(sync::addListener);
    sync.start();
    // Attachments: served to members of a space they are held for; a wrong chunk counts as bad
    // data like a sync failure.
    BlobService blobs =
        new BlobService(
                host,
                blobStore,
                moderation.resources().blobPolicy(moderation.membership()),
                BlobConfig.defaults())
            .start();
    blobs.setPenalizer(sync::penalize);
    // Who has which page open, told to members of its space only.
    PresenceService presence =
        new PresenceService(host, peer -> moderation.membership().spacesFor(peer)).start();
    MdnsDiscovery mdns = null;
    if (config.lanDiscovery()) {
      try {
        mdns = MdnsDiscovery.start(host.peerId(), host::listenAddresses, lan);
      } catch (IOException | RuntimeException e) {
        LOG.info("LAN discovery is off: {}", e.toString());
      }
    }
    DhtReach dht = null;
    if (config.dht() != null) {
      // AutoNAT decides the DHT's server mode; the DHT's peers are relay candidates.
      dht =
          DhtReach.start(
              host,
              store,
              moderation.blocklist(),
              moderation.resources(),
              config.dht(),
              nat.reachability());
      nat.setRelayCandidates(dht::relayCandidates);
    }
    LOG.info("Online as {} on {}", host.peerId(), host.listenAddresses());
    return new OnlineSession(
        host, invites, reconnector, sync, blobs, presence, nat, mdns, dht, moderation);
  }

  /** Stops the protocols, then the host. */
  @Override
  public void close() {
    if (mdns != null) {
      mdns.close();
    }
    if (dht != null) {
      dht.close();
    }
    presence.close();
    blobs.close();
    sync.close();
    nat.close();
    reconnector.close();
    host.close();
    moderation.resources().detach();
  }
}
