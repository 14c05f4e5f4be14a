package org.dure.moderation;

import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import org.dure.net.peer.PeerId;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.DamagedDocumentException;
import org.dure.store.Role;
import org.dure.store.SpaceId;
import org.dure.store.WikiStore;

/**
 * Who sees and writes a space (version 1 of {@code docs/protocol/sync.md}): a space is offered to
 * its members only; a space not held yet is taken only from the peer whose invite the user
 * accepted; changes are applied from owners, moderators and editors, not from readers. A blocked
 * peer gets nothing.
 */
public final class MembershipPolicy implements SyncAccessPolicy {
  private final WikiStore store;
  private final Blocklist blocklist;

  public MembershipPolicy(WikiStore store, Blocklist blocklist) {
    this.store = store;
    this.blocklist = blocklist;
  }

  @Override
  public Set<SpaceId> spacesFor(PeerId peer) {
    if (blocklist.isBlocked(peer.toString())) {
      return Set.of();
    }
    return new LinkedHashSet<>(store.sync().spacesSharedWith(peer.toString()));
  }

  @Override
  public boolean acceptsSpace(PeerId peer, SpaceId space) {
    return !blocklist.isBlocked(peer.toString()) && store.invites().joined(space, peer.toString());
  }

  @Override
  public boolean mayWrite(PeerId peer, SpaceId space) {
    if (blocklist.isBlocked(peer.toString())) {
      return false;
    }
    try {
      return store
          .membership(space)
          .roleOf(peer.toString())
          .map(r -> r != Role.READER)
          .orElse(false);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      // The membership has not arrived yet: the inviter we joined through is trusted for it.
      return store.invites().joined(space, peer.toString());
    }
  }
}
