package org.dure.net.multiaddr;

/** Malformed multiaddr text or bytes. */
public class MultiaddrFormatException extends IllegalArgumentException {
  public MultiaddrFormatException(String message) {
    super(message);
  }

  public MultiaddrFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
