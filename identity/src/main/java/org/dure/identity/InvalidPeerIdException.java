package org.dure.identity;

/**
 * Bytes or text that are not a valid peer ID (or the multihash one is made of). Thrown for input
 * from outside; callers that read it from a peer turn it into their own protocol error.
 */
public final class InvalidPeerIdException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidPeerIdException(String message) {
    super(message);
  }
}
