package org.dure.store.format;

import java.util.Arrays;
import java.util.List;

/**
 * The header of one change chunk, as the validator read it: who made it (the actor id), its
 * sequence number among that actor's changes, its hash (SHA-256 of the chunk) and the hashes of the
 * changes it depends on; and where the chunk lies in the validated input. Arrays are the
 * validator's own; do not change them.
 */
public record ChangeHeader(
    byte[] actor,
    long seq,
    byte[] hash,
    List<byte[]> deps,
    byte[] input,
    int chunkStart,
    int chunkEnd) {

  /** A copy of the change chunk's bytes as they were in the input (compressed if they were). */
  public byte[] chunk() {
    return Arrays.copyOfRange(input, chunkStart, chunkEnd);
  }

  /** The chunk's length in bytes. */
  public int chunkLength() {
    return chunkEnd - chunkStart;
  }
}
