package org.dure.store.format;

/**
 * How much a sync message carries, for rate limits: its change chunks (plain, compressed, or whole
 * documents in the 0x43 form), their total and largest size in bytes. Read by walking the message's
 * framing only (heads, needs, haves, then each entry's chunk headers), under the same bounds as
 * {@link AutomergeFormat#validateSyncMessage}; it neither inflates nor checks checksums, which the
 * full validation does before anything is applied.
 *
 * @param chunks change or document chunks in the message
 * @param chunkBytes their total size, headers included, as sent (compressed if so)
 * @param largestChunk the size of the largest one
 */
public record SyncMessageStats(int chunks, long chunkBytes, long largestChunk) {
  public static final SyncMessageStats NONE = new SyncMessageStats(0, 0, 0);

  /**
   * Reads the counts from a sync message.
   *
   * @throws InvalidAutomergeDataException if the framing is malformed or exceeds the limits
   */
  public static SyncMessageStats of(byte[] message) throws InvalidAutomergeDataException {
    Limits limits = Limits.defaults();
    if (message.length > limits.maxTotalBytes()) {
      throw new InvalidAutomergeDataException(
          message.length + " bytes exceed the limit of " + limits.maxTotalBytes(), 0);
    }
    ByteInput in = ByteInput.of(message);
    int type = in.u8("sync message type");
    if (type != SyncMessageValidator.V1 && type != SyncMessageValidator.V2) {
      throw in.failAt(0, "not a sync message: type byte " + type);
    }
    skipHashes(in, limits, "heads");
    skipHashes(in, limits, "need");
    int haves = in.count(limits.maxHaves(), 2, "have count");
    for (int i = 0; i < haves; i++) {
      skipHashes(in, limits, "have last sync");
      int len = (int) in.ulebAtMost(limits.maxBloomBytes(), "bloom filter length");
      in.skip(len, "bloom filter");
    }
    int entries = in.count(limits.maxChanges(), 1, "change count");
    int chunks = 0;
    long total = 0;
    long largest = 0;
    for (int i = 0; i < entries; i++) {
      long len = in.ulebAtMost(Integer.MAX_VALUE, "change length");
      ByteInput entry = in.slice((int) len, "change");
      while (!entry.atEnd()) {
        int start = entry.pos();
        entry.skip(9, "chunk header"); // magic, checksum, type
        long body = entry.ulebAtMost(entry.remaining(), "chunk length");
        entry.skip(body, "chunk body");
        long size = entry.pos() - start;
        if (++chunks > limits.maxChunks()) {
          throw entry.fail("more than " + limits.maxChunks() + " chunks");
        }
        total += size;
        largest = Math.max(largest, size);
      }
    }
    return new SyncMessageStats(chunks, total, largest);
  }

  private static void skipHashes(ByteInput in, Limits limits, String what)
      throws InvalidAutomergeDataException {
    int n = in.count(limits.maxHashes(), 32, what + " count");
    in.skip(32L * n, what);
  }
}
