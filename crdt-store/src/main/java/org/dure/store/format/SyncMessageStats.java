package org.dure.store.format;

/**
 * How much a sync message carries, for rate limits: its change chunks (plain, compressed, or whole
 * documents in the 0x43 form), their total and largest size in bytes, and the operations of the
 * changes. Read by walking the message's framing (heads, needs, haves, then each entry's chunk
 * headers) and each change's header and action column ({@link ChangeOps}: a compressed change is
 * inflated as a stream, at most {@value #MAX_INFLATED} bytes for the whole message, never into one
 * buffer), under the same bounds as {@link AutomergeFormat#validateSyncMessage}; it checks no
 * checksums, which the full validation does before anything is applied.
 *
 * @param chunks change or document chunks in the message
 * @param chunkBytes their total size, headers included, as sent (compressed if so)
 * @param largestChunk the size of the largest one as sent
 * @param ops operations in all its changes
 * @param largestOps operations in the change with the most
 * @param largestInflated the largest change body once inflated (as sent for an uncompressed one)
 */
public record SyncMessageStats(
    int chunks,
    long chunkBytes,
    long largestChunk,
    long ops,
    long largestOps,
    long largestInflated) {
  public static final SyncMessageStats NONE = new SyncMessageStats(0, 0, 0, 0, 0, 0);

  /** The most the compressed changes of one message may inflate to, together: 64 MiB. */
  public static final long MAX_INFLATED = 64L << 20;

  /** Stats without op counts (changes of no ops, bodies as large as sent). */
  public SyncMessageStats(int chunks, long chunkBytes, long largestChunk) {
    this(chunks, chunkBytes, largestChunk, 0, 0, largestChunk);
  }

  /**
   * Reads the counts from a sync message.
   *
   * @throws InvalidAutomergeDataException if the framing or a change's header is malformed or
   *     exceeds the limits, or its compressed changes inflate to more than {@link #MAX_INFLATED}
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
    long ops = 0;
    long largestOps = 0;
    long largestInflated = 0;
    long inflateLeft = MAX_INFLATED;
    for (int i = 0; i < entries; i++) {
      long len = in.ulebAtMost(Integer.MAX_VALUE, "change length");
      ByteInput entry = in.slice((int) len, "change");
      while (!entry.atEnd()) {
        int start = entry.pos();
        entry.skip(8, "chunk header"); // magic, checksum
        int chunkType = entry.u8("chunk type");
        long body = entry.ulebAtMost(entry.remaining(), "chunk length");
        int bodyAt = entry.skip(body, "chunk body");
        long size = entry.pos() - start;
        if (++chunks > limits.maxChunks()) {
          throw entry.fail("more than " + limits.maxChunks() + " chunks");
        }
        total += size;
        largest = Math.max(largest, size);
        ChangeOps.Count c =
            ChangeOps.count(entry.array(), bodyAt, (int) body, chunkType, inflateLeft, limits);
        if (chunkType == ChunkValidator.COMPRESSED_CHANGE) {
          inflateLeft -= c.inflatedBytes();
        }
        ops += c.ops();
        if (ops > limits.maxOps()) {
          throw entry.fail("more than " + limits.maxOps() + " operations");
        }
        largestOps = Math.max(largestOps, c.ops());
        largestInflated = Math.max(largestInflated, Math.max(size, c.inflatedBytes()));
      }
    }
    return new SyncMessageStats(chunks, total, largest, ops, largestOps, largestInflated);
  }

  private static void skipHashes(ByteInput in, Limits limits, String what)
      throws InvalidAutomergeDataException {
    int n = in.count(limits.maxHashes(), 32, what + " count");
    in.skip(32L * n, what);
  }
}
