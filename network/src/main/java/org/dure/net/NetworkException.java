package org.dure.net;

import java.io.IOException;

/** A fault caused by the network or a remote peer. */
public class NetworkException extends IOException {
  public NetworkException(String message) {
    super(message);
  }

  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
