package org.dure.store.vault;

import java.io.IOException;

/**
 * A folder or zip that cannot be exported to or imported from: over a limit, not readable, not
 * empty; the message says what happened and what to do, fit to show the user.
 */
public final class VaultException extends IOException {
  private static final long serialVersionUID = 1L;

  public VaultException(String message) {
    super(message);
  }

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
