package org.dure.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortMapperTest {
  private final FakeNatPmpServer natPmp;
  private final FakeIgd igd;
  private final DatagramSocket quiet;
  private final List<PortMappingState> seen = new CopyOnWriteArrayList<>();

  PortMapperTest() throws Exception {
    natPmp = new FakeNatPmpServer();
    igd = new FakeIgd();
    quiet = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() {
    natPmp.close();
    igd.close();
    quiet.close();
  }

  private InetSocketAddress silent() {
    return (InetSocketAddress) quiet.getLocalSocketAddress();
  }

  private PortMapperConfig config(InetSocketAddress natPmpAt, InetSocketAddress ssdpAt) {
    PortMapperConfig d = PortMapperConfig.defaults();
    return new PortMapperConfig(
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        natPmpAt,
        Duration.ofMillis(200),
        2,
        ssdpAt,
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        d.description());
  }

  private PortMapper start(PortMapperConfig c) {
    PortMapper m = new PortMapper(4001, () -> PortMapper.routerProtocols(c), c, Clock.systemUTC());
    m.addListener(seen::add);
    return m.start();
  }

  private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + limit);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void natPmpIsTriedFirstAndTheMappingIsDeletedOnClose() throws Exception {
    PortMapper m = start(config(natPmp.address(), igd.ssdpAddress()));
    await(() -> m.state() instanceof PortMappingState.Mapped, Duration.ofSeconds(10));
    PortMappingState.Mapped mapped = (PortMappingState.Mapped) m.state();
    assertEquals("NAT-PMP", mapped.protocol());
    assertEquals("/ip4/203.0.113.7/tcp/4001", mapped.multiaddr());
    assertTrue(mapped.reachableFromInternet());
    assertTrue(igd.calls.isEmpty(), "UPnP was not needed");
    m.close();
    FakeNatPmpServer.Request last = natPmp.requests.get(natPmp.requests.size() - 1);
    assertEquals(0, last.lifetime(), "deleted with lifetime 0");
    assertInstanceOf(PortMappingState.Disabled.class, m.state());
  }

  @Test
  void fallsBackToUpnpWhenNatPmpDoesNotAnswer() throws Exception {
    PortMapper m = start(config(silent(), igd.ssdpAddress()));
    assertInstanceOf(PortMappingState.Searching.class, m.state(), "start does not wait");
    await(() -> m.state() instanceof PortMappingState.Mapped, Duration.ofSeconds(10));
    PortMappingState.Mapped mapped = (PortMappingState.Mapped) m.state();
    assertEquals("UPnP", mapped.protocol());
    assertEquals(4001, mapped.externalPort());
    assertEquals("/ip4/203.0.113.9/tcp/4001", mapped.multiaddr());
    m.close();
    assertTrue(igd.mappings.isEmpty(), "deleted on close");
  }

  @Test
  void unavailableWithTheReasonsWhenNoRouterAnswersWithinItsBoundedTime() throws Exception {
    long start = System.nanoTime();
    PortMapper m = start(config(silent(), silent()));
    await(() -> m.state() instanceof PortMappingState.Unavailable, Duration.ofSeconds(5));
    long ms = (System.nanoTime() - start) / 1_000_000;
    String reason = ((PortMappingState.Unavailable) m.state()).reason();
    assertTrue(reason.contains("NAT-PMP: no answer"), reason);
    assertTrue(reason.contains("UPnP: no router answered"), reason);
    assertTrue(ms < 4000, "NAT-PMP 600 ms + search 1 s, took " + ms);
    m.close();
  }

  @Test
  void renewsAtHalfTheLifetime() throws Exception {
    PortMapperConfig c = config(natPmp.address(), silent()).withLifetime(Duration.ofSeconds(2));
    PortMapper m = start(c);
    await(() -> natPmp.mapRequests() >= 2, Duration.ofSeconds(10));
    PortMappingState.Mapped mapped = (PortMappingState.Mapped) m.state();
    assertTrue(mapped.expires() != null);
    m.close();
    assertEquals(0, natPmp.requests.get(natPmp.requests.size() - 1).lifetime());
  }

  @Test
  void aFailedRenewalLooksAgainAndFindsUpnp() throws Exception {
    PortMapperConfig c =
        config(natPmp.address(), igd.ssdpAddress()).withLifetime(Duration.ofSeconds(2));
    PortMapper m = start(c);
    await(() -> m.state() instanceof PortMappingState.Mapped, Duration.ofSeconds(10));
    natPmp.mode = FakeNatPmpServer.Mode.SILENT; // the router stopped speaking NAT-PMP
    await(
        () -> m.state() instanceof PortMappingState.Mapped x && x.protocol().equals("UPnP"),
        Duration.ofSeconds(10));
    m.close();
    assertTrue(igd.mappings.isEmpty());
  }

  @Test
  void privateExternalAddressIsNotReachableFromTheInternet() throws Exception {
    natPmp.externalAddress = new byte[] {100, 64, 1, 2}; // carrier-grade NAT in front
    PortMapper m = start(config(natPmp.address(), silent()));
    await(() -> m.state() instanceof PortMappingState.Mapped, Duration.ofSeconds(10));
    assertTrue(!((PortMappingState.Mapped) m.state()).reachableFromInternet());
    m.close();
    assertTrue(seen.get(0) instanceof PortMappingState.Mapped, "listeners are told");
  }
}
