package org.dure.store.format;

/**
 * Hard bounds applied while validating Automerge bytes. Every declared length or count is checked
 * against these (and against the bytes actually present) before anything is allocated for it.
 *
 * @param maxTotalBytes size of the whole input
 * @param maxInflatedBytes total size of all deflate-compressed chunks and columns once inflated
 * @param maxChunks chunks in the input, counting chunks nested in a sync message
 * @param maxOps operations in the whole input
 * @param maxChanges changes in the whole input (change chunks plus changes stored in documents)
 * @param maxActors actor ids in one change or document
 * @param maxActorIdBytes length of one actor id
 * @param maxColumns columns in one column list
 * @param maxStringBytes one string (map key, message, string value, mark name)
 * @param maxValueBytes one bytes value or extra-bytes field
 * @param maxHashes change hashes in one list (dependencies, heads, need, last sync)
 * @param maxHaves {@code have} entries in one sync message
 * @param maxBloomBytes one bloom filter of a sync message
 */
public record Limits(
    int maxTotalBytes,
    long maxInflatedBytes,
    int maxChunks,
    long maxOps,
    long maxChanges,
    int maxActors,
    int maxActorIdBytes,
    int maxColumns,
    int maxStringBytes,
    int maxValueBytes,
    int maxHashes,
    int maxHaves,
    int maxBloomBytes) {

  private static final Limits DEFAULTS =
      new Limits(
          64 << 20,
          256L << 20,
          1_000_000,
          20_000_000,
          2_000_000,
          10_000,
          128,
          64,
          16 << 20,
          16 << 20,
          100_000,
          64,
          4 << 20);

  public Limits {
    if (maxTotalBytes < 0
        || maxInflatedBytes < 0
        || maxChunks < 0
        || maxOps < 0
        || maxChanges < 0
        || maxActors < 1
        || maxActorIdBytes < 0
        || maxColumns < 0
        || maxStringBytes < 0
        || maxValueBytes < 0
        || maxHashes < 0
        || maxHaves < 0
        || maxBloomBytes < 0) {
      throw new IllegalArgumentException("limits must not be negative (and maxActors >= 1)");
    }
  }

  /**
   * Generous defaults: 64 MiB input, 256 MiB inflated, 20 million ops, 2 million changes, 10,000
   * actors of up to 128 bytes, 64 columns, 16 MiB strings and byte values, 100,000 hashes a list,
   * 64 haves with bloom filters of up to 4 MiB.
   */
  public static Limits defaults() {
    return DEFAULTS;
  }
}
