package org.dure.store;

/**
 * Bytes from a peer were refused before they reached Automerge: they do not validate, are known to
 * be harmful, or Automerge refused them or crashed on them in a disposable child process. The
 * sender should be penalised unless {@link #penalised} says otherwise; the store is unchanged. (A
 * fault of this node, such as a sandbox that cannot run, is a {@link StoreException} instead.)
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
