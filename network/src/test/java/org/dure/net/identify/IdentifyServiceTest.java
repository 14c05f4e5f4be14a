package org.dure.net.identify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class IdentifyServiceTest {
  private final Identity me = new Identity(Identity.generateEd25519());

  private IdentifyService service(
      List<Multiaddr> listen, List<Multiaddr> announced, List<String> protocols) {
    return new IdentifyService(
        new IdentifyService.LocalPeer() {
          @Override
          public LibP2pPublicKey publicKey() {
            return me.publicKey();
          }

          @Override
          public String agentVersion() {
            return "test/1";
          }

          @Override
          public List<Multiaddr> listenAddresses() {
            return listen;
          }

          @Override
          public List<Multiaddr> announcedAddresses() {
            return announced;
          }

          @Override
          public List<String> protocols() {
            return protocols;
          }
        });
  }

  private static List<Multiaddr> loopbackPorts(int from, int count) {
    List<Multiaddr> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (from + i)));
    }
    return out;
  }

  @Test
  void responderSendsOneLengthPrefixedMessageWithTheObservedAddress() throws Exception {
    Multiaddr listen = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
    Multiaddr observed = Multiaddr.parse("/ip4/198.51.100.9/tcp/55000");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service(List.of(listen), List.of(), List.of(IdentifyService.PROTOCOL_ID))
        .respond(out, observed);

    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    byte[] frame = IdentifyService.readFrame(in);
    assertEquals(-1, in.read(), "one message, nothing after it");
    IdentifyMessage m = IdentifyService.decode(frame, me.peerId());
    assertEquals(IdentifyService.PROTOCOL_VERSION, m.protocolVersion());
    assertEquals("test/1", m.agentVersion());
    assertArrayEquals(me.publicKey().toProtobuf(), m.publicKey());
    assertEquals(List.of(listen), m.listenAddrs());
    assertEquals(observed, m.observedAddr());
    assertEquals(List.of(IdentifyService.PROTOCOL_ID), m.protocols());
  }

  @Test
  void pushCarriesNoObservedAddress() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service(loopbackPorts(1000, 1), List.of(), List.of()).push(out);
    IdentifyMessage m =
        IdentifyService.decode(
            IdentifyService.readFrame(new ByteArrayInputStream(out.toByteArray())), me.peerId());
    assertNull(m.observedAddr());
  }

  @Test
  void listenAddressesGiveWayToAnnouncedOnesBeyondThirtyTwo() {
    List<Multiaddr> listen = loopbackPorts(1000, 40);
    Multiaddr external = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
    Multiaddr relayed =
        Multiaddr.parse(
            "/ip4/203.0.113.8/tcp/4001/p2p/12D3KooWLQc9ZbQvyJCxQ2HL3Ys6FYC4oV5kXhZPDkfySmWXAXyj"
                + "/p2p-circuit");
    List<Multiaddr> announced = List.of(external, relayed);
    // An announced address that is also a listen address is sent once, as an announced one.
    List<Multiaddr> withDuplicate = new ArrayList<>(listen);
    withDuplicate.add(0, external);
    IdentifyMessage m = service(withDuplicate, announced, List.of()).localMessage(null);
    assertEquals(IdentifyService.MAX_ADDRESSES, m.listenAddrs().size());
    assertEquals(listen.subList(0, 30), m.listenAddrs().subList(0, 30));
    assertEquals(announced, m.listenAddrs().subList(30, 32));
  }

  @Test
  void protocolsAreDroppedFromTheEndToFitTheSizeLimit() {
    List<String> protocols =
        new ArrayList<>(List.of(IdentifyService.PROTOCOL_ID, "/ipfs/ping/1.0.0"));
    for (int i = 0; i < 200; i++) {
      protocols.add("/app/" + "x".repeat(40) + "/" + i);
    }
    IdentifyMessage m = service(loopbackPorts(1000, 2), List.of(), protocols).localMessage(null);
    assertTrue(m.encode().length <= IdentifyMessage.MAX_SIZE);
    assertTrue(m.protocols().size() < protocols.size());
    assertEquals(protocols.subList(0, m.protocols().size()), m.protocols(), "a prefix is kept");
    List<String> oneMore = protocols.subList(0, m.protocols().size() + 1);
    IdentifyMessage bigger =
        new IdentifyMessage(
            m.protocolVersion(), m.agentVersion(), m.publicKey(), m.listenAddrs(), null, oneMore);
    assertTrue(bigger.encode().length > IdentifyMessage.MAX_SIZE, "as many as fit");
  }

  @Test
  void readFrameRejectsADeclaredLengthOverTheLimitBeforeReadingIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(UnsignedVarint.encode(IdentifyMessage.MAX_SIZE + 1));
    // No body follows: the length alone is refused.
    assertThrows(
        ProtocolViolationException.class,
        () -> IdentifyService.readFrame(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void readFrameReturnsNullOnACleanEnd() throws Exception {
    assertNull(IdentifyService.readFrame(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void decodeRejectsAnotherPeersKey() throws Exception {
    Identity other = new Identity(Identity.generateEd25519());
    byte[] frame = service(List.of(), List.of(), List.of()).localMessage(null).encode();
    assertArrayEquals(
        me.publicKey().toProtobuf(), IdentifyService.decode(frame, me.peerId()).publicKey());
    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class, () -> IdentifyService.decode(frame, other.peerId()));
    assertTrue(e.getMessage().contains("another peer's key"), e.getMessage());
  }

  @Test
  void decodeRejectsBytesThatAreNoMessage() {
    byte[] garbage = {(byte) 0x0a, (byte) 0xff}; // field 1, length 255, nothing after
    assertThrows(
        ProtocolViolationException.class, () -> IdentifyService.decode(garbage, me.peerId()));
  }
}
