package org.dure.net.autonat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dure.net.autonat.AutonatClient.Outcome;
import org.dure.net.autonat.AutonatClient.Result;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AutoNAT v2 between real hosts on loopback (private addresses allowed for the test): a reachable
 * address is confirmed with the nonce, a dead one is reported unreachable, and a request to dial a
 * third party's address or without consent is refused without a packet reaching anyone.
 */
@Timeout(60)
class AutonatEndToEndTest {
  private static final AutonatConfig CONFIG =
      AutonatConfig.defaults().withAllowPrivateAddresses(true).withRequestsPerPeerPerMinute(10);

  private static Host host(String listen) throws Exception {
    return Host.builder().listen(listen).build().start();
  }

  @Test
  void aReachableAddressIsConfirmedAndADeadOneIsNot() throws Exception {
    try (Host server = host("/ip4/127.0.0.1/tcp/0");
        Host client = host("/ip4/127.0.0.1/tcp/0");
        AutonatServer s = new AutonatServer(server, CONFIG, p -> true).start();
        AutonatClient c = new AutonatClient(client, CONFIG).start()) {
      Connection conn = client.dial(server.listenAddresses().get(0));
      Multiaddr mine = client.listenAddresses().get(0).withoutPeerId();
      Result r = c.check(conn, List.of(mine));
      assertEquals(Outcome.REACHABLE, r.outcome(), r.detail());
      assertEquals(mine, r.address());
      assertEquals(server.peerId(), r.server());

      Result dead = c.check(conn, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
      assertEquals(Outcome.UNREACHABLE, dead.outcome());
      assertTrue(conn.isOpen(), "the request's own connection stays");
      assertEquals(
          1, server.connectionManager().connections(client.peerId()).size(), "probes closed");
    }
  }

  @Test
  void aRequestToDialAThirdPartyIsRefusedAndTheThirdPartyHearsNothing() throws Exception {
    // The victim listens on another loopback IP than the one the requester comes from.
    try (Host server = host("/ip4/127.0.0.1/tcp/0");
        Host attacker = host("/ip4/127.0.0.1/tcp/0");
        Host victim = host("/ip4/127.0.0.2/tcp/0");
        AutonatServer s = new AutonatServer(server, CONFIG, p -> true).start();
        AutonatClient c = new AutonatClient(attacker, CONFIG).start()) {
      AtomicInteger victimConnections = new AtomicInteger();
      victim.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void connected(Connection connection) {
              victimConnections.incrementAndGet();
            }
          });
      Connection conn = attacker.dial(server.listenAddresses().get(0));
      Multiaddr target = victim.listenAddresses().get(0).withoutPeerId();
      Result r = c.check(conn, List.of(target));
      assertEquals(Outcome.UNKNOWN, r.outcome());
      assertNull(r.address());
      assertEquals("E_DIAL_REFUSED", r.detail());
      Thread.sleep(500);
      assertEquals(0, victimConnections.get());
    }
  }

  @Test
  void withoutConsentAndOverTheRateTheServerRejects() throws Exception {
    AutonatConfig strict = CONFIG.withRequestsPerPeerPerMinute(1);
    try (Host server = host("/ip4/127.0.0.1/tcp/0");
        Host friend = host("/ip4/127.0.0.1/tcp/0");
        Host stranger = host("/ip4/127.0.0.1/tcp/0");
        AutonatServer s =
            new AutonatServer(server, strict, p -> p.equals(friend.peerId())).start();
        AutonatClient fc = new AutonatClient(friend, strict).start();
        AutonatClient sc = new AutonatClient(stranger, strict).start()) {
      Result refused =
          sc.check(
              stranger.dial(server.listenAddresses().get(0)),
              List.of(stranger.listenAddresses().get(0).withoutPeerId()));
      assertEquals("E_REQUEST_REJECTED", refused.detail());
      Connection fconn = friend.dial(server.listenAddresses().get(0));
      List<Multiaddr> mine = List.of(friend.listenAddresses().get(0).withoutPeerId());
      assertEquals(Outcome.REACHABLE, fc.check(fconn, mine).outcome());
      assertEquals("E_REQUEST_REJECTED", fc.check(fconn, mine).detail(), "over the rate");
    }
  }

  @Test
  void theCheckerRecordsAnswersFromConnectedServers() throws Exception {
    try (Host s1 = host("/ip4/127.0.0.1/tcp/0");
        Host s2 = host("/ip4/127.0.0.1/tcp/0");
        Host me = host("/ip4/127.0.0.1/tcp/0");
        AutonatServer a1 = new AutonatServer(s1, CONFIG, p -> true).start();
        AutonatServer a2 = new AutonatServer(s2, CONFIG, p -> true).start();
        AutonatClient client = new AutonatClient(me, CONFIG).start()) {
      me.dial(s1.listenAddresses().get(0)).identified().get();
      me.dial(s2.listenAddresses().get(0)).identified().get();
      Reachability reachability = new Reachability(2, System::nanoTime);
      try (ReachabilityChecker checker =
          new ReachabilityChecker(me, client, reachability, CONFIG, Duration.ofHours(1))) {
        checker.round();
      }
      assertEquals(
          List.of(me.listenAddresses().get(0).withoutPeerId()), reachability.reachableAddresses());
      assertTrue(reachability.isPublic());
    }
  }
}
