package org.dure.net.autonat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatMessage.DialRequest;
import org.dure.net.autonat.AutonatMessage.ResponseStatus;
import org.dure.net.autonat.AutonatServerEngine.Dial;
import org.dure.net.autonat.AutonatServerEngine.Refuse;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class AutonatServerEngineTest {
  private static final PeerId P = new Identity(Identity.generateEd25519()).peerId();
  private static final PeerId Q = new Identity(Identity.generateEd25519()).peerId();
  private final AtomicLong now = new AtomicLong();
  private final AutonatServerEngine engine =
      new AutonatServerEngine(AutonatConfig.defaults(), now::get);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static DialRequest request(String... addrs) {
    return new DialRequest(List.of(addrs).stream().map(Multiaddr::parse).toList(), 1);
  }

  @Test
  void dialsTheFirstPublicAddressAtTheRequestersOwnIp() throws Exception {
    AutonatServerEngine.Decision d =
        engine.decide(
            P,
            request(
                "/ip4/192.168.1.2/tcp/4001",
                "/ip4/198.51.100.9/tcp/4001",
                "/ip4/203.0.113.5/tcp/4001",
                "/ip4/203.0.113.5/tcp/4002"),
            ip("203.0.113.5"),
            true);
    assertEquals(new Dial(2, Multiaddr.parse("/ip4/203.0.113.5/tcp/4001")), d);
  }

  @Test
  void aThirdPartysAddressIsNeverDialled() throws Exception {
    Refuse r =
        assertInstanceOf(
            Refuse.class,
            engine.decide(P, request("/ip4/198.51.100.9/tcp/4001"), ip("203.0.113.5"), true));
    assertEquals(ResponseStatus.E_DIAL_REFUSED, r.status());
  }

  @Test
  void privateLoopbackAndRelayedAddressesAreRefusedAndSoIsARelayedRequest() throws Exception {
    assertEquals(
        ResponseStatus.E_DIAL_REFUSED,
        ((Refuse) engine.decide(P, request("/ip4/10.0.0.1/tcp/1"), ip("10.0.0.1"), true)).status());
    assertEquals(
        ResponseStatus.E_DIAL_REFUSED,
        ((Refuse) engine.decide(Q, request("/ip4/127.0.0.1/tcp/1"), ip("127.0.0.1"), true))
            .status());
    assertEquals(
        ResponseStatus.E_REQUEST_REJECTED,
        ((Refuse) engine.decide(P, request("/ip4/203.0.113.5/tcp/1"), null, true)).status());
  }

  @Test
  void withoutConsentNothingIsServed() throws Exception {
    assertEquals(
        ResponseStatus.E_REQUEST_REJECTED,
        ((Refuse) engine.decide(P, request("/ip4/203.0.113.5/tcp/1"), ip("203.0.113.5"), false))
            .status());
  }

  @Test
  void ratesArePerPeerPerMinuteAndDialsInProgressAreCapped() throws Exception {
    InetAddress ip = ip("203.0.113.5");
    for (int i = 0; i < 4; i++) {
      assertInstanceOf(Dial.class, engine.decide(P, request("/ip4/203.0.113.5/tcp/1"), ip, true));
      engine.finished();
    }
    assertEquals(
        ResponseStatus.E_REQUEST_REJECTED,
        ((Refuse) engine.decide(P, request("/ip4/203.0.113.5/tcp/1"), ip, true)).status(),
        "the fifth request within a minute");
    assertInstanceOf(
        Dial.class, engine.decide(Q, request("/ip4/203.0.113.5/tcp/1"), ip, true), "another peer");
    now.addAndGet(60_000_000_000L);
    assertInstanceOf(Dial.class, engine.decide(P, request("/ip4/203.0.113.5/tcp/1"), ip, true));
    // Two dials in progress (Q's and P's): a third waits for one to finish.
    PeerId r = new Identity(Identity.generateEd25519()).peerId();
    assertInstanceOf(Refuse.class, engine.decide(r, request("/ip4/203.0.113.5/tcp/1"), ip, true));
    engine.finished();
    assertInstanceOf(Dial.class, engine.decide(r, request("/ip4/203.0.113.5/tcp/1"), ip, true));
  }
}
