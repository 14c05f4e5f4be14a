package org.dure.store.doc;

/** A failure of the store itself (disk, database), as opposed to a mistake by the caller. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
