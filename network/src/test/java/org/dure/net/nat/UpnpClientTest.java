package org.dure.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpnpClientTest {
  private final FakeIgd igd;
  private final UpnpClient client;

  UpnpClientTest() throws Exception {
    igd = new FakeIgd();
    client =
        new UpnpClient(igd.ssdpAddress(), Duration.ofSeconds(2), Duration.ofSeconds(5), "Dure");
  }

  @AfterEach
  void stop() {
    igd.close();
  }

  @Test
  void mapsThePortAndReadsTheExternalAddress() throws Exception {
    Lease lease = client.map(4001, Duration.ofHours(1));
    assertEquals("UPnP", lease.protocol());
    assertEquals(InetAddress.getByName("203.0.113.9"), lease.externalAddress());
    assertEquals(4001, lease.externalPort());
    assertEquals(Duration.ofHours(1), lease.lifetime());
    assertEquals("127.0.0.1:4001", igd.mappings.get(4001));
    FakeIgd.Call add = igd.calls.get(0);
    assertEquals("AddPortMapping", add.action());
    assertEquals("TCP", add.args().get("NewProtocol"));
    assertEquals("Dure", add.args().get("NewPortMappingDescription"));
    assertEquals("3600", add.args().get("NewLeaseDuration"));
    assertEquals("GetExternalIPAddress", igd.calls.get(1).action());
  }

  @Test
  void renewalReusesTheServiceFoundAndTheSameExternalPort() throws Exception {
    igd.takenPorts.add(4001);
    Lease first = client.map(4001, Duration.ofHours(1));
    Lease again = client.map(4001, Duration.ofHours(1));
    assertEquals(first.externalPort(), again.externalPort());
    assertEquals(1, igd.paths.stream().filter(p -> p.equals("/rootDesc.xml")).count());
  }

  @Test
  void conflictTriesAnotherExternalPort() throws Exception {
    igd.takenPorts.add(4001);
    igd.takenPorts.add(4002);
    Lease lease = client.map(4001, Duration.ofHours(1));
    assertEquals(4003, lease.externalPort());
    assertEquals(4001, lease.internalPort());
    assertEquals("127.0.0.1:4001", igd.mappings.get(4003));
  }

  @Test
  void conflictOnEveryPortTriedIsAnError() {
    for (int p = 4001; p < 4010; p++) {
      igd.takenPorts.add(p);
    }
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertEquals(718, e.code());
    assertEquals(UpnpClient.EXTERNAL_PORT_TRIES + 1, igd.calls.size(), "a bounded number of tries");
  }

  @Test
  void routerWithOnlyPermanentLeasesGetsOne() throws Exception {
    igd.permanentOnly = true;
    Lease lease = client.map(4001, Duration.ofHours(1));
    assertTrue(lease.permanent());
    assertEquals("0", igd.calls.get(1).args().get("NewLeaseDuration"));
  }

  @Test
  void unmapDeletesTheMapping() throws Exception {
    Lease lease = client.map(4001, Duration.ofHours(1));
    client.unmap(lease);
    assertTrue(igd.mappings.isEmpty());
    FakeIgd.Call del = igd.calls.get(igd.calls.size() - 1);
    assertEquals("DeletePortMapping", del.action());
    assertEquals("4001", del.args().get("NewExternalPort"));
  }

  @Test
  void oversizedDescriptionIsRefused() {
    igd.description =
        FakeIgd.description(FakeIgd.SERVICE, "/ctl/IPConn")
            .replace("Fake router", "x".repeat(UpnpClient.MAX_DESCRIPTION));
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    assertTrue(igd.calls.isEmpty());
  }

  @Test
  void descriptionWithExternalEntityIsRefusedAndNothingIsFetched() {
    igd.description =
        """
        <?xml version="1.0"?>
        <!DOCTYPE root [<!ENTITY x SYSTEM "http://127.0.0.1:%d/secret">]>
        <root><device><serviceList><service>
        <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
        <controlURL>/ctl/IPConn&x;</controlURL>
        </service></serviceList></device></root>
        """
            .formatted(igd.httpPort());
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    assertFalse(igd.paths.contains("/secret"), "the external entity was not fetched");
    assertTrue(igd.calls.isEmpty());
  }

  @Test
  void descriptionWithoutConnectionServiceIsAnError() {
    igd.description =
        FakeIgd.description("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", "/x");
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("no WAN connection service"), e.getMessage());
  }

  @Test
  void answerPointingToAnotherHostIsIgnored() {
    igd.ssdpLocationHost = "192.0.2.1";
    PortMappingException e =
        assertThrows(PortMappingException.class, () -> client.map(4001, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("no router answered"), e.getMessage());
  }

  @Test
  void silenceIsAnErrorWithinTheSearchTimeout() throws Exception {
    try (DatagramSocket quiet =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      UpnpClient c =
          new UpnpClient(
              (InetSocketAddress) quiet.getLocalSocketAddress(),
              Duration.ofMillis(200),
              Duration.ofSeconds(1),
              "Dure");
      long start = System.nanoTime();
      assertThrows(PortMappingException.class, () -> c.map(4001, Duration.ofHours(1)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 3000, "a search of 200 ms, took " + ms);
    }
  }

  @Test
  void searchAnswerParsing() {
    assertEquals(
        URI.create("http://192.168.1.1:5000/rootDesc.xml"),
        SsdpSearch.location(
            "HTTP/1.1 200 OK\r\nlocation:  http://192.168.1.1:5000/rootDesc.xml \r\n\r\n"));
    assertNull(SsdpSearch.location("NOTIFY * HTTP/1.1\r\nLOCATION: http://a/\r\n\r\n"));
    assertNull(SsdpSearch.location("HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n"));
    assertNull(SsdpSearch.location("HTTP/1.1 200 OK\r\nLOCATION: http://[bad\r\n\r\n"));
  }

  @Test
  void controlUrlOnAnotherHostIsNotUsed() throws Exception {
    var doc =
        SafeXml.parse(
            FakeIgd.description(FakeIgd.SERVICE, "http://192.0.2.1/ctl")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertNull(UpnpClient.findService(doc, URI.create("http://127.0.0.1:80/rootDesc.xml")));
  }
}
