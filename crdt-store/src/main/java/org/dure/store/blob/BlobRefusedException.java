package org.dure.store.blob;

import java.io.IOException;

/** A blob this node will not keep: an image over the pixel limits or with no readable header. */
public final class BlobRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public BlobRefusedException(String message) {
    super(message);
  }
}
