package org.dure.net.dcutr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class HolePunchMessageTest {
  private static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  @Test
  void connectHasTheSpecsFieldNumbersAndTypeValues() throws Exception {
    byte[] bytes = HolePunchMessage.connect(List.of(A)).encode();
    // field 1 varint 100, field 2 bytes (the binary multiaddr)
    String hex = HexFormat.of().formatHex(bytes);
    assertEquals("0864" + "12" + "08" + "04cb007107" + "06" + "0fa1", hex);
    assertEquals(HolePunchMessage.connect(List.of(A)), HolePunchMessage.decode(bytes));
    assertArrayEquals(new byte[] {0x08, (byte) 0xac, 0x02}, HolePunchMessage.sync().encode());
  }

  @Test
  void roundTripsThroughAStream() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    HolePunchMessage m = HolePunchMessage.connect(List.of(A, Multiaddr.parse("/ip6/::1/tcp/1")));
    m.write(out);
    assertEquals(m, HolePunchMessage.read(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void refusesTooLargeUnknownTypeAndMissingType() {
    byte[] big = new byte[HolePunchMessage.MAX_SIZE + 1];
    assertThrows(ProtocolViolationException.class, () -> HolePunchMessage.decode(big));
    byte[] unknown = new ProtoWriter().uint64(1, 200).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HolePunchMessage.decode(unknown));
    byte[] none = new ProtoWriter().bytes(2, A.toBytes()).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HolePunchMessage.decode(none));
    // A length prefix over the limit is refused before the body is read.
    byte[] prefix = UnsignedVarint.encode(HolePunchMessage.MAX_SIZE + 1);
    assertThrows(
        ProtocolViolationException.class,
        () -> HolePunchMessage.read(new ByteArrayInputStream(prefix)));
  }

  @Test
  void skipsAddressesItCannotParseAndKeepsAtMostSixteen() throws Exception {
    ProtoWriter w = new ProtoWriter().uint64(1, 100).bytes(2, new byte[] {(byte) 0xff, 1, 2});
    for (int i = 0; i < 40; i++) {
      w.bytes(2, A.toBytes());
    }
    HolePunchMessage m = HolePunchMessage.decode(w.toByteArray());
    assertEquals(HolePunchMessage.MAX_ADDRESSES, m.addresses().size());
    assertEquals(A, m.addresses().get(0));
  }
}
