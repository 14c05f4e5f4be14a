package org.dure.net.sync;

/**
 * The bytes all sessions of a node may hold for incoming transfers in parts (sync messages in
 * SYNC_PARTs, snapshots), reserved by declared total at a transfer's first frame and released when
 * it ends. Thread-safe.
 */
final class TransferBudget {
  private final long cap;
  private long reserved;

  TransferBudget(long cap) {
    this.cap = cap;
  }

  /** Reserves {@code bytes} if they fit under the cap; whether they did. */
  synchronized boolean reserve(long bytes) {
    if (bytes < 0 || reserved + bytes > cap) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  synchronized void release(long bytes) {
    reserved = Math.max(0, reserved - bytes);
  }

  /** Bytes reserved now. */
  synchronized long reserved() {
    return reserved;
  }

  long cap() {
    return cap;
  }
}
