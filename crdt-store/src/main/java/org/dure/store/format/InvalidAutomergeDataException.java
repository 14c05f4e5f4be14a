package org.dure.store.format;

import java.io.IOException;

/**
 * Bytes claimed to be Automerge data do not follow the binary format, or exceed a {@link Limits}
 * bound. The message says what is wrong; {@link #offset()} says where, counted in bytes from the
 * start of the validated input (for data inside a deflate-compressed chunk or column, the offset of
 * that chunk or column).
 */
public final class InvalidAutomergeDataException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long offset;

  public InvalidAutomergeDataException(String reason, long offset) {
    super(reason + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Byte offset in the validated input where the problem was found. */
  public long offset() {
    return offset;
  }
}
