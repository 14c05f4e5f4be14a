package org.dure.store.sync;

import org.dure.store.doc.Author;
import org.dure.store.doc.StoreException;

/**
 * Bytes from a peer were refused before they reached Automerge: they do not validate, are known to
 * be harmful, or Automerge refused them or crashed on them in a disposable child process. The
 * sender should be penalised unless {@link #penalised} says otherwise; the store is unchanged. (A
 * fault of this node, such as a sandbox that cannot run, is a {@link StoreException} instead.)
 */
public final class PeerDataException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean penalised;

  /** The author of a refused change who could tell it broke the space's rules, if any. */
  private final Author culprit;

  public PeerDataException(String message) {
    super(message);
    this.penalised = true;
    this.culprit = null;
  }

  /**
   * Refused data an honest peer may send (e.g. changes by someone this node's membership does not
   * let write yet, while the sender's does): {@code penalised} false means the sender is not
   * punished for it.
   */
  public PeerDataException(String message, boolean penalised) {
    super(message);
    this.penalised = penalised;
    this.culprit = null;
  }

  /**
   * A change refused by the space's rules: not the sender's fault as such (it may relay a member's
   * signed overstep), but {@code culprit}'s, its author, when that author could tell ({@link
   * Refusal#authorKnew}); null when it could not.
   */
  public PeerDataException(String message, Author culprit) {
    super(message);
    this.penalised = false;
    this.culprit = culprit;
  }

  /**
   * The author of the refused change when it broke a rule it could tell it broke: a peer sending
   * its own such change is to be penalised, one relaying it is not. Null otherwise.
   */
  public Author culprit() {
    return culprit;
  }

  /** Whether the sender should be penalised (it sent what an honest peer never sends). */
  public boolean penalised() {
    return penalised;
  }

  public PeerDataException(String message, Throwable cause) {
    super(message, cause);
    this.penalised = true;
    this.culprit = null;
  }
}
