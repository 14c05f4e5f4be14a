package org.dure.net.ping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PingCodecTest {
  @Test
  void payloadIsThirtyTwoBytesWrittenAsIs() throws Exception {
    byte[] p = PingCodec.newPayload(new Random(1));
    assertEquals(32, p.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PingCodec.write(out, p);
    assertArrayEquals(p, out.toByteArray()); // no header, no length prefix
  }

  @Test
  void freshPayloadsDiffer() {
    Random r = new Random(7);
    assertNotEquals(
        Arrays.toString(PingCodec.newPayload(r)), Arrays.toString(PingCodec.newPayload(r)));
  }

  @Test
  void readsPayloadsOneByOne() throws Exception {
    byte[] a = PingCodec.newPayload(new Random(1));
    byte[] b = PingCodec.newPayload(new Random(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PingCodec.write(out, a);
    PingCodec.write(out, b);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertArrayEquals(a, PingCodec.read(in));
    assertArrayEquals(b, PingCodec.read(in));
    assertNull(PingCodec.read(in), "clean end of stream between payloads");
  }

  @Test
  void truncatedPayloadIsAnError() {
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[31]);
    EOFException e = assertThrows(EOFException.class, () -> PingCodec.read(in));
    assertEquals("ping payload truncated after 31 of 32 bytes", e.getMessage());
  }

  @Test
  void refusesToWritePayloadOfWrongSize() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThrows(IllegalArgumentException.class, () -> PingCodec.write(out, new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> PingCodec.write(out, new byte[0]));
    assertEquals(0, out.size());
  }
}
