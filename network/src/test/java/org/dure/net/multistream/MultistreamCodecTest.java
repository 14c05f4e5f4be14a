package org.dure.net.multistream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class MultistreamCodecTest {
  @Test
  void encodesLengthIncludingNewline() {
    byte[] m = MultistreamCodec.encode("/multistream/1.0.0");
    assertEquals(19, m[0]);
    assertEquals('\n', m[m.length - 1]);
    assertEquals("/multistream/1.0.0\n", new String(m, 1, 19, StandardCharsets.UTF_8));
  }

  @Test
  void decodesPipelinedMessagesAndWaitsForPartialOnes() throws Exception {
    byte[] both = MultistreamCodec.encode("/multistream/1.0.0", "/noise");
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(both, 0, both.length - 2);
    assertEquals("/multistream/1.0.0", MultistreamCodec.decode(buf));
    assertNull(MultistreamCodec.decode(buf));
    buf.writeBytes(both, both.length - 2, 2);
    assertEquals("/noise", MultistreamCodec.decode(buf));
    buf.release();
  }

  @Test
  void rejectsMissingNewlineAndOversizedLength() {
    ByteBuf noNewline = Unpooled.wrappedBuffer(new byte[] {2, 'a', 'b'});
    assertThrows(ProtocolViolationException.class, () -> MultistreamCodec.decode(noNewline));
    ByteBuf huge = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f});
    assertThrows(ProtocolViolationException.class, () -> MultistreamCodec.decode(huge));
  }

  @Test
  void selectAndRespondAgreeOverPipes() throws Exception {
    // responder script: header, "na" for the first proposal, accept the second
    ByteArrayOutputStream script = new ByteArrayOutputStream();
    script.writeBytes(MultistreamCodec.encode("/multistream/1.0.0", "na", "/b/1"));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    String agreed =
        MultistreamSelect.select(
            new ByteArrayInputStream(script.toByteArray()), sent, List.of("/a/1", "/b/1"));
    assertEquals("/b/1", agreed);
    assertArrayEquals(
        MultistreamCodec.encode("/multistream/1.0.0", "/a/1", "/b/1"), sent.toByteArray());

    ByteArrayOutputStream replies = new ByteArrayOutputStream();
    String got =
        MultistreamSelect.respond(
            new ByteArrayInputStream(sent.toByteArray()), replies, "/b/1"::equals);
    assertEquals("/b/1", got);
    assertArrayEquals(
        MultistreamCodec.encode("/multistream/1.0.0", "na", "/b/1"), replies.toByteArray());
  }
}
