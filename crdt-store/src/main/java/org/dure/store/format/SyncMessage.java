package org.dure.store.format;

/**
 * An Automerge sync message as sent or received, with what the sync protocol and the store read
 * from it worked out once: whether it {@link #carriesChanges carries changes} (read when it is
 * made), its {@link #stats} for rate limits and the same message {@link #withoutChanges} (each read
 * the first time it is asked for, then kept). Only a peek at the framing (see {@link
 * SyncMessagePeek}): whatever is applied is validated fully first. Safe to hand from one thread to
 * another.
 */
public final class SyncMessage {
  private final byte[] bytes;
  private final boolean carriesChanges;
  private SyncMessageStats stats;
  private InvalidAutomergeDataException statsError;
  private byte[] withoutChanges;
  private boolean stripped;

  private SyncMessage(byte[] bytes) {
    this.bytes = bytes;
    this.carriesChanges = SyncMessagePeek.carriesChanges(bytes);
  }

  /** The message in {@code bytes} (not copied: the caller hands them over). */
  public static SyncMessage of(byte[] bytes) {
    return new SyncMessage(bytes);
  }

  /** The message as sent (not a copy: do not change it). */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  /** See {@link SyncMessagePeek#carriesChanges}. */
  public boolean carriesChanges() {
    return carriesChanges;
  }

  /**
   * How much the message carries ({@link SyncMessageStats#of}); {@link SyncMessageStats#NONE} for a
   * message without changes.
   *
   * @throws InvalidAutomergeDataException if it cannot be read (every time it is asked)
   */
  public synchronized SyncMessageStats stats() throws InvalidAutomergeDataException {
    if (stats == null && statsError == null) {
      if (!carriesChanges) {
        stats = SyncMessageStats.NONE;
      } else {
        try {
          stats = SyncMessageStats.of(bytes);
        } catch (InvalidAutomergeDataException e) {
          statsError = e;
        }
      }
    }
    if (statsError != null) {
      throw statsError;
    }
    return stats;
  }

  /** See {@link SyncMessagePeek#withoutChanges}: null if the message cannot be read far enough. */
  public synchronized byte[] withoutChanges() {
    if (!stripped) {
      withoutChanges = SyncMessagePeek.withoutChanges(bytes);
      stripped = true;
    }
    return withoutChanges;
  }
}
