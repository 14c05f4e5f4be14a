package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dure.identity.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inbound connections per IP address, on real hosts over 127.0.0.1. */
@Timeout(60)
class IpLimitsTest {
  private final List<Host> hosts = new ArrayList<>();

  private Host host(ConnectionLimits limits) throws IOException {
    Host h =
        Host.builder()
            .identity(Identity.generateEd25519())
            .listen("/ip4/127.0.0.1/tcp/0")
            .limits(limits)
            .build()
            .start();
    hosts.add(h);
    return h;
  }

  /** A host with a fresh identity: what a flooder makes for each connection. */
  private Host fresh() throws IOException {
    return host(ConnectionLimits.defaults());
  }

  @AfterEach
  void stop() {
    Collections.reverse(hosts);
    hosts.forEach(Host::stop);
  }

  @Test
  void freshIdentitiesFromOneAddressAreCappedAtOnce() throws Exception {
    Host victim = host(ConnectionLimits.defaults().withPerIp(3, 1000));
    List<Connection> up = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      up.add(fresh().dial(victim.listenAddresses().get(0)));
    }
    Host fourth = fresh();
    assertThrows(IOException.class, () -> fourth.dial(victim.listenAddresses().get(0)));
    assertEquals(3, victim.connectionManager().count());
    up.get(0).close();
    long end = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try {
        fourth.dial(victim.listenAddresses().get(0));
        break;
      } catch (IOException e) {
        assertTrue(System.nanoTime() < end, "a closed connection frees its place: " + e);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void newConnectionsFromOneAddressAreCappedPerMinute() throws Exception {
    Host victim = host(ConnectionLimits.defaults().withPerIp(100, 4));
    for (int i = 0; i < 4; i++) {
      Connection c = fresh().dial(victim.listenAddresses().get(0));
      c.close();
    }
    Host fifth = fresh();
    assertThrows(IOException.class, () -> fifth.dial(victim.listenAddresses().get(0)));
  }

  @Test
  void theLimiterForgetsIdleAddressesBeyondItsBound() throws Exception {
    IpLimiter l = new IpLimiter(2, 10);
    InetAddress busy = InetAddress.getByName("127.0.0.2");
    assertTrue(l.accept(busy, 0));
    for (int i = 0; i < IpLimiter.MAX_ADDRESSES + 100; i++) {
      byte[] a = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
      assertTrue(l.accept(InetAddress.getByAddress(a), 0));
      l.closed(InetAddress.getByAddress(a));
    }
    assertTrue(l.addresses() <= IpLimiter.MAX_ADDRESSES + 1);
    assertEquals(1, l.open(busy), "an address with a connection open is kept");
    assertTrue(l.accept(busy, 0));
    assertFalse(l.accept(busy, 0), "two at once");
  }
}
