package org.dure.net.multistream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Predicate;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;

/** Blocking multistream-select 1.0 negotiation over a byte stream (used on Yamux streams). */
public final class MultistreamSelect {
  /** At most this many proposals are answered before the responder gives up. */
  public static final int MAX_PROPOSALS = 32;

  private MultistreamSelect() {}

  /** Thrown by the initiator when the responder supports none of the proposed protocols. */
  public static final class UnsupportedProtocolException extends NetworkException {
    public UnsupportedProtocolException(String message) {
      super(message);
    }
  }

  /**
   * Initiator: proposes {@code protocols} in order, pipelining the header with the first proposal.
   *
   * @return the agreed protocol
   */
  public static String select(InputStream in, OutputStream out, List<String> protocols)
      throws IOException {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocols to propose");
    }
    out.write(MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID, protocols.get(0)));
    out.flush();
    String header = readMessage(in);
    if (!header.equals(MultistreamCodec.PROTOCOL_ID)) {
      throw new ProtocolViolationException("unexpected multistream header '" + header + "'");
    }
    for (int i = 0; ; ) {
      String reply = readMessage(in);
      if (reply.equals(protocols.get(i))) {
        return reply;
      }
      if (!reply.equals(MultistreamCodec.NA)) {
        throw new ProtocolViolationException("unexpected multistream reply '" + reply + "'");
      }
      if (++i >= protocols.size()) {
        throw new UnsupportedProtocolException("remote supports none of " + protocols);
      }
      out.write(MultistreamCodec.encode(protocols.get(i)));
      out.flush();
    }
  }

  /**
   * Responder: answers proposals until one is supported.
   *
   * @return the agreed protocol
   */
  public static String respond(InputStream in, OutputStream out, Predicate<String> supported)
      throws IOException {
    out.write(MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID));
    out.flush();
    String header = readMessage(in);
    if (!header.equals(MultistreamCodec.PROTOCOL_ID)) {
      throw new ProtocolViolationException("unexpected multistream header '" + header + "'");
    }
    for (int i = 0; i < MAX_PROPOSALS; i++) {
      String proposal = readMessage(in);
      if (!proposal.equals("ls") && supported.test(proposal)) {
        out.write(MultistreamCodec.encode(proposal));
        out.flush();
        return proposal;
      }
      out.write(MultistreamCodec.encode(MultistreamCodec.NA));
      out.flush();
    }
    throw new ProtocolViolationException("too many multistream proposals");
  }

  private static String readMessage(InputStream in) throws IOException {
    String m = MultistreamCodec.read(in);
    if (m == null) {
      throw new EOFException("stream closed during multistream-select");
    }
    return m;
  }
}
