package org.dure.net.multistream;

import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;

/**
 * Non-blocking multistream-select for a single protocol, as used on the raw and secured channel of
 * a connection upgrade: no I/O, fed one decoded message at a time ({@link
 * MultistreamCodec#decode}). The initiator pipelines the header with its one proposal; the
 * responder answers {@code na} to other proposals (at most {@value #MAX_PROPOSALS}).
 */
public final class MultistreamMachine {
  /** Proposals a responder answers with {@code na} before it gives up. */
  public static final int MAX_PROPOSALS = 16;

  private final boolean initiator;
  private final String protocol;
  private boolean headerSeen;
  private boolean done;
  private int proposals;

  public MultistreamMachine(boolean initiator, String protocol) {
    this.initiator = initiator;
    this.protocol = protocol;
  }

  /** Bytes to send first: the header, pipelined with the proposal by the initiator. */
  public byte[] start() {
    return initiator
        ? MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID, protocol)
        : MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID);
  }

  /** Whether the protocol is agreed. */
  public boolean isDone() {
    return done;
  }

  /**
   * Processes one received message and returns bytes to send (possibly empty).
   *
   * @throws ProtocolViolationException if the remote breaks the protocol (no header, an unexpected
   *     reply, too many proposals)
   * @throws NetworkException if the remote answers {@code na} to the initiator's proposal
   */
  public byte[] onMessage(String message) throws NetworkException {
    if (!headerSeen) {
      if (!message.equals(MultistreamCodec.PROTOCOL_ID)) {
        throw new ProtocolViolationException(
            "expected multistream header, got '" + abbreviate(message) + "'");
      }
      headerSeen = true;
      return new byte[0];
    }
    if (initiator) {
      if (message.equals(protocol)) {
        done = true;
        return new byte[0];
      }
      if (message.equals(MultistreamCodec.NA)) {
        throw new NetworkException("remote does not support " + protocol);
      }
      throw new ProtocolViolationException(
          "unexpected multistream reply '" + abbreviate(message) + "'");
    }
    if (message.equals(protocol)) {
      done = true;
      return MultistreamCodec.encode(protocol);
    }
    if (++proposals > MAX_PROPOSALS) {
      throw new ProtocolViolationException("too many multistream proposals");
    }
    return MultistreamCodec.encode(MultistreamCodec.NA);
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
