package org.dure.store.blob;

import java.io.IOException;

/** A blob larger than the store's limit per attachment ({@link BlobStore#maxBlobBytes()}). */
public final class BlobTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long limit;

  public BlobTooLargeException(long size, long limit) {
    super(
        (size < 0 ? "The attachment" : "An attachment of " + size + " bytes")
            + " is larger than the limit of "
            + limit
            + " bytes per attachment");
    this.limit = limit;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
