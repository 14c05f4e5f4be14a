package org.dure.net.presence;

import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;

/**
 * One announcement: the sender has page {@code page} of space {@code space} open ({@code here}) for
 * the next {@code ttlSeconds} unless it says so again, or has closed it.
 */
public record PresenceMessage(SpaceId space, PageId page, boolean here, int ttlSeconds) {
  public PresenceMessage {
    if (ttlSeconds < 1 || ttlSeconds > PresenceCodec.MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          "ttl " + ttlSeconds + " outside 1.." + PresenceCodec.MAX_TTL_SECONDS);
    }
  }
}
