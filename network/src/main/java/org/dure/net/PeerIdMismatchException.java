package org.dure.net;

/** The remote authenticated as a different peer than the one that was dialled. */
public class PeerIdMismatchException extends NetworkException {
  public PeerIdMismatchException(String message) {
    super(message);
  }
}
