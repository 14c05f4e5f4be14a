package org.dure.store.format;

/**
 * Quick looks into an Automerge sync message without validating it: whether it carries changes, and
 * the same message without them. Only peeks: whatever is applied is validated fully first.
 */
public final class SyncMessagePeek {

  private SyncMessagePeek() {}

  /**
   * Whether an Automerge sync message carries changes (the count after heads, need and haves), or
   * cannot be read far enough to tell (then it is treated as carrying some). Only a peek: the store
   * validates the message fully before using it.
   */
  public static boolean carriesChanges(byte[] msg) {
    int[] pos = {1};
    try {
      if (msg.length < 1 || (msg[0] != 0x42 && msg[0] != 0x43)) {
        return true;
      }
      skipHashes(msg, pos); // heads
      skipHashes(msg, pos); // need
      long haves = uleb(msg, pos);
      for (long i = 0; i < haves; i++) {
        skipHashes(msg, pos); // last sync
        skip(msg, pos, uleb(msg, pos)); // bloom filter
      }
      return uleb(msg, pos) != 0;
    } catch (IndexOutOfBoundsException e) {
      return true;
    }
  }

  /**
   * The same sync message without its changes (count 0), so that what a peer that may not write
   * says about its heads, needs and haves is still heard while its changes are not applied; {@code
   * null} if the message cannot be read far enough. For the 0x43 form, the fields after the changes
   * are kept.
   */
  public static byte[] withoutChanges(byte[] msg) {
    int[] pos = {1};
    try {
      if (msg.length < 1 || (msg[0] != 0x42 && msg[0] != 0x43)) {
        return null;
      }
      skipHashes(msg, pos); // heads
      skipHashes(msg, pos); // need
      long haves = uleb(msg, pos);
      for (long i = 0; i < haves; i++) {
        skipHashes(msg, pos);
        skip(msg, pos, uleb(msg, pos));
      }
      int changesAt = pos[0];
      long changes = uleb(msg, pos);
      for (long i = 0; i < changes; i++) {
        skip(msg, pos, uleb(msg, pos));
      }
      int tail = msg.length - pos[0];
      byte[] out = new byte[changesAt + 1 + tail];
      System.arraycopy(msg, 0, out, 0, changesAt);
      out[changesAt] = 0; // no changes
      System.arraycopy(msg, pos[0], out, changesAt + 1, tail);
      return out;
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  /**
   * The change chunks a sync message carries, in order, as they are in the message (each may hold
   * one change or several); {@code null} if the message cannot be read far enough. Only a peek.
   */
  public static java.util.List<byte[]> changes(byte[] msg) {
    int[] pos = {1};
    try {
      if (msg.length < 1 || (msg[0] != 0x42 && msg[0] != 0x43)) {
        return null;
      }
      skipHashes(msg, pos); // heads
      skipHashes(msg, pos); // need
      long haves = uleb(msg, pos);
      for (long i = 0; i < haves; i++) {
        skipHashes(msg, pos);
        skip(msg, pos, uleb(msg, pos));
      }
      long changes = uleb(msg, pos);
      java.util.List<byte[]> out = new java.util.ArrayList<>();
      for (long i = 0; i < changes; i++) {
        long length = uleb(msg, pos);
        int at = pos[0];
        skip(msg, pos, length);
        out.add(java.util.Arrays.copyOfRange(msg, at, pos[0]));
      }
      return out;
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static void skipHashes(byte[] msg, int[] pos) {
    long n = uleb(msg, pos);
    if (n > msg.length / 32) {
      throw new IndexOutOfBoundsException();
    }
    skip(msg, pos, n * 32);
  }

  private static void skip(byte[] msg, int[] pos, long n) {
    if (n < 0 || n > msg.length - pos[0]) {
      throw new IndexOutOfBoundsException();
    }
    pos[0] += (int) n;
  }

  private static long uleb(byte[] msg, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = msg[pos[0]++] & 0xFF; // IndexOutOfBounds at the end
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IndexOutOfBoundsException();
  }
}
