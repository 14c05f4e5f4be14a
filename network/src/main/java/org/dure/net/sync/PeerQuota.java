package org.dure.net.sync;

import java.time.Duration;
import org.dure.identity.PeerId;
import org.dure.store.format.SyncMessageStats;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/**
 * Per-peer quotas on what a sync session takes in: the hook the moderation layer implements (its
 * rate limits). Asked on each session's reader thread before the input is used; implementations
 * must be thread-safe and quick. On {@link Verdict#throttle} the reader stops reading that peer's
 * stream for the given time and then goes on (backpressure: the peer's Yamux window fills and it
 * waits; nothing is buffered or lost); on {@link Verdict#reject} the stream is reset and the peer
 * penalised (as for bad data); on {@link Verdict#decline} the input is not taken in this session,
 * without penalty (e.g. the storage kept for others is full). The default accepts everything.
 */
public interface PeerQuota {
  PeerQuota UNLIMITED = new PeerQuota() {};

  /** What to do with one input. */
  record Verdict(Kind kind, Duration delay, String reason) {
    public enum Kind {
      ACCEPT,
      THROTTLE,
      REJECT,
      DECLINE
    }

    public static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, Duration.ZERO, "");

    public static Verdict throttle(Duration wait, String reason) {
      return wait.isZero() || wait.isNegative() ? ACCEPT : new Verdict(Kind.THROTTLE, wait, reason);
    }

    public static Verdict reject(String reason) {
      return new Verdict(Kind.REJECT, Duration.ZERO, reason);
    }

    /** The input is left out, without penalty (only {@link #changes} declines). */
    public static Verdict decline(String reason) {
      return new Verdict(Kind.DECLINE, Duration.ZERO, reason);
    }
  }

  /**
   * A sync message of {@code bytes} is arriving from {@code peer} (asked when its size is first
   * known: for a message in parts, at its first part, before the rest is read).
   */
  default Verdict messageSize(PeerId peer, long bytes) {
    return Verdict.ACCEPT;
  }

  /**
   * A sync message about a document of {@code space} carrying changes, before it is applied (the
   * stats count its changes, their sizes as sent and inflated, and their operations). A decline
   * leaves the whole message out.
   */
  default Verdict changes(PeerId peer, SpaceId space, SyncMessageStats stats) {
    return Verdict.ACCEPT;
  }

  /**
   * A snapshot of a document not held here starts arriving ({@code bytes} in all), before its
   * chunks are read. {@code created} is true for a page that a sync message listed as new in its
   * space's index during this session (created now, or while apart), false for one that was already
   * listed when the session started or the space arrived (catching up, e.g. joining a space or
   * resuming a cut-off sync), which a per-hour rate should not slow down.
   */
  default Verdict newDocument(
      PeerId peer, SpaceId space, DocumentRef.Kind kind, long bytes, boolean created) {
    return Verdict.ACCEPT;
  }

  /**
   * While a session is paused by a throttle, asked about every half second: how much longer to
   * pause (the pause ends at the earlier of this and the throttle's own delay), so that a limit
   * raised meanwhile takes effect at once. The default ends the pause at the next ask.
   */
  default Duration throttledFor(PeerId peer) {
    return Duration.ZERO;
  }

  /**
   * Changes {@code peer} sent about a document of {@code space} were left out because the space's
   * rules do not let them in ({@code reason}: e.g. the peer may not write there, or their author
   * may not); the rest of its input was taken and the peer is not penalised. For the record and the
   * user's notice; the default does nothing.
   */
  default void changesRefused(PeerId peer, SpaceId space, String reason) {}

  /**
   * Whether to ask {@code peer} for a document of {@code space} not held here (NEED). No: it is not
   * asked for in this session (e.g. the storage kept for others is full); nothing is penalised.
   */
  default boolean mayRequest(PeerId peer, SpaceId space, DocumentRef.Kind kind) {
    return true;
  }
}
