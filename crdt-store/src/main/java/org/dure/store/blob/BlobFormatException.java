package org.dure.store.blob;

import java.io.IOException;

/** Bytes that are not a valid manifest or chunk: a wrong hash, a bad length, a bad field. */
public final class BlobFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public BlobFormatException(String message) {
    super(message);
  }
}
