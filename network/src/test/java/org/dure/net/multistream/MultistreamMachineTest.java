package org.dure.net.multistream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class MultistreamMachineTest {
  private static String decodeOne(byte[] bytes) throws ProtocolViolationException {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    String m = MultistreamCodec.decode(b);
    assertEquals(0, b.readableBytes(), "exactly one message");
    return m;
  }

  @Test
  void initiatorPipelinesHeaderAndProposal() {
    MultistreamMachine m = new MultistreamMachine(true, "/noise");
    assertArrayEquals(MultistreamCodec.encode("/multistream/1.0.0", "/noise"), m.start());
  }

  @Test
  void initiatorIsDoneWhenTheProposalIsEchoed() throws Exception {
    MultistreamMachine m = new MultistreamMachine(true, "/noise");
    m.start();
    assertEquals(0, m.onMessage("/multistream/1.0.0").length);
    assertFalse(m.isDone());
    assertEquals(0, m.onMessage("/noise").length);
    assertTrue(m.isDone());
  }

  @Test
  void initiatorFailsOnNa() throws Exception {
    MultistreamMachine m = new MultistreamMachine(true, "/noise");
    m.onMessage("/multistream/1.0.0");
    NetworkException e = assertThrows(NetworkException.class, () -> m.onMessage("na"));
    assertFalse(e instanceof ProtocolViolationException, "na is a refusal, not a violation");
  }

  @Test
  void initiatorRejectsAnotherProtocolInReply() throws Exception {
    MultistreamMachine m = new MultistreamMachine(true, "/noise");
    m.onMessage("/multistream/1.0.0");
    assertThrows(ProtocolViolationException.class, () -> m.onMessage("/tls/1.0.0"));
  }

  @Test
  void bothSidesRequireTheHeaderFirst() {
    assertThrows(
        ProtocolViolationException.class,
        () -> new MultistreamMachine(true, "/noise").onMessage("/noise"));
    assertThrows(
        ProtocolViolationException.class,
        () -> new MultistreamMachine(false, "/noise").onMessage("/noise"));
  }

  @Test
  void responderAnswersNaUntilItsProtocolIsProposed() throws Exception {
    MultistreamMachine m = new MultistreamMachine(false, "/yamux/1.0.0");
    assertEquals("/multistream/1.0.0", decodeOne(m.start()));
    assertEquals(0, m.onMessage("/multistream/1.0.0").length);
    assertEquals("na", decodeOne(m.onMessage("/mplex/6.7.0")));
    assertFalse(m.isDone());
    assertEquals("/yamux/1.0.0", decodeOne(m.onMessage("/yamux/1.0.0")));
    assertTrue(m.isDone());
  }

  @Test
  void responderGivesUpAfterTooManyProposals() throws Exception {
    MultistreamMachine m = new MultistreamMachine(false, "/noise");
    m.onMessage("/multistream/1.0.0");
    for (int i = 0; i < MultistreamMachine.MAX_PROPOSALS; i++) {
      assertEquals("na", decodeOne(m.onMessage("/other/" + i)));
    }
    assertThrows(ProtocolViolationException.class, () -> m.onMessage("/other/x"));
    assertFalse(m.isDone());
  }
}
