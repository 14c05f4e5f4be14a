package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.dure.identity.Identity;
import org.dure.net.Await;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.yamux.YamuxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection that died silently is found out as soon as something says the network changed, not
 * only by the keep-alive (15 s by default; a minute here, so that it cannot be what ends it). In
 * the NAT lab, A's router changed its public address: the hole-punched connection between A and B
 * went silent and both sides kept it for 15 s, while A's connection to the relay was reset at once
 * and A came back to B through the relay; B synced again 14-15 s after the move.
 */
@Timeout(60)
class NetworkChangeTest {
  private static final YamuxConfig SLOW_KEEPALIVE =
      YamuxConfig.defaults().withKeepAlive(Duration.ofSeconds(60));

  private static Host host(KeyPair key) throws Exception {
    return Host.builder()
        .identity(key)
        .listen("/ip4/127.0.0.1/tcp/0")
        .yamux(SLOW_KEEPALIVE)
        .build()
        .start();
  }

  private static Multiaddr via(FreezableProxy proxy, Host to) {
    return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + proxy.port()).withPeerId(to.peerId());
  }

  @Test
  void aNewConnectionFromAPeerEndsItsSilentlyDeadOneAtOnce() throws Exception {
    KeyPair aKey = Identity.generateEd25519();
    try (Host b = host(Identity.generateEd25519());
        Host a = host(aKey);
        FreezableProxy path = new FreezableProxy(b.boundAddresses().get(0).toTcpSocketAddress())) {
      a.dial(via(path, b));
      await("b has the connection", () -> !b.connectionManager().connections(a.peerId()).isEmpty());
      Connection oldAtB = b.connectionManager().connections(a.peerId()).get(0);
      path.freeze(); // the old path goes silent: no FIN, no RST

      // A comes back another way (as after its router's renumbering, through the relay): here a
      // new connection from the same peer, made by a fresh host with A's key.
      try (Host a2 = host(aKey)) {
        a2.dial(b.listenAddresses().get(0));
        long t0 = System.nanoTime();
        await("b closes the silent connection", () -> !oldAtB.isOpen());
        assertTrue(oldAtB.diedSilently(), "closed as dead, so the reconnector dials again");
        assertTrue(
            System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos(),
            "found out by a check, not by the keep-alive");
        assertTrue(
            b.connectionManager().connections(a.peerId()).stream().allMatch(Connection::isOpen));
      }
    }
  }

  @Test
  void aLostConnectionMakesTheHostCheckItsOthers() throws Exception {
    try (Host b = host(Identity.generateEd25519());
        Host c = host(Identity.generateEd25519());
        Host a = host(Identity.generateEd25519());
        FreezableProxy toB = new FreezableProxy(b.boundAddresses().get(0).toTcpSocketAddress());
        FreezableProxy toC = new FreezableProxy(c.boundAddresses().get(0).toTcpSocketAddress())) {
      Connection ab = a.dial(via(toB, b));
      Connection ac = a.dial(via(toC, c));
      toB.freeze(); // dead without a word
      Thread.sleep(200);
      assertTrue(ab.isOpen());

      // The connection to C ends without a GoAway (here: the path closes it; after a renumbering:
      // the far end answers the new address with a reset).
      toC.close();
      long t0 = System.nanoTime();
      await("a closes the silent connection to b", () -> !ab.isOpen());
      assertFalse(ac.isOpen());
      assertTrue(ab.diedSilently());
      assertTrue(
          System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos(),
          "found out by a check, not by the keep-alive");
    }
  }

  @Test
  void aConnectionThatAnswersSurvivesTheCheck() throws Exception {
    try (Host b = host(Identity.generateEd25519());
        Host c = host(Identity.generateEd25519());
        Host a = host(Identity.generateEd25519());
        FreezableProxy toC = new FreezableProxy(c.boundAddresses().get(0).toTcpSocketAddress())) {
      Connection ab = a.dial(b.listenAddresses().get(0));
      a.dial(via(toC, c));
      toC.close();
      Thread.sleep(4000); // longer than a check may take
      assertTrue(ab.isOpen(), "a live connection answers the ping and stays");
      assertFalse(ab.diedSilently());
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(20), done);
  }
}
