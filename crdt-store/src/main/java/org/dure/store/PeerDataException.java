package org.dure.store;

/**
 * Bytes from a peer were refused before they reached Automerge: they do not validate, are known to
 * be harmful, or a disposable child process died on them. The sender should be penalised; the store
 * is unchanged.
 */
public final class PeerDataException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean penalised;

  public PeerDataException(String message) {
    super(message);
    this.penalised = true;
  }

  /**
   * Refused data an honest peer may send (e.g. changes by someone this node's membership does not
   * let write yet, while the sender's does): {@code penalised} false means the sender is not
   * punished for it.
   */
  public PeerDataException(String message, boolean penalised) {
    super(message);
    this.penalised = penalised;
  }

  /** Whether the sender should be penalised (it sent what an honest peer never sends). */
  public boolean penalised() {
    return penalised;
  }

  public PeerDataException(String message, Throwable cause) {
    super(message, cause);
    this.penalised = true;
  }
}
