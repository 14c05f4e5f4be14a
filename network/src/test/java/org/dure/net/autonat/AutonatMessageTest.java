package org.dure.net.autonat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.autonat.AutonatMessage.DialDataRequest;
import org.dure.net.autonat.AutonatMessage.DialDataResponse;
import org.dure.net.autonat.AutonatMessage.DialRequest;
import org.dure.net.autonat.AutonatMessage.DialResponse;
import org.dure.net.autonat.AutonatMessage.DialStatus;
import org.dure.net.autonat.AutonatMessage.ResponseStatus;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class AutonatMessageTest {
  private static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  @Test
  void dialRequestIsMessageFieldOneWithAFixed64Nonce() throws Exception {
    byte[] bytes = new DialRequest(List.of(A), 0x0102030405060708L).encode();
    // Message{1: DialRequest{1: addr, 2: fixed64 little-endian}}
    assertEquals(
        "0a13" + "0a08" + "04cb007107" + "060fa1" + "11" + "0807060504030201",
        HexFormat.of().formatHex(bytes));
    assertEquals(new DialRequest(List.of(A), 0x0102030405060708L), AutonatMessage.decode(bytes));
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    List<AutonatMessage> all =
        List.of(
            new DialRequest(List.of(A, Multiaddr.parse("/ip6/2001:db8::1/tcp/1")), -5L),
            new DialResponse(ResponseStatus.OK, 1, DialStatus.E_DIAL_ERROR),
            new DialResponse(ResponseStatus.E_DIAL_REFUSED, 0, DialStatus.UNUSED),
            new DialDataRequest(0, 50_000));
    for (AutonatMessage m : all) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.write(out);
      assertEquals(m, AutonatMessage.read(new ByteArrayInputStream(out.toByteArray())));
    }
    DialDataResponse data =
        assertInstanceOf(
            DialDataResponse.class,
            AutonatMessage.decode(new DialDataResponse(new byte[] {1, 2, 3}).encode()));
    assertArrayEquals(new byte[] {1, 2, 3}, data.data());
    assertEquals(new DialBack(77L), DialBack.decode(new DialBack(77L).encode()));
  }

  @Test
  void proto3DefaultsDecodeAsTheZeroValues() throws Exception {
    // An empty DialResponse: status E_INTERNAL_ERROR (0), index 0, dial status UNUSED (0).
    byte[] empty = new ProtoWriter().bytes(2, new byte[0]).toByteArray();
    assertEquals(
        new DialResponse(ResponseStatus.E_INTERNAL_ERROR, 0, DialStatus.UNUSED),
        AutonatMessage.decode(empty));
  }

  @Test
  void unknownStatusesTooLargeMessagesAndEmptyOnesAreRefused() {
    byte[] unknownStatus =
        new ProtoWriter().bytes(2, new ProtoWriter().uint64(1, 42).toByteArray()).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> AutonatMessage.decode(unknownStatus));
    byte[] unknownDial =
        new ProtoWriter().bytes(2, new ProtoWriter().uint64(3, 7).toByteArray()).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> AutonatMessage.decode(unknownDial));
    assertThrows(ProtocolViolationException.class, () -> AutonatMessage.decode(new byte[0]));
    assertThrows(
        ProtocolViolationException.class,
        () -> AutonatMessage.decode(new byte[AutonatMessage.MAX_SIZE + 1]));
    byte[] prefix = UnsignedVarint.encode(AutonatMessage.MAX_SIZE + 1);
    assertThrows(
        ProtocolViolationException.class,
        () -> AutonatMessage.read(new ByteArrayInputStream(prefix)));
    byte[] bigChunk =
        new ProtoWriter()
            .bytes(4, new ProtoWriter().bytes(1, new byte[5000]).toByteArray())
            .toByteArray();
    assertThrows(ProtocolViolationException.class, () -> AutonatMessage.decode(bigChunk));
  }

  @Test
  void anUnparsableAddressKeepsItsIndexAndIsNeverDialled() throws Exception {
    byte[] req =
        new ProtoWriter()
            .bytes(
                1,
                new ProtoWriter()
                    .bytes(1, new byte[] {(byte) 0xff, 0x7f})
                    .bytes(1, A.toBytes())
                    .fixed64(2, 9)
                    .toByteArray())
            .toByteArray();
    DialRequest r = (DialRequest) AutonatMessage.decode(req);
    assertEquals(2, r.addresses().size());
    assertEquals(A, r.addresses().get(1));
  }
}
