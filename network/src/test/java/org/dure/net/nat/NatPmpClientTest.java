package org.dure.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NatPmpClientTest {
  private final FakeNatPmpServer gateway;
  private final NatPmpClient client;

  NatPmpClientTest() throws Exception {
    gateway = new FakeNatPmpServer();
    client = new NatPmpClient(gateway.address(), Duration.ofMillis(200), 2);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void mappingIsGrantedWithTheRoutersExternalAddressAndPort() throws Exception {
    gateway.grantedExternalPort = 40123;
    Lease lease = client.map(4001, Duration.ofHours(1));
    assertEquals("NAT-PMP", lease.protocol());
    assertEquals(InetAddress.getByName("203.0.113.7"), lease.externalAddress());
    assertEquals(40123, lease.externalPort(), "the router may choose another external port");
    assertEquals(4001, lease.internalPort());
    assertEquals(Duration.ofHours(1), lease.lifetime());
    FakeNatPmpServer.Request r = gateway.requests.get(0);
    assertEquals(new FakeNatPmpServer.Request(2, 4001, 4001, 3600), r);
  }

  @Test
  void renewalSuggestsTheExternalPortTheRouterGave() throws Exception {
    gateway.grantedExternalPort = 40123;
    client.map(4001, Duration.ofHours(1));
    gateway.grantedExternalPort = 0; // grant what is suggested
    Lease again = client.map(4001, Duration.ofHours(1));
    assertEquals(40123, again.externalPort());
    assertEquals(40123, gateway.requests.get(2).suggestedPort());
  }

  @Test
  void aMappingWhoseAddressQuestionFailsHasNoAddress() throws Exception {
    gateway.externalAddressResult = 3; // network failure: the router has no address yet
    Lease lease = client.map(4001, Duration.ofHours(1));
    assertEquals(null, lease.externalAddress());
    assertEquals(4001, lease.externalPort());
  }

  @Test
  void deletionAsksForLifetimeZeroAndPortZero() throws Exception {
    Lease lease = client.map(4001, Duration.ofHours(1));
    client.unmap(lease);
    assertEquals(
        new FakeNatPmpServer.Request(2, 4001, 0, 0),
        gateway.requests.get(gateway.requests.size() - 1));
  }

  @Test
  void refusalCarriesTheResultCode() {
    gateway.resultCode = 2;
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertEquals(2, e.code());
    assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
  }

  @Test
  void truncatedAnswerIsAClearError() {
    gateway.mode = FakeNatPmpServer.Mode.TRUNCATED;
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void garbageIsSkippedAndTheWaitIsBounded() {
    gateway.mode = FakeNatPmpServer.Mode.GARBAGE;
    long start = System.nanoTime();
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("no answer"), e.getMessage());
    assertTrue(ms < 3000, "200 + 400 ms of waiting, took " + ms);
    assertEquals(2, gateway.requests.size(), "sent twice (one retransmission)");
  }

  @Test
  void silentGatewayIsGivenUpOnAfterTheRetransmissions() {
    gateway.mode = FakeNatPmpServer.Mode.SILENT;
    assertThrows(PortMappingException.class, () -> client.externalAddress());
    assertEquals(2, gateway.requests.size());
  }

  @Test
  void mapRequestIsTwelveBytesBigEndian() {
    byte[] r = NatPmpCodec.mapRequest(0x1234, 0x5678, 7200);
    assertEquals(12, r.length);
    assertEquals(0, r[0]);
    assertEquals(2, r[1]);
    assertEquals(0x12, r[4]);
    assertEquals(0x34, r[5]);
    assertEquals(0x56, r[6]);
    assertEquals(0x78, r[7]);
    assertEquals(7200, java.nio.ByteBuffer.wrap(r, 8, 4).getInt());
  }

  @Test
  void answerWithoutPortOrLifetimeIsRefused() {
    byte[] a = new byte[16];
    a[1] = (byte) 130;
    assertThrows(PortMappingException.class, () -> NatPmpCodec.decodeMap(a, 16, false));
  }
}
