package org.dure.net.invite;

/** An invite could not be read or accepted; the message says why, for the user. */
public final class InviteException extends Exception {
  private static final long serialVersionUID = 1L;

  public InviteException(String message) {
    super(message);
  }

  public InviteException(String message, Throwable cause) {
    super(message, cause);
  }
}
