package org.dure.moderation;

import org.dure.store.wiki.SpaceId;

/** What this computer keeps for others: {@link StorageForOthers} computes it from the store. */
public interface HeldForOthers {
  /** Whether {@code space} is one of mine (I own it); a space not held yet is not. */
  boolean isMine(SpaceId space);

  /** Bytes of the spaces held here that I do not own (may be a few seconds old). */
  long bytes();
}
