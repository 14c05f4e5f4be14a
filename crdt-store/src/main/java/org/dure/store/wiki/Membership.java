package org.dure.store.wiki;

import java.util.Map;
import java.util.Optional;
import org.dure.identity.PeerId;

/**
 * Who belongs to a space, as its membership document says.
 *
 * @param owner the peer ID of the space's creator
 * @param members every member's peer ID and role (the owner included)
 */
public record Membership(SpaceId space, PeerId owner, Map<PeerId, Role> members) {
  public Membership {
    members = Map.copyOf(members);
  }

  /** The role of {@code peerId}, if it is a member. */
  public Optional<Role> roleOf(PeerId peerId) {
    if (owner.equals(peerId)) {
      return Optional.of(Role.OWNER);
    }
    return Optional.ofNullable(members.get(peerId));
  }

  public boolean isMember(PeerId peerId) {
    return roleOf(peerId).isPresent();
  }
}
