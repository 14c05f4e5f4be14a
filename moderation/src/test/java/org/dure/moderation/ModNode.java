package org.dure.moderation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.net.sync.SyncService;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * A test node wired as the app wires one: store, blocklist gater, {@link MembershipPolicy}, sync,
 * {@link SpaceModerator}. A malicious node instead runs a policy that offers and sends everything
 * and applies whatever it receives (and its user edits its store directly, past the moderator's
 * checks): an honest-looking peer that ignores every rule.
 */
final class ModNode implements AutoCloseable {
  final WikiStore store;
  final Blocklist blocklist;
  final SyncAccessPolicy policy;
  final Host host;
  final SyncService sync;
  final SpaceModerator moderator;

  ModNode(Path dir, boolean malicious) throws IOException {
    this(dir, malicious, java.time.Clock.systemUTC());
  }

  /** A node whose store writes the times of {@code clock} (a modified node may back-date). */
  ModNode(Path dir, boolean malicious, java.time.Clock clock) throws IOException {
    store = WikiStore.open(dir, org.dure.store.StoreOptions.defaults().withClock(clock));
    store.sync().setSandbox(snapshot -> {}); // isolation is not what these tests check
    blocklist = new Blocklist(store);
    policy = malicious ? new AnythingGoes(store) : new MembershipPolicy(store, blocklist);
    host =
        Host.builder()
            .identity(store.identity().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .gater(blocklist)
            .build()
            .start();
    sync = new SyncService(host, store, policy);
    sync.setBlocker(blocklist::block);
    sync.start();
    moderator = new SpaceModerator(store);
  }

  /**
   * Records, from now on, the reasons this node gives when it leaves a peer's changes out by the
   * space's rules ({@link org.dure.net.sync.PeerQuota#changesRefused}): peer → reasons.
   */
  java.util.Map<PeerId, java.util.Set<String>> recordRefusals() {
    java.util.Map<PeerId, java.util.Set<String>> refused =
        new java.util.concurrent.ConcurrentHashMap<>();
    sync.setQuota(
        new org.dure.net.sync.PeerQuota() {
          @Override
          public void changesRefused(PeerId peer, SpaceId space, String reason) {
            refused
                .computeIfAbsent(peer, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .add(reason);
          }
        });
    return refused;
  }

  String peer() {
    return host.peerId().toString();
  }

  PeerId id() {
    return host.peerId();
  }

  Multiaddr address() {
    return host.listenAddresses().get(0);
  }

  Connection dial(ModNode other) throws IOException {
    return host.dial(other.address());
  }

  /** Closes every connection with {@code other} (as if the network between them went down). */
  void disconnect(ModNode other) {
    for (Connection c : host.connectionManager().connections(other.id())) {
      c.close();
    }
  }

  /** Adds {@code other} with {@code role} (as this node's user), and {@code other} accepts. */
  void share(SpaceId space, ModNode other, Role role) {
    moderator.setRole(space, other.id(), role);
    other.store.invites().join(space, id());
  }

  @Override
  public void close() {
    sync.close();
    host.stop();
    store.close();
  }

  /** Offers every space it holds to anyone, and applies and sends every change. */
  static final class AnythingGoes implements SyncAccessPolicy {
    private final WikiStore store;

    AnythingGoes(WikiStore store) {
      this.store = store;
    }

    @Override
    public Set<SpaceId> spacesFor(PeerId peer) {
      return Set.copyOf(store.spaces().stream().map(s -> s.id()).toList());
    }

    @Override
    public boolean acceptsSpace(PeerId peer, SpaceId space) {
      return true;
    }
  }
}
