package org.dure.net.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
