package org.dure.net.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionGater;
import org.dure.net.host.Direction;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * A test node: a real store in a temporary directory, a host on 127.0.0.1 with the store's
 * identity, a sync service, a membership-based access policy and a blocklist gater (the moderation
 * layer's job in the app, written here in test code).
 */
final class SyncNode implements AutoCloseable {
  final WikiStore store;
  final Host host;
  final SyncService sync;
  final MembershipPolicy policy;
  final Set<PeerId> blocked = ConcurrentHashMap.newKeySet();

  /** Peers this node cannot dial directly (as if behind their home router), only via a relay. */
  final Set<PeerId> unreachable = ConcurrentHashMap.newKeySet();

  /** Addresses this node may dial (e.g. only a test proxy's); default all. */
  volatile java.util.function.Predicate<Multiaddr> dialable = a -> true;

  SyncNode(Path dir, boolean realSandbox) throws IOException {
    this(dir, realSandbox, SyncConfig.defaults());
  }

  SyncNode(Path dir, boolean realSandbox, SyncConfig config) throws IOException {
    store = WikiStore.open(dir);
    if (!realSandbox) {
      store.sync().setSandbox(snapshot -> {}); // isolation is not what these tests check
    }
    ConnectionGater gater =
        new ConnectionGater() {
          @Override
          public boolean allowDial(PeerId peer, Multiaddr address) {
            if (!dialable.test(address)) {
              return false;
            }
            if (peer != null
                && unreachable.contains(peer)
                && address.first(org.dure.net.multiaddr.Protocol.P2P_CIRCUIT) == null) {
              return false;
            }
            return peer == null || !blocked.contains(peer);
          }

          @Override
          public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
            return !blocked.contains(peer);
          }
        };
    host =
        Host.builder()
            .identity(store.identity().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .gater(gater)
            .build()
            .start();
    policy = new MembershipPolicy(store);
    sync = new SyncService(host, store, policy, config);
    sync.setBlocker(
        (peer, reason) -> {
          store.blockPeer(peer, reason);
          blocked.add(peer);
        });
    sync.start();
  }

  PeerId id() {
    return host.peerId();
  }

  Multiaddr address() {
    return host.listenAddresses().get(0);
  }

  Connection dial(SyncNode other) throws IOException {
    return host.dial(other.address());
  }

  /** Shares {@code space} (held here) with {@code other}, which accepts it from this node. */
  void share(SpaceId space, SyncNode other, Role role) {
    store.addMember(space, other.id(), role);
    other.policy.accept(id(), space);
  }

  @Override
  public void close() {
    sync.close();
    host.stop();
    store.close();
  }

  /** Version 1's policy: offer spaces whose membership lists the peer; editors and up write. */
  static final class MembershipPolicy implements SyncAccessPolicy {
    private final WikiStore store;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    MembershipPolicy(WikiStore store) {
      this.store = store;
    }

    void accept(PeerId from, SpaceId space) {
      accepted.add(from + "/" + space.value());
    }

    @Override
    public Set<SpaceId> spacesFor(PeerId peer) {
      return Set.copyOf(store.sync().spacesSharedWith(peer));
    }

    @Override
    public boolean acceptsSpace(PeerId peer, SpaceId space) {
      return accepted.contains(peer + "/" + space.value()) || store.invites().joined(space, peer);
    }

    @Override
    public boolean mayAuthor(
        PeerId author, org.dure.store.sync.DocumentRef doc, long attestedTime) {
      try {
        return store
            .membership(doc.space())
            .roleOf(author)
            .map(r -> r != Role.READER)
            .orElse(false);
      } catch (NoSuchElementException e) {
        return true; // joining: the inviter's copy is taken, every signature checked
      }
    }
  }
}
