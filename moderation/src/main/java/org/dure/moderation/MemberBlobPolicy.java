package org.dure.moderation;

import java.util.Set;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.blobs.BlobAccessPolicy;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.wiki.SpaceId;

/**
 * Who may have an attachment ({@code docs/protocol/blobs.md}): a peer to whom this node offers one
 * of the spaces it holds the blob for, by the same membership table as sync ({@link
 * SyncAccessPolicy#spacesFor}: members, not blocked, not banned from that space). And whether this
 * node keeps a blob fetched for a space it does not own: only while the storage held for others
 * stays under its cap (Settings; 0 = no cap). Thread-safe; the settings are read at each call.
 */
public final class MemberBlobPolicy implements BlobAccessPolicy {
  private final SyncAccessPolicy spaces;
  private final StorageForOthers storage;
  private final Supplier<ResourceSettings> settings;

  public MemberBlobPolicy(
      SyncAccessPolicy spaces, StorageForOthers storage, Supplier<ResourceSettings> settings) {
    this.spaces = spaces;
    this.storage = storage;
    this.settings = settings;
  }

  @Override
  public boolean mayServe(PeerId peer, Set<SpaceId> heldFor) {
    if (heldFor.isEmpty()) {
      return false;
    }
    for (SpaceId s : spaces.spacesFor(peer)) {
      if (heldFor.contains(s)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean mayKeep(SpaceId space, long bytes) {
    if (storage.isMine(space)) {
      return true;
    }
    long capMiB = settings.get().storageForOthersMiB();
    return capMiB == 0 || storage.bytes() + bytes <= capMiB << 20;
  }
}
