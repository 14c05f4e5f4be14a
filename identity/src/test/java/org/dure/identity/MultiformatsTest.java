package org.dure.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultiformatsTest {
  @Test
  void base58RoundTripsWithLeadingZeros() {
    byte[] data = HexFormat.of().parseHex("0000287fb4cd");
    assertEquals("11233QC4", Base58.encode(data));
    assertArrayEquals(data, Base58.decode("11233QC4"));
    assertEquals("", Base58.encode(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("0OIl"));
  }

  @Test
  void multibaseDecodesBase32AndBase58() {
    byte[] data = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals("bnbswy3dp", Multibase.encodeBase32(data));
    assertArrayEquals(data, Multibase.decode("bnbswy3dp"));
    assertArrayEquals(data, Multibase.decode(Multibase.encodeBase58btc(data)));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("xabc"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("b1"));
  }

  @Test
  void multihashRejectsLengthMismatch() throws Exception {
    Multihash m = Multihash.sha256(new byte[] {1, 2, 3});
    assertEquals(m, Multihash.decode(m.toBytes()));
    byte[] bad = m.toBytes();
    assertThrows(
        InvalidPeerIdException.class,
        () -> Multihash.decode(java.util.Arrays.copyOf(bad, bad.length - 1)));
  }

  @Test
  void base58RefusesOverlongTextBeforeDecoding() {
    String huge = "2".repeat(Base58.MAX_DECODE_CHARS + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Base58.decode(huge));
    assertEquals("base58 text too long: " + huge.length(), e.getMessage());
  }

  @Test
  void multihashRejectsBadVarintsAndShortSha256() {
    // truncated code varint, non-minimal length varint, sha2-256 with a 31-byte digest
    assertThrows(InvalidPeerIdException.class, () -> Multihash.decode(new byte[] {(byte) 0x81}));
    assertThrows(
        InvalidPeerIdException.class, () -> Multihash.decode(new byte[] {0x00, (byte) 0x80, 0x00}));
    byte[] short256 = new byte[2 + 31];
    short256[0] = 0x12;
    short256[1] = 31;
    assertThrows(InvalidPeerIdException.class, () -> Multihash.decode(short256));
  }

  @Test
  void multihashRefusesADigestOverTheLimit() {
    byte[] big = new byte[3 + Multihash.MAX_DIGEST + 1];
    big[0] = 0x00;
    big[1] = (byte) (((Multihash.MAX_DIGEST + 1) & 0x7f) | 0x80);
    big[2] = (byte) ((Multihash.MAX_DIGEST + 1) >>> 7);
    assertThrows(InvalidPeerIdException.class, () -> Multihash.decode(big));
  }
}
