package org.dure.store.vault;

/**
 * Bounds on an import, checked from the listing before any file is read.
 *
 * @param maxEntries the most files and folders listed in the folder or zip (of any kind)
 * @param maxFiles the most {@code .md} files
 * @param maxFileBytes the most bytes of one {@code .md} file
 * @param maxTotalBytes the most bytes of all {@code .md} files together
 * @param maxDepth the most nested folders
 * @param maxAttachmentBytes the most bytes of one attachment stored from the folder
 */
public record VaultLimits(
    int maxEntries,
    int maxFiles,
    long maxFileBytes,
    long maxTotalBytes,
    int maxDepth,
    long maxAttachmentBytes) {
  public VaultLimits {
    if (maxEntries < 1
        || maxFiles < 1
        || maxFileBytes < 1
        || maxTotalBytes < 1
        || maxDepth < 1
        || maxAttachmentBytes < 0) {
      throw new IllegalArgumentException("Vault limits must be positive");
    }
  }

  /** 50,000 entries, 10,000 pages of at most 4 MiB, 64 MiB in all, 32 folders deep, 100 MiB. */
  public static VaultLimits defaults() {
    return new VaultLimits(50_000, 10_000, 4L << 20, 64L << 20, 32, 100L << 20);
  }
}
