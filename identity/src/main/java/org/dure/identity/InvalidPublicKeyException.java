package org.dure.identity;

/**
 * Bytes that are not a valid libp2p {@code PublicKey} message. Thrown for input from outside;
 * callers that read it from a peer turn it into their own protocol error.
 */
public final class InvalidPublicKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidPublicKeyException(String message) {
    super(message);
  }
}
