package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
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

  @RepeatedTest(20)
  void bothDiallingAtOnceGiveAWorkingHolePunchedConnection() throws Exception {
    try (Host a = host();
        Host b = host()) {
      b.setHandler("/echo-once", s -> s.writeMessage(s.readMessage(64)));
      Multiaddr toB = b.listenAddresses().get(0);
      Multiaddr toA = a.listenAddresses().get(0);
      // As DCUtR does: both know the other's address before either dials.
      a.expectHolePunch(toB, true, Duration.ofSeconds(5));
      b.expectHolePunch(toA, false, Duration.ofSeconds(5));
      CompletableFuture<Connection> fromA = a.dialHolePunch(toB, true, Duration.ofSeconds(5), null);
      CompletableFuture<Connection> fromB =
          b.dialHolePunch(toA, false, Duration.ofSeconds(5), null);
      Connection ca = fromA.get(10, TimeUnit.SECONDS);
      assertTrue(ca.isHolePunched());
      assertEquals("hole-punched", ca.kind());
      assertEquals(Direction.OUTBOUND, ca.direction(), "the client is the dialler of the upgrade");
      Connection cb = fromB.get(10, TimeUnit.SECONDS);
      assertTrue(cb.isHolePunched());
      assertEquals(Direction.INBOUND, cb.direction(), "B is the server");
      assertEquals(a.peerId(), cb.remotePeer());
      try (Stream s = ca.newStream("/echo-once")) {
        s.writeMessage(new byte[] {7});
        assertEquals(7, s.readMessage(64)[0]);
      }
    }
  }

  /**
   * The race behind B's punch timing out now and then: A's SYN reached B's listener and made the
   * connection before B dialled. B's dial must then return that connection, not start a second
   * punch whose dial finds the address pair taken and waits for its timeout.
   */
  @Test
  void aPunchWhoseConnectionCameInFirstIsReturnedByTheDial() throws Exception {
    try (Host a = host();
        Host b = host()) {
      Multiaddr toB = b.listenAddresses().get(0);
      Multiaddr toA = a.listenAddresses().get(0);
      CompletableFuture<Connection> expected = b.expectHolePunch(toA, false, Duration.ofSeconds(5));
      Connection ca =
          a.dialHolePunch(toB, true, Duration.ofSeconds(5), null).get(10, TimeUnit.SECONDS);
      Connection accepted = expected.get(10, TimeUnit.SECONDS);
      // A second punch would dial, find the address pair taken and fail when its time is up.
      Connection cb =
          b.dialHolePunch(toA, false, Duration.ofSeconds(5), null).get(10, TimeUnit.SECONDS);
      assertTrue(cb == accepted, "B's dial returns the connection its listener accepted");
      assertTrue(cb.isHolePunched());
      assertEquals(Direction.INBOUND, cb.direction());
      assertEquals(1, b.connectionManager().connections(a.peerId()).size());
      assertTrue(ca.isOpen());
    }
  }

  /**
   * B dials while its listener is still upgrading the connection A's SYN made: B's dial finds the
   * address pair taken and adopts that connection, which the upgrade then hands to the same punch.
   * It must stay open (it was once closed as "a second connection").
   */
  @RepeatedTest(20)
  void aDialWhileTheListenerUpgradesTheOtherSidesConnectionKeepsIt(RepetitionInfo info)
      throws Exception {
    try (Host a = host();
        Host b = host()) {
      b.setHandler("/echo-once", s -> s.writeMessage(s.readMessage(64)));
      Multiaddr toB = b.listenAddresses().get(0);
      Multiaddr toA = a.listenAddresses().get(0);
      b.expectHolePunch(toA, false, Duration.ofSeconds(5));
      CompletableFuture<Connection> fromA = a.dialHolePunch(toB, true, Duration.ofSeconds(5), null);
      Thread.sleep(info.getCurrentRepetition() % 5); // within the upgrade, at one point or another
      CompletableFuture<Connection> fromB =
          b.dialHolePunch(toA, false, Duration.ofSeconds(5), null);
      Connection ca = fromA.get(10, TimeUnit.SECONDS);
      Connection cb = fromB.get(10, TimeUnit.SECONDS);
      try (Stream s = ca.newStream("/echo-once")) {
        s.writeMessage(new byte[] {7});
        assertEquals(7, s.readMessage(64)[0]);
      }
      assertTrue(ca.isOpen() && cb.isOpen());
      assertEquals(List.of(cb), b.connectionManager().connections(a.peerId()));
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

  /**
   * A punch dial whose SYN got no answer (here: a loopback listener whose accept queue is full
   * drops it, as a home router drops an unsolicited SYN) leaves a router entry behind in the real
   * world; the host remembers the address, so that the next punch towards it dials before it
   * signals the other side. The SYN is reported on the wire while the dial still waits. A refused
   * dial (a reset closes the router's entry) is not remembered.
   */
  @Test
  void aPunchDialThatGotNoAnswerIsRememberedAndOneRefusedIsNot() throws Exception {
    try (Host a = host();
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String peer = "/p2p/" + Identity.ephemeral().peerId();
      List<SocketChannel> queued = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) { // the queue holds two; later SYNs are dropped
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.connect(full.getLocalSocketAddress());
          queued.add(ch);
          Thread.sleep(50);
        }
        Multiaddr silent = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + full.getLocalPort() + peer);
        assertFalse(a.mayHoldStaleMapping(silent));
        CompletableFuture<Void> onWire = new CompletableFuture<>();
        CompletableFuture<Connection> dial =
            a.dialHolePunch(silent, true, Duration.ofMillis(1500), onWire);
        onWire.get(5, TimeUnit.SECONDS);
        assertFalse(dial.isDone(), "the SYN has left, nobody answered yet");
        assertTrue(a.mayHoldStaleMapping(silent), "a dial under way holds the entry");
        assertThrows(ExecutionException.class, () -> dial.get(10, TimeUnit.SECONDS));
        Thread.sleep(1000); // the dial (same 1.5 s) has ended too, its end recorded
        assertTrue(a.mayHoldStaleMapping(silent), "unanswered: the router may still track it");
      } finally {
        for (SocketChannel ch : queued) {
          ch.close();
        }
      }

      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      Multiaddr refusing = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort + peer);
      CompletableFuture<Connection> refused =
          a.dialHolePunch(refusing, true, Duration.ofMillis(1500), null);
      assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
      Thread.sleep(100);
      assertFalse(a.mayHoldStaleMapping(refusing), "refused: the reset closed the entry");
    }
  }
}
