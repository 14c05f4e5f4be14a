package org.dure.store;

/**
 * Bytes from a peer were refused before they reached Automerge: they do not validate, are known to
 * be harmful, or a disposable child process died on them. The sender should be penalised; the store
 * is unchanged.
 */
public final class PeerDataException extends Exception {
  private static final long serialVersionUID = 1L;

  public PeerDataException(String message) {
    super(message);
  }

  public PeerDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
