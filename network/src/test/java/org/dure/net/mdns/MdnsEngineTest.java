package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class MdnsEngineTest {
  static final PeerId SELF = new Identity(Identity.generateEd25519()).peerId();
  static final PeerId OTHER = new Identity(Identity.generateEd25519()).peerId();
  static final String NAME = "abcdefghijklmnopqrstuvwxyz012345";

  static MdnsEngine engine() {
    return new MdnsEngine(SELF, NAME, MdnsConfig.defaults());
  }

  static List<Multiaddr> someAddresses() {
    return List.of(
        Multiaddr.parse("/ip4/192.168.1.20/tcp/4001/p2p/" + SELF),
        Multiaddr.parse("/ip6/fd00::20/tcp/4001/p2p/" + SELF));
  }

  private static byte[] response(String instance, List<String> txt) {
    List<DnsRecord> answers = new ArrayList<>();
    answers.add(
        DnsRecord.of("_p2p._udp.local", 120, new DnsRecord.Ptr(instance + "._p2p._udp.local")));
    answers.add(DnsRecord.of(instance + "._p2p._udp.local", 120, DnsRecord.Txt.ofStrings(txt)));
    return DnsMessage.response(answers, List.of()).encode();
  }

  private static MdnsEngine.Incoming receive(MdnsEngine e, byte[] packet) throws Exception {
    return e.onPacket(packet, packet.length);
  }

  @Test
  void queriesForTheServicePtr() throws Exception {
    DnsMessage q = DnsMessage.decode(engine().queryPacket());
    assertFalse(q.isResponse());
    assertEquals(List.of(DnsQuestion.of("_p2p._udp.local", DnsRecord.TYPE_PTR)), q.questions());
  }

  @Test
  void respondsWithPtrAndOneTxtPerAddressAsJsLibp2p() throws Exception {
    DnsMessage r = DnsMessage.decode(engine().responsePacket(someAddresses()));
    assertTrue(r.isResponse());
    assertEquals(3, r.answers().size());
    assertEquals(new DnsRecord.Ptr(NAME + "._p2p._udp.local"), r.answers().get(0).data());
    assertEquals("_p2p._udp.local", r.answers().get(0).name());
    for (int i = 0; i < 2; i++) {
      DnsRecord txt = r.answers().get(i + 1);
      assertEquals(NAME + "._p2p._udp.local", txt.name());
      assertEquals(120, txt.ttl());
      assertEquals(
          List.of("dnsaddr=" + someAddresses().get(i)),
          assertInstanceOf(DnsRecord.Txt.class, txt.data()).texts());
    }
    assertNull(engine().responsePacket(List.of()));
  }

  @Test
  void anotherNodeDiscoversOurResponse() throws Exception {
    MdnsEngine other = new MdnsEngine(OTHER, "zz", MdnsConfig.defaults());
    MdnsEngine.Incoming in = receive(other, engine().responsePacket(someAddresses()));
    assertFalse(in.answerQuery());
    assertEquals(
        Map.of(
            SELF,
            List.of(
                Multiaddr.parse("/ip4/192.168.1.20/tcp/4001"),
                Multiaddr.parse("/ip6/fd00::20/tcp/4001"))),
        in.peers());
  }

  @Test
  void discoversTheCapturedJsPeerWithoutItsLoopbackAddress() throws Exception {
    MdnsEngine.Incoming in = receive(engine(), DnsMessageTest.JS_RESPONSE);
    assertEquals(
        Map.of(
            PeerId.parse(DnsMessageTest.JS_PEER),
            List.of(Multiaddr.parse("/ip4/10.77.1.1/tcp/4001"))),
        in.peers());
  }

  @Test
  void ignoresItsOwnResponse() throws Exception {
    assertEquals(Map.of(), receive(engine(), engine().responsePacket(someAddresses())).peers());
    // Also under another peer name (e.g. a previous run of this node).
    MdnsEngine restarted = new MdnsEngine(SELF, "other", MdnsConfig.defaults());
    assertEquals(Map.of(), receive(engine(), restarted.responsePacket(someAddresses())).peers());
  }

  @Test
  void answersServiceQueriesIncludingItsOwnAndQuOnes() throws Exception {
    MdnsEngine e = engine();
    assertTrue(receive(e, DnsMessageTest.JS_QUERY).answerQuery());
    assertTrue(receive(e, e.queryPacket()).answerQuery());
    byte[] qu =
        DnsMessage.query(
                List.of(
                    new DnsQuestion(
                        "_P2P._udp.local",
                        DnsRecord.TYPE_ANY,
                        DnsRecord.CLASS_IN | DnsQuestion.UNICAST_RESPONSE_BIT)))
            .encode();
    assertTrue(receive(e, qu).answerQuery());
    byte[] instance =
        DnsMessage.query(List.of(DnsQuestion.of(NAME + "._p2p._udp.local", DnsRecord.TYPE_TXT)))
            .encode();
    assertTrue(receive(e, instance).answerQuery());
  }

  @Test
  void ignoresOtherQueriesAndNonZeroOpcodes() throws Exception {
    MdnsEngine e = engine();
    byte[] other =
        DnsMessage.query(List.of(DnsQuestion.of("_http._tcp.local", DnsRecord.TYPE_PTR))).encode();
    assertFalse(receive(e, other).answerQuery());
    byte[] a =
        DnsMessage.query(List.of(DnsQuestion.of("_p2p._udp.local", DnsRecord.TYPE_A))).encode();
    assertFalse(receive(e, a).answerQuery());
    byte[] opcode = DnsMessageTest.JS_QUERY.clone();
    opcode[2] = 0x10; // opcode 2 (status)
    assertFalse(receive(e, opcode).answerQuery());
    byte[] rcode = DnsMessageTest.JS_RESPONSE.clone();
    rcode[3] = 0x03; // NXDOMAIN
    assertEquals(Map.of(), receive(e, rcode).peers());
  }

  @Test
  void skipsStringsThatAreNotDnsaddrMultiaddrs() throws Exception {
    byte[] packet =
        response(
            "peer",
            List.of(
                "dnsaddr=not a multiaddr",
                "dnsaddr=/ip4/10.0.0.9/tcp/1", // no /p2p/
                "dnsaddr=/ip4/10.0.0.9/tcp/x/p2p/" + OTHER,
                "hello=/ip4/10.0.0.9/tcp/2/p2p/" + OTHER,
                "DNSADDR=/ip4/10.0.0.9/tcp/3/p2p/" + OTHER,
                "dnsaddr=",
                "dnsaddr=/ip4/10.0.0.9/tcp/4/p2p/" + OTHER));
    assertEquals(
        Map.of(OTHER, List.of(Multiaddr.parse("/ip4/10.0.0.9/tcp/4"))),
        receive(engine(), packet).peers());
  }

  @Test
  void ignoresTxtRecordsOfOtherServices() throws Exception {
    List<DnsRecord> answers =
        List.of(
            DnsRecord.of(
                "x._http._tcp.local",
                120,
                DnsRecord.Txt.ofStrings(List.of("dnsaddr=/ip4/10.0.0.9/tcp/4/p2p/" + OTHER))));
    byte[] packet = DnsMessage.response(answers, List.of()).encode();
    assertEquals(Map.of(), receive(engine(), packet).peers());
  }

  @Test
  void readsTxtRecordsFromAdditionalsAsTheSpecPlacesThem() throws Exception {
    byte[] packet =
        DnsMessage.response(
                List.of(
                    DnsRecord.of("_p2p._udp.local", 120, new DnsRecord.Ptr("go._p2p._udp.local"))),
                List.of(
                    DnsRecord.of(
                        "go._p2p._udp.local",
                        120,
                        DnsRecord.Txt.ofStrings(
                            List.of(
                                "dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" + OTHER,
                                "dnsaddr=/ip4/10.0.0.2/udp/1/quic-v1/p2p/" + OTHER)))))
            .encode();
    assertEquals(
        Map.of(
            OTHER,
            List.of(
                Multiaddr.parse("/ip4/10.0.0.1/tcp/1"),
                Multiaddr.parse("/ip4/10.0.0.2/udp/1/quic-v1"))),
        receive(engine(), packet).peers());
  }

  @Test
  void keepsAtMostTheConfiguredNumberOfAddressesPerPeer() throws Exception {
    List<String> txt = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      txt.add("dnsaddr=/ip4/10.0.0.1/tcp/" + (1000 + i) + "/p2p/" + OTHER);
    }
    byte[] packet = response("p", txt); // one TXT record with 90 strings
    List<Multiaddr> got = receive(engine(), packet).peers().get(OTHER);
    assertEquals(64, got.size());
    assertEquals(Multiaddr.parse("/ip4/10.0.0.1/tcp/1000"), got.get(0));
  }

  @Test
  void announcesInterfaceAddressesForWildcardsAndNoLoopback() throws Exception {
    List<Multiaddr> listen =
        List.of(
            Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"),
            Multiaddr.parse("/ip6/::/tcp/4001"),
            Multiaddr.parse("/ip4/127.0.0.1/tcp/4002"),
            Multiaddr.parse("/ip6/::1/tcp/4002"),
            Multiaddr.parse("/ip4/10.1.2.3/tcp/4003/p2p/" + SELF),
            Multiaddr.parse("/ip4/10.1.2.3/tcp/4004/p2p/" + OTHER),
            Multiaddr.parse("/dns4/example.local/tcp/4005"));
    List<InetAddress> interfaces =
        List.of(
            InetAddress.getByName("10.77.1.1"),
            InetAddress.getByName("127.0.0.1"),
            InetAddress.getByName("fe80::1"),
            InetAddress.getByName("fd00::1"));
    assertEquals(
        List.of(
            Multiaddr.parse("/ip4/10.77.1.1/tcp/4001/p2p/" + SELF),
            Multiaddr.parse("/ip6/fd00::1/tcp/4001/p2p/" + SELF),
            Multiaddr.parse("/ip4/10.1.2.3/tcp/4003/p2p/" + SELF),
            Multiaddr.parse("/dns4/example.local/tcp/4005/p2p/" + SELF)),
        engine().announceable(listen, interfaces));
  }

  @Test
  void announcesAtMostTheLimitAndOnlyWhatFitsATxtString() throws Exception {
    List<Multiaddr> listen = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      listen.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (1000 + i)));
    }
    listen.add(0, Multiaddr.parse("/dns4/" + "a".repeat(200) + "/tcp/1"));
    List<Multiaddr> out = engine().announceable(listen, List.of());
    assertEquals(64, out.size());
    assertEquals(Multiaddr.parse("/ip4/10.0.0.1/tcp/1000/p2p/" + SELF), out.get(0));
    // And the response stays under the mDNS packet limit even with long addresses.
    List<Multiaddr> longOnes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      longOnes.add(Multiaddr.parse("/dns4/" + i + "a".repeat(150) + "/tcp/1/p2p/" + SELF));
    }
    byte[] packet = engine().responsePacket(longOnes);
    assertTrue(packet.length <= DnsMessage.MAX_PACKET, "size " + packet.length);
    assertTrue(DnsMessage.decode(packet).answers().size() > 10);
  }

  @Test
  void pacesResponsesAndAnswersEveryQueryWithinTheInterval() {
    MdnsEngine e =
        new MdnsEngine(
            SELF, NAME, MdnsConfig.defaults().withMinResponseInterval(Duration.ofSeconds(1)));
    long s = 1_000_000_000L;
    long t0 = 5 * s;
    assertEquals(t0, e.scheduleResponse(t0)); // first: at once
    assertEquals(-1, e.scheduleResponse(t0 + 1)); // already pending
    e.responseSent(t0);
    long t1 = t0 + s / 10;
    assertEquals(t0 + s, e.scheduleResponse(t1)); // too soon: at the end of the interval
    assertEquals(-1, e.scheduleResponse(t1 + 5)); // folded into that one
    e.responseSent(t0 + s);
    assertEquals(t0 + 3 * s, e.scheduleResponse(t0 + 3 * s)); // later: at once again
  }

  @Test
  void rejectsBadPeerNames() {
    assertThrows(
        IllegalArgumentException.class, () -> new MdnsEngine(SELF, "Upper", MdnsConfig.defaults()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MdnsEngine(SELF, "a".repeat(64), MdnsConfig.defaults()));
    String random = MdnsEngine.randomPeerName(new java.security.SecureRandom());
    assertTrue(random.matches("[a-z0-9]{32}"), random);
  }
}
