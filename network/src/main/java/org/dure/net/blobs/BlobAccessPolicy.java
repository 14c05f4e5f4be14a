package org.dure.net.blobs;

import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.wiki.SpaceId;

/**
 * Who may have which blob, and which blobs this node keeps: the hook the moderation layer
 * implements. Asked on stream handler threads once per request; implementations must be thread-safe
 * and quick.
 */
public interface BlobAccessPolicy {
  /** Refuses everything: a node serves no blob until a policy says otherwise. */
  BlobAccessPolicy REFUSE_ALL = (peer, spaces) -> false;

  /**
   * Whether {@code peer} may have a blob this node holds for {@code spaces} (version 1: the peer is
   * a member, not blocked, of one of them). {@code spaces} may be empty (a blob held for no space
   * is served to nobody).
   */
  boolean mayServe(PeerId peer, Set<SpaceId> spaces);

  /**
   * Whether this node keeps {@code bytes} more of blobs for {@code space} (the storage held for
   * others may be capped). By default it does.
   */
  default boolean mayKeep(SpaceId space, long bytes) {
    return true;
  }
}
