package org.dure.store.format;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The header of one change chunk, as the validator read it: who made it (the actor id), its
 * sequence number among that actor's changes, its hash (SHA-256 of the chunk) and the hashes of the
 * changes it depends on; where the chunk lies in the validated input; and, if the context it was
 * validated through records them, the writes under guarded keys the change makes. Arrays are the
 * validator's own; do not change them.
 *
 * @param writes the writes under the context's guarded keys that the change's ops make (put,
 *     increment, delete, make an object, write inside one), see {@link FieldWrite}; null if the
 *     context recorded none (see {@link DocumentContext#ofHistory(byte[], Limits, java.util.Set)})
 */
public record ChangeHeader(
    byte[] actor,
    long seq,
    byte[] hash,
    List<byte[]> deps,
    byte[] input,
    int chunkStart,
    int chunkEnd,
    Set<FieldWrite> writes) {

  /** A header without recorded writes. */
  public ChangeHeader(
      byte[] actor,
      long seq,
      byte[] hash,
      List<byte[]> deps,
      byte[] input,
      int chunkStart,
      int chunkEnd) {
    this(actor, seq, hash, deps, input, chunkStart, chunkEnd, null);
  }

  /** A copy of the change chunk's bytes as they were in the input (compressed if they were). */
  public byte[] chunk() {
    return Arrays.copyOfRange(input, chunkStart, chunkEnd);
  }

  /** The chunk's length in bytes. */
  public int chunkLength() {
    return chunkEnd - chunkStart;
  }
}
