package org.dure.net;

/** Thrown when a stream is reset (by either side) without damage to its connection. */
public class StreamResetException extends NetworkException {
  public StreamResetException(String message) {
    super(message);
  }
}
