package org.dure.store.sync;

import org.dure.store.format.AutomergeFormat;
import org.dure.store.format.InvalidAutomergeDataException;

/**
 * The gate every byte from a peer passes before it reaches Automerge's native code: size limits
 * first, then the binary format (see {@code org.dure.store.format}).
 */
public final class Untrusted {
  /**
   * Hard size limits of what a peer may send.
   *
   * @param maxSyncMessage bytes of one sync message
   * @param maxSnapshot bytes of one document snapshot
   */
  public record Limits(int maxSyncMessage, int maxSnapshot) {
    public static final Limits DEFAULTS = new Limits(16 * 1024 * 1024, 64 * 1024 * 1024);
  }

  private Untrusted() {}

  /**
   * Checks a sync message against the receiving document's history ({@code ctx}, which learns the
   * message's changes if it passes): that also catches well-formed changes Automerge would still
   * panic on (a map key on a list, a sequence number that skips ahead).
   */
  static void checkSyncMessage(
      byte[] message, Limits limits, org.dure.store.format.DocumentContext ctx)
      throws PeerDataException {
    if (message.length > limits.maxSyncMessage()) {
      throw new PeerDataException(
          "A sync message of " + message.length + " bytes exceeds " + limits.maxSyncMessage());
    }
    try {
      AutomergeFormat.validateSyncMessage(message, org.dure.store.format.Limits.defaults(), ctx);
    } catch (InvalidAutomergeDataException e) {
      throw new PeerDataException("Invalid sync message: " + e.getMessage(), e);
    }
  }

  /**
   * Checks a snapshot; returns what the validator learned of it (its heads, and every change's
   * actor and seq), for {@link Quarantine#refuseSnapshot}.
   */
  static org.dure.store.format.DocumentContext checkDocument(byte[] snapshot, Limits limits)
      throws PeerDataException {
    if (snapshot.length > limits.maxSnapshot()) {
      throw new PeerDataException(
          "A snapshot of " + snapshot.length + " bytes exceeds " + limits.maxSnapshot());
    }
    try {
      return org.dure.store.format.DocumentContext.of(snapshot);
    } catch (InvalidAutomergeDataException e) {
      throw new PeerDataException("Invalid snapshot: " + e.getMessage(), e);
    }
  }
}
