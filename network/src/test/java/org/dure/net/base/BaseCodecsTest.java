package org.dure.net.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class BaseCodecsTest {
  @Test
  void varintMatchesSpecExamples() throws Exception {
    // multiformats/unsigned-varint README examples
    assertArrayEquals(new byte[] {1}, UnsignedVarint.encode(1));
    assertArrayEquals(new byte[] {0x7f}, UnsignedVarint.encode(127));
    assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, UnsignedVarint.encode(128));
    assertArrayEquals(new byte[] {(byte) 0xff, 0x01}, UnsignedVarint.encode(255));
    assertArrayEquals(new byte[] {(byte) 0xac, 0x02}, UnsignedVarint.encode(300));
    assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}, UnsignedVarint.encode(16384));
    assertEquals(300, UnsignedVarint.decode(new byte[] {(byte) 0xac, 0x02}, 0).value());
  }

  @Test
  void varintRejectsNonMinimalTruncatedAndOverlong() {
    assertThrows(
        ProtocolViolationException.class,
        () -> UnsignedVarint.decode(new byte[] {(byte) 0x81, 0x00}, 0));
    assertThrows(
        ProtocolViolationException.class, () -> UnsignedVarint.decode(new byte[] {(byte) 0x81}, 0));
    byte[] ten = new byte[10];
    java.util.Arrays.fill(ten, (byte) 0x81);
    assertThrows(ProtocolViolationException.class, () -> UnsignedVarint.decode(ten, 0));
  }

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
        ProtocolViolationException.class,
        () -> Multihash.decode(java.util.Arrays.copyOf(bad, bad.length - 1)));
  }
}
