package org.dure.net.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Circuit relay v2 between three Java hosts on 127.0.0.1: relay R, target B, dialler A. */
@Timeout(30)
class RelayTest {
  private static final String ECHO = "/test/echo/1.0.0";
  private static final String SINK = "/test/sink/1.0.0";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicLong sunk = new AtomicLong();

  private Host host() throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build();
    h.setHandler(
        ECHO,
        s -> {
          s.inputStream().transferTo(s.outputStream());
          s.close();
        });
    h.setHandler(
        SINK,
        s -> {
          InputStream in = s.inputStream();
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) > 0) {
            sunk.addAndGet(n);
          }
          s.close();
        });
    h.start();
    closeables.add(h);
    return h;
  }

  private RelayService relay(Host r, RelayConfig config, RelayPolicy policy) {
    RelayService service = new RelayService(r, config, policy).start();
    closeables.add(0, service);
    return service;
  }

  private RelayClient client(Host h) {
    RelayClient c = new RelayClient(h).start();
    closeables.add(0, c);
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static Multiaddr circuit(Host relay, Host target) {
    return Multiaddr.parse(relay.listenAddresses().get(0) + "/p2p-circuit")
        .withPeerId(target.peerId());
  }

  private static byte[] echo(Connection c, byte[] data) throws IOException {
    try (Stream s = c.newStream(ECHO)) {
      s.setReadTimeout(10_000);
      s.outputStream().write(data);
      s.closeWrite();
      return s.inputStream().readAllBytes();
    }
  }

  @Test
  void dialThroughRelayGivesAConnectionToTheTargetWithStreamsBothWays() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    relay(r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()));
    RelayClient bClient = client(b);
    client(a);

    Reservation res = bClient.reserve(r.listenAddresses().get(0));
    assertTrue(res.expiry().isAfter(Instant.now()));
    assertEquals(r.listenAddresses(), res.addrs());
    assertEquals(List.of(circuit(r, b)), bClient.relayedAddresses());

    Connection ab = a.dial(circuit(r, b));
    assertEquals(b.peerId(), ab.remotePeer());
    assertTrue(ab.isRelayed());
    assertNotNull(ab.identified().get(10, TimeUnit.SECONDS));

    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    assertArrayEquals(data, echo(ab, data));
    assertTrue(a.ping(ab).toMillis() < 10_000);

    // B sees an inbound relayed connection from A and can open streams on it too.
    Connection ba = null;
    for (int i = 0; i < 100 && ba == null; i++) {
      for (Connection c : b.connectionManager().connections(a.peerId())) {
        if (c.isRelayed()) {
          ba = c;
        }
      }
      if (ba == null) {
        Thread.sleep(20);
      }
    }
    assertNotNull(ba, "B has no relayed connection from A");
    assertEquals(a.peerId(), ba.remotePeer());
    assertArrayEquals(data, echo(ba, data));

    // Closing the relayed connection frees the circuit on the relay; the direct ones stay.
    ab.close();
    ab.closeFuture().get(10, TimeUnit.SECONDS);
    ba.closeFuture().get(10, TimeUnit.SECONDS);
    assertTrue(a.connectionManager().find(r.peerId()) != null);
  }

  @Test
  void defaultPolicyRefusesReservationsAndCircuits() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    relay(r, RelayConfig.defaults(), RelayPolicy.REFUSE_ALL);
    RelayClient bClient = client(b);
    client(a);

    RelayRefusedException refused =
        assertThrows(
            RelayRefusedException.class, () -> bClient.reserve(r.listenAddresses().get(0)));
    assertEquals(RelayStatus.RESERVATION_REFUSED, refused.status());
    assertTrue(bClient.relayedAddresses().isEmpty());

    RelayRefusedException denied =
        assertThrows(RelayRefusedException.class, () -> a.dial(circuit(r, b)));
    assertEquals(RelayStatus.PERMISSION_DENIED, denied.status());
    assertTrue(denied.getMessage().contains("did not connect us to " + b.peerId()));
    assertTrue(a.connectionManager().connections(b.peerId()).isEmpty());
  }

  @Test
  void connectToAPeerWithoutReservationFails() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    relay(r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()));
    client(b);
    client(a);
    b.dial(r.listenAddresses().get(0)); // connected, but no reservation
    RelayRefusedException e =
        assertThrows(RelayRefusedException.class, () -> a.dial(circuit(r, b)));
    assertEquals(RelayStatus.NO_RESERVATION, e.status());
    // A CONNECT to the relay itself is refused too.
    Connection ar = a.dial(r.listenAddresses().get(0));
    try (Stream s = ar.newStream(RelayService.HOP)) {
      s.setReadTimeout(10_000);
      HopMessage.connect(RelayPeer.of(r.peerId())).write(s.outputStream());
      assertEquals(RelayStatus.PERMISSION_DENIED, HopMessage.read(s.inputStream()).status());
    }
  }

  @Test
  void hostWithoutRelayClientRefusesCircuitAddressesClearly() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    IOException e = assertThrows(IOException.class, () -> a.dial(circuit(r, b)));
    assertTrue(e.getMessage().contains("no relay client"), e.getMessage());
  }

  @Test
  void circuitOverItsDataLimitIsClosed() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    long limit = 200_000;
    relay(
        r,
        RelayConfig.defaults().withLimit(new RelayLimit(0, limit)),
        RelayPolicy.allowingAll(new UploadLimiter()));
    client(b).reserve(r.listenAddresses().get(0));
    client(a);
    Connection ab = a.dial(circuit(r, b));
    assertArrayEquals(new byte[1000], echo(ab, new byte[1000])); // well within the limit

    Stream s = ab.newStream(SINK);
    assertThrows(
        IOException.class,
        () -> {
          byte[] chunk = new byte[16 * 1024];
          for (int i = 0; i < 200; i++) { // 3.2 MB, far over the limit
            s.outputStream().write(chunk);
          }
        });
    ab.closeFuture().get(10, TimeUnit.SECONDS);
    assertFalse(ab.isOpen());
    assertTrue(sunk.get() < limit, "sink got " + sunk.get());
  }

  @Test
  void circuitOverItsDurationLimitIsClosed() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    RelayService service =
        relay(
            r,
            RelayConfig.defaults().withLimit(new RelayLimit(1, 0)),
            RelayPolicy.allowingAll(new UploadLimiter()));
    client(b).reserve(r.listenAddresses().get(0));
    client(a);
    long start = System.nanoTime();
    Connection ab = a.dial(circuit(r, b));
    assertArrayEquals(new byte[] {7}, echo(ab, new byte[] {7}));
    ab.closeFuture().get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 900 && ms < 5000, "closed after " + ms + " ms");
    for (int i = 0; i < 100 && service.activeCircuits() > 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(0, service.activeCircuits());
  }

  @Test
  void whenTheTargetGoesAwayTheRelayedConnectionClosesAndItsReservationEnds() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    RelayService service =
        relay(r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()));
    client(b).reserve(r.listenAddresses().get(0));
    assertEquals(Set.of(b.peerId()), service.reservations());
    client(a);
    Connection ab = a.dial(circuit(r, b));
    b.stop();
    ab.closeFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 100 && !service.reservations().isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertTrue(service.reservations().isEmpty(), "the reservation ends with B's connection");
    RelayRefusedException e =
        assertThrows(RelayRefusedException.class, () -> a.dial(circuit(r, b)));
    assertEquals(RelayStatus.NO_RESERVATION, e.status());
  }

  /**
   * A lying relay joins A's CONNECT for B to another peer: A's Noise handshake finds that the
   * remote is not B and the dial fails, as it would over TCP.
   */
  @Test
  void aRelayThatJoinsTheWrongPeerIsCaughtByTheHandshake() throws Exception {
    Host liar = host();
    Host b = host();
    Host other = host();
    Host a = host();
    liar.setHandler(
        RelayService.HOP,
        s -> {
          HopMessage m = HopMessage.read(s.inputStream());
          if (m.type() == HopMessage.Type.RESERVE) {
            new HopMessage(
                    HopMessage.Type.STATUS,
                    null,
                    new Reservation(Long.MAX_VALUE >>> 1, liar.listenAddresses(), null),
                    null,
                    RelayStatus.OK)
                .write(s.outputStream());
            s.close();
            return;
          }
          // CONNECT to whoever asked: join the stream to `other` instead.
          Stream stop = liar.newStream(other.peerId(), RelayService.STOP);
          StopMessage.connect(RelayPeer.of(s.remotePeer()), null).write(stop.outputStream());
          StopMessage.read(stop.inputStream());
          HopMessage.status(RelayStatus.OK).write(s.outputStream());
          Thread t =
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try {
                          stop.inputStream().transferTo(s.outputStream());
                        } catch (IOException e) {
                          s.reset();
                        }
                      });
          try {
            s.inputStream().transferTo(stop.outputStream());
          } catch (IOException e) {
            stop.reset();
          }
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    client(other).reserve(liar.listenAddresses().get(0));
    client(b);
    client(a);
    IOException e = assertThrows(IOException.class, () -> a.dial(circuit(liar, b)));
    assertTrue(
        e instanceof org.dure.net.PeerIdMismatchException
            || e.getCause() instanceof org.dure.net.PeerIdMismatchException,
        e.toString());
    assertTrue(a.connectionManager().connections(b.peerId()).isEmpty());
    assertTrue(a.connectionManager().connections(other.peerId()).isEmpty());
  }

  @Test
  void malformedOrOversizedHopMessageResetsTheStreamAndTheRelayServesOn() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    RelayService service =
        relay(r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()));
    client(b).reserve(r.listenAddresses().get(0));
    client(a);
    Connection ar = a.dial(r.listenAddresses().get(0));

    // A length prefix over 4 KiB: the relay resets the stream without reading the body.
    try (Stream s = ar.newStream(RelayService.HOP)) {
      s.setReadTimeout(10_000);
      OutputStream out = s.outputStream();
      out.write(UnsignedVarint.encode(HopMessage.MAX_SIZE + 1));
      out.write(new byte[100]);
      out.flush();
      assertThrows(IOException.class, () -> drain(s.inputStream()));
    }
    // Garbage of an allowed length: MALFORMED_MESSAGE, and the stream closes.
    try (Stream s = ar.newStream(RelayService.HOP)) {
      s.setReadTimeout(10_000);
      s.writeMessage(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
      HopMessage reply = HopMessage.read(s.inputStream());
      assertEquals(RelayStatus.MALFORMED_MESSAGE, reply.status());
    }
    // A CONNECT without a peer is malformed too.
    try (Stream s = ar.newStream(RelayService.HOP)) {
      s.setReadTimeout(10_000);
      new HopMessage(HopMessage.Type.CONNECT, null, null, null, null).write(s.outputStream());
      assertEquals(RelayStatus.MALFORMED_MESSAGE, HopMessage.read(s.inputStream()).status());
    }

    assertTrue(ar.isOpen(), "the connection to the relay survives");
    Connection ab = a.dial(circuit(r, b));
    assertEquals(b.peerId(), ab.remotePeer());
    assertArrayEquals(new byte[] {1, 2, 3}, echo(ab, new byte[] {1, 2, 3}));
    assertEquals(1, service.activeCircuits());
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[1024];
    while (in.read(buf) >= 0) {
      // until reset (expected) or end
    }
  }

  @Test
  void reservationsAreBoundedAndRenewedByTheClient() throws Exception {
    Host r = host();
    Host b = host();
    Host c = host();
    AtomicInteger asked = new AtomicInteger();
    RelayPolicy counting =
        new RelayPolicy() {
          @Override
          public boolean allowReservation(PeerId peer) {
            asked.incrementAndGet();
            return true;
          }

          @Override
          public boolean allowCircuit(PeerId source, PeerId target) {
            return true;
          }
        };
    RelayService service = relay(r, RelayConfig.defaults().withMaxReservations(1), counting);
    RelayClient bClient = new RelayClient(b, Duration.ofMillis(200)).start();
    closeables.add(0, bClient);
    bClient.reserve(r.listenAddresses().get(0));
    RelayRefusedException full =
        assertThrows(
            RelayRefusedException.class, () -> client(c).reserve(r.listenAddresses().get(0)));
    assertEquals(RelayStatus.RESERVATION_REFUSED, full.status());
    for (int i = 0; i < 100 && asked.get() < 5; i++) {
      Thread.sleep(20);
    }
    assertTrue(asked.get() >= 5, "renewals asked " + asked.get());
    assertEquals(Set.of(b.peerId()), service.reservations());
    assertEquals(List.of(r.peerId()), bClient.relays());
  }

  @Test
  void tooManyCircuitsPerPeerAreRefused() throws Exception {
    Host r = host();
    Host b = host();
    Host a = host();
    relay(
        r,
        RelayConfig.defaults().withMaxCircuits(16, 1),
        RelayPolicy.allowingAll(new UploadLimiter()));
    RelayClient bClient = client(b);
    bClient.reserve(r.listenAddresses().get(0));
    RelayClient aClient = client(a);
    Connection first = aClient.dial(circuit(r, b));
    assertTrue(first.isOpen());
    RelayRefusedException e =
        assertThrows(RelayRefusedException.class, () -> aClient.dial(circuit(r, b)));
    assertEquals(RelayStatus.RESOURCE_LIMIT_EXCEEDED, e.status());
  }

  /**
   * The relay cap: a circuit pumped full for about 4.5 s carries the cap's rate, measured at the
   * relay's output after the first second, within 5%.
   */
  @Test
  void relayedTrafficMeasuresWithinFivePercentOfTheRelayCap() throws Exception {
    long cap = 512 * 1024;
    Host r = host();
    Host b = host();
    Host a = host();
    RelayService service =
        relay(
            r,
            RelayConfig.defaults().withLimit(RelayLimit.NONE),
            RelayPolicy.allowingAll(new UploadLimiter(cap)));
    client(b).reserve(r.listenAddresses().get(0));
    client(a);
    Connection ab = a.dial(circuit(r, b));
    ab.identified().get(10, TimeUnit.SECONDS);

    Stream s = ab.newStream(SINK);
    Thread pump =
        Thread.ofVirtual()
            .start(
                () -> {
                  byte[] chunk = new byte[16 * 1024];
                  try {
                    while (!Thread.currentThread().isInterrupted()) {
                      s.outputStream().write(chunk);
                    }
                  } catch (IOException e) {
                    // closed at the end of the test
                  }
                });
    Thread.sleep(1000); // warm-up: windows grown, the bucket's burst spent
    long t0 = System.nanoTime();
    long relayed0 = service.relayedBytes();
    long sunk0 = sunk.get();
    Thread.sleep(3500);
    long t1 = System.nanoTime();
    long relayed = service.relayedBytes() - relayed0;
    long delivered = sunk.get() - sunk0;
    pump.interrupt();
    s.reset();

    double seconds = (t1 - t0) / 1e9;
    double rate = relayed / seconds;
    assertTrue(
        Math.abs(rate - cap) <= cap * 0.05,
        "relayed " + Math.round(rate) + " B/s against a cap of " + cap + " B/s");
    // What reaches B's application is the same flow less Noise and Yamux framing.
    double appRate = delivered / seconds;
    assertTrue(
        appRate <= cap * 1.05 && appRate >= cap * 0.90,
        "delivered " + Math.round(appRate) + " B/s against a cap of " + cap + " B/s");
  }
}
