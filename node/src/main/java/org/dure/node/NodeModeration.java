package org.dure.node;

import java.time.Clock;
import org.dure.moderation.Blocklist;
import org.dure.moderation.MembershipPolicy;
import org.dure.moderation.Mutes;
import org.dure.moderation.Resources;
import org.dure.moderation.SpaceModerator;
import org.dure.store.WikiStore;

/**
 * The moderation policies of one node, made once on its store: {@link DureNode} makes them and
 * hands them to the {@link PeerNode}, which plugs them into the network while online.
 */
record NodeModeration(
    Blocklist blocklist,
    SpaceModerator moderator,
    Mutes mutes,
    Resources resources,
    MembershipPolicy membership) {

  /** The policies on {@code store}; muted peers' edits are left out of its activity feed. */
  static NodeModeration on(WikiStore store, Clock clock) {
    Blocklist blocklist = new Blocklist(store);
    Mutes mutes = new Mutes(store);
    store.activity().setHideAuthor(mutes::isMuted);
    return new NodeModeration(
        blocklist,
        new SpaceModerator(store),
        mutes,
        new Resources(store, clock),
        new MembershipPolicy(store, blocklist));
  }
}
