package org.dure.net.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class RelayMessageTest {
  private static final PeerId PEER = new Identity(Identity.generateEd25519()).peerId();

  @Test
  void reservationReplyRoundTrips() throws Exception {
    Multiaddr a = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001").withPeerId(PEER);
    HopMessage m =
        new HopMessage(
            HopMessage.Type.STATUS,
            null,
            new Reservation(1_900_000_000L, List.of(a), new byte[] {1, 2}),
            RelayLimit.of(Duration.ofMinutes(2), 128 * 1024),
            RelayStatus.OK);
    HopMessage back = HopMessage.decode(m.encode());
    assertEquals(m, back);
    assertEquals(120, back.limit().durationSeconds());
    assertArrayEquals(new byte[] {1, 2}, back.reservation().voucher());
  }

  @Test
  void connectAndStopMessagesRoundTrip() throws Exception {
    HopMessage connect = HopMessage.connect(RelayPeer.of(PEER));
    assertEquals(connect, HopMessage.decode(connect.encode()));
    StopMessage stop = StopMessage.connect(RelayPeer.of(PEER), new RelayLimit(0, 4096));
    assertEquals(stop, StopMessage.decode(stop.encode()));
    StopMessage status = StopMessage.status(RelayStatus.CONNECTION_FAILED);
    assertEquals(status, StopMessage.decode(status.encode()));
  }

  @Test
  void wireBytesFollowTheSpecFieldNumbers() throws Exception {
    // HopMessage{type=STATUS(2), status=NO_RESERVATION(204)}: 08 02 28 cc 01
    assertArrayEquals(
        new byte[] {0x08, 0x02, 0x28, (byte) 0xcc, 0x01},
        HopMessage.status(RelayStatus.NO_RESERVATION).encode());
    // RESERVE is 0 and must still be written: the type is required.
    assertArrayEquals(new byte[] {0x08, 0x00}, HopMessage.reserve().encode());
  }

  @Test
  void messageWithoutTypeIsRefused() {
    byte[] onlyStatus = new ProtoWriter().uint64(5, 100).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HopMessage.decode(onlyStatus));
    assertThrows(ProtocolViolationException.class, () -> StopMessage.decode(new byte[0]));
  }

  @Test
  void unknownTypeOrStatusIsRefused() {
    assertThrows(
        ProtocolViolationException.class,
        () -> HopMessage.decode(new ProtoWriter().uint64(1, 7).toByteArray()));
    assertThrows(
        ProtocolViolationException.class,
        () -> HopMessage.decode(new ProtoWriter().uint64(1, 2).uint64(5, 999).toByteArray()));
  }

  @Test
  void truncatedOrGarbledInputIsAProtocolViolation() {
    byte[] ok = HopMessage.connect(RelayPeer.of(PEER)).encode();
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 3);
    assertThrows(ProtocolViolationException.class, () -> HopMessage.decode(cut));
    // a peer field whose id is not a peer id
    byte[] badPeer =
        new ProtoWriter()
            .uint64(1, 1)
            .bytes(2, new ProtoWriter().bytes(1, new byte[] {9, 9, 9}).toByteArray())
            .toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HopMessage.decode(badPeer));
    // a peer without id
    byte[] noId = new ProtoWriter().uint64(1, 1).bytes(2, new byte[0]).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HopMessage.decode(noId));
    // type sent with the wrong wire type
    byte[] wrongWire = new ProtoWriter().bytes(1, new byte[] {1}).toByteArray();
    assertThrows(ProtocolViolationException.class, () -> HopMessage.decode(wrongWire));
  }

  @Test
  void unparseableAddressesAreSkipped() throws Exception {
    byte[] peer =
        new ProtoWriter()
            .bytes(1, PEER.toBytes())
            .bytes(2, new byte[] {(byte) 0xff, (byte) 0xff, 0x7f})
            .toByteArray();
    HopMessage m = HopMessage.decode(new ProtoWriter().uint64(1, 1).bytes(2, peer).toByteArray());
    assertEquals(PEER, m.peer().id());
    assertEquals(List.of(), m.peer().addrs());
  }

  @Test
  void declaredLengthOverFourKibIsRefusedBeforeReading() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(UnsignedVarint.encode(HopMessage.MAX_SIZE + 1));
    // no body at all: the length alone must be refused (nothing allocated, nothing read)
    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class,
            () -> HopMessage.read(new ByteArrayInputStream(out.toByteArray())));
    assertEquals("message of 4097 bytes exceeds 4096", e.getMessage());
    assertThrows(
        ProtocolViolationException.class,
        () -> StopMessage.read(new ByteArrayInputStream(out.toByteArray())));
    assertThrows(
        ProtocolViolationException.class,
        () -> HopMessage.decode(new byte[HopMessage.MAX_SIZE + 1]));
  }

  @Test
  void framedMessagesReadBackAndCleanEndIsNull() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HopMessage.reserve().write(out);
    StopMessage.status(RelayStatus.OK).write(out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertEquals(HopMessage.reserve(), HopMessage.read(in));
    assertEquals(StopMessage.status(RelayStatus.OK), StopMessage.read(in));
    assertNull(HopMessage.read(in));
  }

  @Test
  void anExpiryPastWhatInstantHoldsIsTheEndOfTime() throws Exception {
    byte[] res = new ProtoWriter().uint64(1, -1L).toByteArray(); // 2^64 - 1 on the wire
    HopMessage m =
        HopMessage.decode(
            new ProtoWriter().uint64(1, 2).bytes(3, res).uint64(5, 100).toByteArray());
    assertEquals(java.time.Instant.MAX, m.reservation().expiry());
  }

  @Test
  void limitOutOfRangeIsRefused() {
    byte[] limit = new ProtoWriter().uint64(1, 1L << 33).toByteArray();
    assertThrows(
        ProtocolViolationException.class,
        () -> HopMessage.decode(new ProtoWriter().uint64(1, 2).bytes(4, limit).toByteArray()));
  }
}
