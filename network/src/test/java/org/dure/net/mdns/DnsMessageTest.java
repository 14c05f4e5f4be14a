package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * A response of js-libp2p 3 ({@code @libp2p/mdns} 12.0.32, {@code dns-packet} 5.6.1), captured in
   * a network namespace: answers {@code _p2p._udp.local PTR <63-char name>._p2p._udp.local} and two
   * TXT records (loopback and 10.77.1.1), names uncompressed, TTL 120, flags QR|AA.
   */
  static final byte[] JS_RESPONSE =
      HEX.parseHex(
          "000084000000000300000000045f703270045f756470056c6f63616c00000c00010000007800513f7978"
              + "767533377a79726c7363766a71636873676f6636356b6738776232727a7378363669697173387037"
              + "793830786576636b723638726b65736e71756f7a61045f703270045f756470056c6f63616c003f79"
              + "78767533377a79726c7363766a71636873676f6636356b6738776232727a73783636696971733870"
              + "37793830786576636b723638726b65736e71756f7a61045f703270045f756470056c6f63616c0000"
              + "10000100000078005958646e73616464723d2f6970342f3132372e302e302e312f7463702f343030"
              + "312f7032702f313244334b6f6f574e5a6d6e68636e566253703346327647774541516e6f4c575a45"
              + "64734e6b555343724c5a65544664327177533f7978767533377a79726c7363766a71636873676f66"
              + "36356b6738776232727a7378363669697173387037793830786576636b723638726b65736e71756f"
              + "7a61045f703270045f756470056c6f63616c000010000100000078005958646e73616464723d2f69"
              + "70342f31302e37372e312e312f7463702f343030312f7032702f313244334b6f6f574e5a6d6e6863"
              + "6e566253703346327647774541516e6f4c575a4564734e6b555343724c5a6554466432717753");

  /** The query js-libp2p sends, captured alike. */
  static final byte[] JS_QUERY =
      HEX.parseHex("000000000001000000000000045f703270045f756470056c6f63616c00000c0001");

  static final String JS_PEER = "12D3KooWNZmnhcnVbSp3F2vGwEAQnoLWZEdsNkUSCrLZeTFd2qwS";
  static final String JS_NAME = "yxvu37zyrlscvjqchsgof65kg8wb2rzsx66iiqs8p7y80xevckr68rkesnquoza";

  @Test
  void decodesCapturedJsResponse() throws Exception {
    DnsMessage m = DnsMessage.decode(JS_RESPONSE);
    assertTrue(m.isResponse());
    assertEquals(DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE, m.flags());
    assertEquals(0, m.id());
    assertEquals(List.of(), m.questions());
    assertEquals(3, m.answers().size());
    DnsRecord ptr = m.answers().get(0);
    assertEquals("_p2p._udp.local", ptr.name());
    assertEquals(DnsRecord.TYPE_PTR, ptr.type());
    assertEquals(120, ptr.ttl());
    assertEquals(new DnsRecord.Ptr(JS_NAME + "._p2p._udp.local"), ptr.data());
    DnsRecord txt = m.answers().get(2);
    assertEquals(JS_NAME + "._p2p._udp.local", txt.name());
    assertEquals(
        List.of("dnsaddr=/ip4/10.77.1.1/tcp/4001/p2p/" + JS_PEER),
        assertInstanceOf(DnsRecord.Txt.class, txt.data()).texts());
  }

  @Test
  void ourQueryIsByteForByteTheJsQuery() throws Exception {
    DnsMessage q = DnsMessage.query(List.of(DnsQuestion.of("_p2p._udp.local", DnsRecord.TYPE_PTR)));
    assertArrayEquals(JS_QUERY, q.encode());
    assertEquals(q, DnsMessage.decode(JS_QUERY));
  }

  @Test
  void reEncodingCompressesNamesAndRoundTrips() throws Exception {
    DnsMessage m = DnsMessage.decode(JS_RESPONSE);
    byte[] again = m.encode();
    assertTrue(again.length < JS_RESPONSE.length - 150, "compressed " + again.length);
    assertEquals(m, DnsMessage.decode(again));
  }

  @Test
  void everyRecordTypeRoundTrips() throws Exception {
    DnsMessage m =
        new DnsMessage(
            0x1234,
            DnsMessage.FLAG_RESPONSE,
            List.of(new DnsQuestion("Host.P2P.local", DnsRecord.TYPE_ANY, 0x8001)),
            List.of(
                DnsRecord.of("_p2p._udp.local", 120, new DnsRecord.Ptr("abc._p2p._udp.local")),
                DnsRecord.of(
                    "abc._p2p._udp.local",
                    120,
                    DnsRecord.Txt.ofStrings(List.of("dnsaddr=/ip4/10.0.0.1/tcp/1", "", "x=y")))),
            List.of(
                new DnsRecord(
                    "p2p.local",
                    99,
                    DnsRecord.CLASS_IN,
                    0xFFFF_FFFFL,
                    new DnsRecord.Other(new byte[] {1, 2}))),
            List.of(
                DnsRecord.of(
                    "abc._p2p._udp.local", 0, new DnsRecord.Srv(0, 0, 4001, "abc.p2p.local")),
                new DnsRecord(
                    "abc.p2p.local",
                    DnsRecord.TYPE_A,
                    DnsRecord.CLASS_IN | DnsRecord.CACHE_FLUSH_BIT,
                    120,
                    new DnsRecord.A((Inet4Address) InetAddress.getByName("192.0.2.7"))),
                DnsRecord.of(
                    "abc.p2p.local",
                    120,
                    new DnsRecord.Aaaa((Inet6Address) InetAddress.getByName("2001:db8::1")))));
    DnsMessage back = DnsMessage.decode(m.encode());
    assertEquals(m, back);
    assertEquals(DnsRecord.CLASS_IN, back.additionals().get(1).classWithoutFlag());
    assertEquals(1, back.questions().get(0).classWithoutFlag());
  }

  /** A record {@code x} (type 99) whose data is a chain of pointers, and a name at its end. */
  private static byte[] pointerChain(int links) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0});
    b.writeBytes(new byte[] {1, 'x', 0, 0, 99, 0, 1, 0, 0, 0, 0}); // name at 12, type, class, ttl
    b.write(0);
    b.write(links * 2); // rdlength
    int rdStart = b.size();
    int previous = 12;
    for (int i = 0; i < links; i++) {
      int here = b.size();
      b.write(0xC0 | (previous >>> 8));
      b.write(previous & 0xFF);
      previous = here;
    }
    b.write(0xC0);
    b.write(previous); // second record's name: pointer to the last link
    b.writeBytes(new byte[] {0, 99, 0, 1, 0, 0, 0, 0, 0, 0});
    assertTrue(rdStart > 12);
    return b.toByteArray();
  }

  @Test
  void followsAShortPointerChain() throws Exception {
    DnsMessage m = DnsMessage.decode(pointerChain(5));
    assertEquals("x", m.answers().get(1).name());
  }

  @Test
  void rejectsATooDeepPointerChain() {
    DnsFormatException e =
        assertThrows(DnsFormatException.class, () -> DnsMessage.decode(pointerChain(20)));
    assertTrue(e.getMessage().contains("too deep"), e.getMessage());
  }

  @Test
  void rejectsAPointerLoop() {
    // One answer whose name is a pointer to itself (offset 12).
    byte[] selfLoop = HEX.parseHex("000084000000000100000000" + "c00c" + "000c0001000000780000");
    DnsFormatException e =
        assertThrows(DnsFormatException.class, () -> DnsMessage.decode(selfLoop));
    assertTrue(e.getMessage().contains("loop"), e.getMessage());
    // Two names pointing at each other: label "a" then pointer to 17, and at 17 pointer to 12.
    byte[] twoLoop =
        HEX.parseHex("000084000000000100000000" + "0161c011" + "c00c" + "000c0001000000780000");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(twoLoop));
  }

  @Test
  void rejectsAForwardPointer() {
    byte[] forward = HEX.parseHex("000084000000000100000000" + "c00e" + "00" + "000c000100000078");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(forward));
  }

  @Test
  void rejectsCountsLargerThanThePacket() {
    byte[] b = JS_QUERY.clone();
    b[4] = (byte) 0xFF; // 65281 questions
    DnsFormatException e = assertThrows(DnsFormatException.class, () -> DnsMessage.decode(b));
    assertTrue(e.getMessage().contains("counts"), e.getMessage());
  }

  @Test
  void rejectsEveryTruncationOfAValidPacket() {
    for (int n = 0; n < JS_RESPONSE.length; n++) {
      int len = n;
      assertThrows(
          DnsFormatException.class,
          () -> DnsMessage.decode(JS_RESPONSE, 0, len),
          () -> "length " + len);
    }
  }

  @Test
  void rejectsPacketsOverTheMdnsLimit() {
    byte[] big = new byte[DnsMessage.MAX_PACKET + 1];
    System.arraycopy(JS_QUERY, 0, big, 0, JS_QUERY.length);
    DnsFormatException e = assertThrows(DnsFormatException.class, () -> DnsMessage.decode(big));
    assertTrue(e.getMessage().contains("9000"), e.getMessage());
  }

  @Test
  void rejectsBadRecordData() {
    // A record with 3 data bytes.
    byte[] shortA =
        HEX.parseHex(
            "000084000000000100000000" + "0161" + "00" + "00010001000000780003" + "010203");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(shortA));
    // TXT string claiming 9 bytes in 3 bytes of data.
    byte[] txtOverrun =
        HEX.parseHex(
            "000084000000000100000000" + "0161" + "00" + "00100001000000780003" + "096162");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(txtOverrun));
    // PTR whose name is shorter than its data.
    byte[] ptrSlack =
        HEX.parseHex(
            "000084000000000100000000" + "0161" + "00" + "000c0001000000780004" + "01620000");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(ptrSlack));
    // Label type 0x40 (extended labels, obsolete).
    byte[] extended = HEX.parseHex("000084000000000100000000" + "41" + "00" + "000c000100000078");
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(extended));
  }

  @Test
  void rejectsNamesOver255Octets() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(HEX.parseHex("000000000001000000000000"));
    for (int i = 0; i < 5; i++) {
      b.write(63);
      b.writeBytes("a".repeat(63).getBytes(StandardCharsets.US_ASCII));
    }
    b.write(0);
    b.writeBytes(new byte[] {0, 12, 0, 1});
    assertThrows(DnsFormatException.class, () -> DnsMessage.decode(b.toByteArray()));
  }

  @Test
  void callerMistakesAreIllegalArguments() {
    assertThrows(IllegalArgumentException.class, () -> DnsQuestion.of("a..b", 12));
    assertThrows(IllegalArgumentException.class, () -> DnsQuestion.of("a".repeat(64), 12));
    assertThrows(IllegalArgumentException.class, () -> new DnsRecord.Txt(List.of(new byte[256])));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DnsRecord("a", DnsRecord.TYPE_A, 1, 1, new DnsRecord.Ptr("b")));
  }

  @Test
  void encodeRefusesMessagesOverTheLimit() {
    DnsRecord.Txt big = new DnsRecord.Txt(List.of(new byte[255], new byte[255], new byte[255]));
    List<DnsRecord> many =
        java.util.stream.IntStream.range(0, 20)
            .mapToObj(i -> DnsRecord.of("n" + i + ".local", 1, big))
            .toList();
    assertThrows(IllegalStateException.class, () -> DnsMessage.response(many, List.of()).encode());
    assertFalse(DnsMessage.response(many.subList(0, 5), List.of()).encode().length > 9000);
  }
}
