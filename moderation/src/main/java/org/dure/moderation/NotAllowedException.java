package org.dure.moderation;

/** The user's role in a space does not allow what was asked; nothing changed. */
public final class NotAllowedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NotAllowedException(String message) {
    super(message);
  }
}
