package org.dure.net.ping;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.dure.net.ProtocolViolationException;

/**
 * The two sides of {@code /ipfs/ping/1.0.0} on a negotiated stream's bytes: the responder echoes
 * each payload until the initiator closes its side; the initiator times round trips ("the dialing
 * peer MAY repeat the process by sending another payload ... on the same stream"). Blocking; the
 * caller sets read timeouts and closes the stream.
 */
public final class PingHandler {
  public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";

  private PingHandler() {}

  /**
   * Responder: echoes payloads until the input ends. A last payload cut short ends the exchange
   * like a clean end of stream, unanswered.
   */
  public static void serve(InputStream in, OutputStream out) throws IOException {
    while (true) {
      byte[] payload;
      try {
        payload = PingCodec.read(in);
      } catch (EOFException e) {
        return;
      }
      if (payload == null) {
        return;
      }
      PingCodec.write(out, payload);
    }
  }

  /**
   * Initiator: sends {@code payload} and waits for its echo.
   *
   * @param peer names the remote in the error message
   * @return the time from sending to the whole echo read
   * @throws ProtocolViolationException if the echo differs or the stream ends before it
   */
  public static Duration roundTrip(InputStream in, OutputStream out, byte[] payload, Object peer)
      throws IOException {
    long start = System.nanoTime();
    PingCodec.write(out, payload);
    byte[] echo;
    try {
      echo = PingCodec.read(in);
    } catch (EOFException e) {
      echo = null;
    }
    long rtt = System.nanoTime() - start;
    if (echo == null || !Arrays.equals(payload, echo)) {
      throw new ProtocolViolationException("ping reply from " + peer + " does not match");
    }
    return Duration.ofNanos(rtt);
  }
}
