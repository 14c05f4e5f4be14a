package org.dure.net.sync;

import java.util.Set;
import org.dure.net.peer.PeerId;
import org.dure.store.SpaceId;

/**
 * Who sees and writes what over sync: the hook the moderation layer implements. Called from sync
 * sessions' threads; implementations must be thread-safe and should be quick (they are asked on
 * every HELLO and on membership changes).
 */
public interface SyncAccessPolicy {

  /** The spaces this node offers {@code peer} (version 1: those whose membership lists it). */
  Set<SpaceId> spacesFor(PeerId peer);

  /**
   * Whether this node takes space {@code space}, which it does not hold yet, from {@code peer}
   * (version 1: the user joined it through an invite from that peer).
   */
  boolean acceptsSpace(PeerId peer, SpaceId space);

  /** Whether changes from {@code peer} to documents of {@code space} are applied. */
  boolean mayWrite(PeerId peer, SpaceId space);
}
