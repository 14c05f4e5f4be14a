package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random and mutated packets: {@link DnsMessage#decode} returns or throws {@link
 * DnsFormatException}, nothing else, and never hangs; what it returns encodes and decodes to the
 * same message.
 */
@Timeout(10)
class DnsMessagePropertyTest {
  private static final int CASES = 20_000;

  private static List<byte[]> seeds() throws Exception {
    return List.of(
        DnsMessageTest.JS_RESPONSE,
        DnsMessageTest.JS_QUERY,
        DnsMessage.decode(DnsMessageTest.JS_RESPONSE).encode(), // with compression pointers
        MdnsEngineTest.engine().responsePacket(MdnsEngineTest.someAddresses()));
  }

  private static void check(byte[] b) {
    DnsMessage m;
    try {
      m = DnsMessage.decode(b);
    } catch (DnsFormatException expected) {
      return;
    }
    byte[] again;
    try {
      again = m.encode();
    } catch (IllegalStateException e) {
      // Names that shared bytes in odd ways can expand past 9000 bytes: a refusal, not a bug.
      if (e.getMessage().contains("exceeds")) {
        return;
      }
      throw e;
    }
    try {
      assertEquals(m, DnsMessage.decode(again), () -> "round trip of " + Arrays.toString(b));
    } catch (DnsFormatException e) {
      throw new AssertionError("re-encoding a decoded message failed: " + Arrays.toString(b), e);
    }
  }

  @Test
  void randomBytesOnlyRaiseTheDeclaredException() {
    Random r = new Random(1);
    for (int i = 0; i < CASES; i++) {
      byte[] b = new byte[r.nextInt(r.nextBoolean() ? 40 : 600)];
      r.nextBytes(b);
      if (b.length >= 12 && r.nextBoolean()) {
        // small counts, so that random bytes get past the header check more often
        for (int k = 4; k < 12; k += 2) {
          b[k] = 0;
          b[k + 1] = (byte) r.nextInt(4);
        }
      }
      check(b);
    }
  }

  @Test
  void mutatedPacketsOnlyRaiseTheDeclaredException() throws Exception {
    Random r = new Random(2);
    List<byte[]> seeds = seeds();
    for (int i = 0; i < CASES; i++) {
      byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
      int edits = 1 + r.nextInt(6);
      for (int e = 0; e < edits && b.length > 0; e++) {
        switch (r.nextInt(5)) {
          case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
          case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
          case 3 -> {
            int at = r.nextInt(b.length);
            b[at] = (byte) (0xC0 | r.nextInt(4)); // a compression pointer somewhere
            if (at + 1 < b.length) {
              b[at + 1] = (byte) r.nextInt(256);
            }
          }
          default -> {
            int from = r.nextInt(b.length);
            int to = r.nextInt(b.length);
            int n = Math.min(r.nextInt(32), Math.min(b.length - from, b.length - to));
            System.arraycopy(b, from, b, to, n);
          }
        }
      }
      check(b);
    }
  }
}
