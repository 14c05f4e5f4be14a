package org.dure.net.sync;

import org.dure.store.format.SyncMessagePeek;
import org.dure.store.wiki.SpaceId;

/** Small facts about the store's formats the protocol needs. */
final class SyncMessages {

  private SyncMessages() {}

  /** See {@link SyncMessagePeek#carriesChanges}. */
  static boolean carriesChanges(byte[] msg) {
    return SyncMessagePeek.carriesChanges(msg);
  }

  /** The id of a space's membership document (derived from the space's, the same everywhere). */
  static String membershipDocId(SpaceId space) {
    return org.dure.store.WikiStore.membershipDocId(space);
  }

  /** The id of a space's moderation document (reports and log), derived likewise. */
  static String moderationDocId(SpaceId space) {
    return org.dure.store.WikiStore.moderationDocId(space);
  }
}
