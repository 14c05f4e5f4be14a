package org.dure.net.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionGater;
import org.dure.net.host.Host;
import org.dure.net.host.Reconnector;
import org.dure.net.host.Stream;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Auto-reservation between Java hosts on 127.0.0.1: B reserves on relays it is connected to and
 * advertises the relayed addresses; A, whose dials to B's direct addresses are refused (as if B
 * were behind a home router), reaches B through them.
 */
@Timeout(30)
class AutoRelayTest {
  private static final String ECHO = "/test/echo/1.0.0";

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static RelayPolicy policy(boolean allowReservation, AtomicInteger asked) {
    return new RelayPolicy() {
      @Override
      public boolean allowReservation(PeerId peer) {
        asked.incrementAndGet();
        return allowReservation;
      }

      @Override
      public boolean allowCircuit(PeerId source, PeerId target) {
        return true;
      }

      @Override
      public UploadLimiter limiter() {
        return new UploadLimiter();
      }
    };
  }

  private Host host(ConnectionGater gater) throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").gater(gater).build();
    h.setHandler(
        ECHO,
        s -> {
          s.inputStream().transferTo(s.outputStream());
          s.close();
        });
    h.start();
    closeables.add(h);
    return h;
  }

  private Host relay(RelayConfig config, RelayPolicy policy) throws IOException {
    Host r = host(ConnectionGater.ALLOW_ALL);
    closeables.add(0, new RelayService(r, config, policy).start());
    return r;
  }

  private Host relay() throws IOException {
    return relay(RelayConfig.defaults(), policy(true, new AtomicInteger()));
  }

  private RelayClient client(Host h) {
    RelayClient c = new RelayClient(h).start();
    closeables.add(0, c);
    return c;
  }

  private AutoRelay autoRelay(Host h, int maxRelays, Duration minBackoff) {
    AutoRelay a =
        new AutoRelay(h, client(h), maxRelays, Duration.ofMillis(200), minBackoff).start();
    closeables.add(0, a);
    return a;
  }

  /** A host that cannot dial {@code unreachable} directly, only through relays. */
  private Host cutOffFrom(Host unreachable) throws IOException {
    PeerId b = unreachable.peerId();
    return host(
        new ConnectionGater() {
          @Override
          public boolean allowDial(PeerId peer, Multiaddr address) {
            return !b.equals(peer) || address.first(Protocol.P2P_CIRCUIT) != null;
          }
        });
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(15), condition);
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
  void anUnreachableHostReservesOnItsRelayAndIsDialledThroughTheAdvertisedAddress()
      throws Exception {
    Host r = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    AutoRelay auto = autoRelay(b, 2, Duration.ofSeconds(1));
    b.dial(r.listenAddresses().get(0));
    await("B advertises an address through R", () -> !b.relayedAddresses().isEmpty());
    assertEquals(List.of(r.peerId()), auto.relays());
    assertTrue(b.advertisedAddresses().contains(circuit(r, b)), b.advertisedAddresses().toString());
    List<Multiaddr> advertised = b.advertisedAddresses();
    assertTrue(
        advertised.indexOf(circuit(r, b)) > advertised.indexOf(b.listenAddresses().get(0)),
        "direct addresses first");

    // A knows what B advertises (an invite carries it) but cannot dial B directly.
    Host a = cutOffFrom(b);
    client(a);
    a.peerStore().addAddresses(b.peerId(), advertised);
    Connection c = a.connect(b.peerId());
    assertTrue(c.isRelayed());
    assertArrayEquals(new byte[] {1, 2, 3}, echo(c, new byte[] {1, 2, 3}));
    // B's identify told A the relayed address too.
    await(
        "A has B's relayed address from identify",
        () ->
            a.peerStore()
                .get(b.peerId())
                .map(p -> p.addresses().contains(circuit(r, b).withoutPeerId()))
                .orElse(false));
  }

  /**
   * Two members behind NATs that punched a hole to each other both offer hop; a reservation over
   * the punched connection would advertise an address only the relay's own home network can dial
   * (seen in the NAT lab: each advertised a circuit through the other's private address).
   */
  @Test
  void aPeerReachedOnlyThroughAHolePunchIsNoRelay() throws Exception {
    Host punchedRelay = relay();
    Host publicRelay = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    Multiaddr toRelay = punchedRelay.listenAddresses().get(0);
    Multiaddr toB = b.listenAddresses().get(0);
    // As DCUtR does: both know the other's address before either dials.
    b.expectHolePunch(toRelay, true, Duration.ofSeconds(5));
    punchedRelay.expectHolePunch(toB, false, Duration.ofSeconds(5));
    var fromRelay = punchedRelay.dialHolePunch(toB, false, Duration.ofSeconds(5), null);
    Connection punched = b.dialHolePunch(toRelay, true, Duration.ofSeconds(5), null).get();
    fromRelay.get();
    assertTrue(punched.isHolePunched());
    await("B learnt the punched peer offers hop", () -> offersHop(b, punchedRelay));

    AutoRelay auto = autoRelay(b, 2, Duration.ofSeconds(1));
    b.dial(publicRelay.listenAddresses().get(0));
    await("B reserves on the relay it dialled", () -> auto.relays().contains(publicRelay.peerId()));
    Thread.sleep(1_000); // five more rounds, in which a second reservation would have been made
    assertEquals(List.of(publicRelay.peerId()), auto.relays());
    assertFalse(b.advertisedAddresses().contains(circuit(punchedRelay, b)));
  }

  private static boolean offersHop(Host h, Host relay) {
    return h.peerStore()
        .get(relay.peerId())
        .map(r -> r.protocols().contains(RelayService.HOP))
        .orElse(false);
  }

  @Test
  void withNoConnectedRelayAKnownOneIsDialledAndReservedOn() throws Exception {
    Host r = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    // Met before (e.g. a bootstrap peer): its address and protocols are in B's peer store, but B
    // is not connected to it now.
    b.dial(r.listenAddresses().get(0)).identified().get();
    for (Connection c : b.connectionManager().connections(r.peerId())) {
      c.close();
    }
    await("disconnected", () -> b.connectionManager().connections(r.peerId()).isEmpty());
    AutoRelay auto = autoRelay(b, 2, Duration.ofSeconds(1));
    await("B reserves on R after dialling it", () -> auto.relays().equals(List.of(r.peerId())));
    assertFalse(b.connectionManager().connections(r.peerId()).isEmpty());
  }

  @Test
  void aCandidateFromOutsideThePeerStoreIsDialledToo() throws Exception {
    Host r = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    b.peerStore().addAddresses(r.peerId(), r.listenAddresses()); // protocols unknown
    AutoRelay auto =
        new AutoRelay(b, client(b), 2, Duration.ofMillis(200), Duration.ofSeconds(1))
            .setCandidates(() -> List.of(r.peerId()))
            .start();
    closeables.add(0, auto);
    await("B reserves on the candidate", () -> auto.relays().equals(List.of(r.peerId())));
  }

  @Test
  void whenTheRelayDisconnectsItsAddressGoesAndAnotherRelayIsUsed() throws Exception {
    Host r1 = relay();
    Host r2 = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    AutoRelay auto = autoRelay(b, 1, Duration.ofSeconds(1));
    b.dial(r1.listenAddresses().get(0));
    await("B reserves on R1", () -> auto.relays().equals(List.of(r1.peerId())));
    b.dial(r2.listenAddresses().get(0));
    Thread.sleep(500);
    assertEquals(List.of(r1.peerId()), auto.relays(), "one relay at most");

    Multiaddr viaR1 = circuit(r1, b);
    assertTrue(b.advertisedAddresses().contains(viaR1));
    r1.close();
    await("B reserves on R2", () -> auto.relays().equals(List.of(r2.peerId())));
    assertFalse(b.advertisedAddresses().contains(viaR1));
    assertTrue(b.advertisedAddresses().contains(circuit(r2, b)));

    r2.close();
    await("no relay left", () -> b.relayedAddresses().isEmpty());
    assertEquals(List.of(), auto.relays());
  }

  @Test
  void aRelayThatRefusesIsSkippedAndAskedAgainOnlyAfterABackOff() throws Exception {
    AtomicInteger askedRefusing = new AtomicInteger();
    Host refusing = relay(RelayConfig.defaults(), policy(false, askedRefusing));
    Host willing = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    AutoRelay auto = autoRelay(b, 2, Duration.ofSeconds(3));
    b.dial(refusing.listenAddresses().get(0));
    b.dial(willing.listenAddresses().get(0));
    await("B reserves on the willing relay", () -> auto.relays().equals(List.of(willing.peerId())));
    await("B asked the refusing relay", () -> askedRefusing.get() == 1);
    Thread.sleep(1500); // 7 checks at 200 ms
    assertEquals(1, askedRefusing.get(), "asked again before the back-off");
    assertEquals(List.of(willing.peerId()), auto.relays());
    await("B asks again after the back-off", () -> askedRefusing.get() == 2);
  }

  @Test
  void aHostWithAPublicAddressReservesNothing() throws Exception {
    Host r = relay();
    Host b = host(ConnectionGater.ALLOW_ALL);
    b.setExternalAddresses(List.of(Multiaddr.parse("/ip4/203.0.113.7/tcp/4001")));
    assertTrue(AutoRelay.publiclyReachable(b));
    AutoRelay auto = autoRelay(b, 2, Duration.ofSeconds(1));
    b.dial(r.listenAddresses().get(0));
    Thread.sleep(800);
    assertEquals(List.of(), auto.relays());

    b.setExternalAddresses(List.of()); // the router dropped the mapping
    await("B reserves on R", () -> auto.relays().equals(List.of(r.peerId())));
  }

  @Test
  void onlyPublicIpv4AddressesCountAsReachable() {
    assertTrue(AutoRelay.isPublic(new byte[] {(byte) 203, 0, 113, 7}));
    assertTrue(AutoRelay.isPublic(new byte[] {8, 8, 8, 8}));
    for (byte[] ip :
        List.of(
            new byte[] {127, 0, 0, 1},
            new byte[] {10, 1, 2, 3},
            new byte[] {(byte) 192, (byte) 168, 1, 2},
            new byte[] {(byte) 172, 16, 0, 1},
            new byte[] {(byte) 169, (byte) 254, 1, 1},
            new byte[] {100, 64, 0, 1},
            new byte[] {100, 127, (byte) 255, 1},
            new byte[] {0, 0, 0, 0})) {
      assertFalse(AutoRelay.isPublic(ip), java.util.Arrays.toString(ip));
    }
  }

  @Test
  void aRelayedConnectionEndedByTheRelayLimitIsReconnected() throws Exception {
    Host r =
        relay(
            RelayConfig.defaults().withLimit(RelayLimit.of(Duration.ofSeconds(2), 16L << 20)),
            policy(true, new AtomicInteger()));
    Host b = host(ConnectionGater.ALLOW_ALL);
    autoRelay(b, 2, Duration.ofSeconds(1));
    b.dial(r.listenAddresses().get(0));
    await("B advertises an address through R", () -> !b.relayedAddresses().isEmpty());

    Host a = cutOffFrom(b);
    client(a);
    a.peerStore().addAddresses(b.peerId(), b.advertisedAddresses());
    Reconnector reconnector = new Reconnector(a, () -> Set.of(b.peerId()), Duration.ofMillis(200));
    closeables.add(0, reconnector);
    await("A connects to B", () -> a.connectionManager().find(b.peerId()) != null);
    Connection first = a.connectionManager().find(b.peerId());
    assertTrue(first.isRelayed());
    await("the relay ends the connection at its limit", () -> !first.isOpen());
    await("A reconnects to B", () -> a.connectionManager().find(b.peerId()) != null);
    Connection second = a.connectionManager().find(b.peerId());
    assertNotSame(first, second);
    assertTrue(second.isRelayed());
    assertArrayEquals(new byte[] {4, 5}, echo(second, new byte[] {4, 5}));
  }
}
