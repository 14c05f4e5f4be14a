package org.dure.net;

/** The remote broke a protocol rule; the enclosing connection (or handshake) is closed. */
public class ProtocolViolationException extends NetworkException {
  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
