package org.dure.net.relay;

import org.dure.net.NetworkException;

/** A relay answered a reservation or connection request with a status other than OK. */
public final class RelayRefusedException extends NetworkException {
  private final RelayStatus status;

  public RelayRefusedException(String message, RelayStatus status) {
    super(message + ": " + status);
    this.status = status;
  }

  public RelayStatus status() {
    return status;
  }
}
