package org.dure.net.ping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.Random;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class PingHandlerTest {
  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void responderEchoesEveryPayloadUntilTheEnd() throws Exception {
    byte[] a = PingCodec.newPayload(new Random(1));
    byte[] b = PingCodec.newPayload(new Random(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PingHandler.serve(new ByteArrayInputStream(concat(a, b)), out);
    assertArrayEquals(concat(a, b), out.toByteArray());
  }

  @Test
  void responderLeavesTruncatedLastPayloadUnanswered() throws Exception {
    byte[] a = PingCodec.newPayload(new Random(1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PingHandler.serve(new ByteArrayInputStream(concat(a, new byte[5])), out);
    assertArrayEquals(a, out.toByteArray());
  }

  @Test
  void roundTripAcceptsTheEchoAndReportsItsTime() throws Exception {
    byte[] p = PingCodec.newPayload(new Random(3));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    Duration rtt = PingHandler.roundTrip(new ByteArrayInputStream(p), sent, p, "peer");
    assertArrayEquals(p, sent.toByteArray());
    assertTrue(!rtt.isNegative());
  }

  @Test
  void roundTripRejectsAnEchoThatDiffers() {
    byte[] p = PingCodec.newPayload(new Random(3));
    byte[] other = p.clone();
    other[31] ^= 1;
    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class,
            () ->
                PingHandler.roundTrip(
                    new ByteArrayInputStream(other), new ByteArrayOutputStream(), p, "peerX"));
    assertEquals("ping reply from peerX does not match", e.getMessage());
  }

  @Test
  void roundTripRejectsAMissingOrTruncatedEcho() {
    byte[] p = PingCodec.newPayload(new Random(3));
    assertThrows(
        ProtocolViolationException.class,
        () ->
            PingHandler.roundTrip(
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), p, "peer"));
    assertThrows(
        ProtocolViolationException.class,
        () ->
            PingHandler.roundTrip(
                new ByteArrayInputStream(new byte[20]), new ByteArrayOutputStream(), p, "peer"));
  }

  @Test
  void initiatorAndResponderRepeatOnOneStream() throws Exception {
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1024);
    PipedOutputStream toClient = new PipedOutputStream();
    PipedInputStream clientIn = new PipedInputStream(toClient, 1024);
    Thread server =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    PingHandler.serve(serverIn, toClient);
                    toClient.close();
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                });
    Random r = new Random(4);
    for (int i = 0; i < 3; i++) {
      PingHandler.roundTrip(clientIn, toServer, PingCodec.newPayload(r), "peer");
    }
    toServer.close();
    server.join(5000);
    assertEquals(-1, clientIn.read(), "responder ends when the initiator closes");
  }
}
