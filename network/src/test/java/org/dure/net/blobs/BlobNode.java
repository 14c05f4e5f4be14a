package org.dure.net.blobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;
import org.dure.net.host.Host;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.net.sync.SyncService;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * A test node: a real store and blob store in a temporary directory, a host on 127.0.0.1, the sync
 * service (for the spaces' membership, and its penalties) and the blob service. Its blob policy is
 * version 1's, written here in test code as the moderation layer writes it in the app: a peer may
 * have a blob held for a space whose membership (as this node's store has it) lists the peer.
 */
final class BlobNode implements AutoCloseable {
  final WikiStore store;
  final BlobStore blobs;
  final Host host;
  final SyncService sync;
  final BlobService service;
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();

  BlobNode(Path dir, BlobConfig config) throws IOException {
    store = WikiStore.open(dir.resolve("store"));
    store.sync().setSandbox(snapshot -> {}); // isolation is not what these tests check
    blobs = BlobStore.open(dir.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    host =
        Host.builder()
            .identity(store.identity().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    SyncAccessPolicy membership =
        new SyncAccessPolicy() {
          @Override
          public Set<SpaceId> spacesFor(PeerId peer) {
            return Set.copyOf(store.sync().spacesSharedWith(peer));
          }

          @Override
          public boolean acceptsSpace(PeerId peer, SpaceId space) {
            return accepted.contains(peer + "/" + space.value());
          }
        };
    sync = new SyncService(host, store, membership).start();
    BlobAccessPolicy policy =
        (peer, spaces) -> spaces.stream().anyMatch(membership.spacesFor(peer)::contains);
    service = new BlobService(host, blobs, policy, config).start();
    service.setPenalizer(sync::penalize);
  }

  PeerId id() {
    return host.peerId();
  }

  /** Shares {@code space} (held here) with {@code other}, which accepts it from this node. */
  void share(SpaceId space, BlobNode other) {
    store.addMember(space, other.id(), Role.EDITOR);
    other.accepted.add(id() + "/" + space.value());
  }

  @Override
  public void close() {
    service.close();
    sync.close();
    host.stop();
    store.close();
  }
}
