package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.html.Paragraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.dure.net.host.Host;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.node.DhtReach;
import org.dure.node.DureNode;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Network page tells the DHT's mode and what it knows, in English and Korean. */
class NetworkViewDhtTest extends ViewTestSupport {
  private Host serverHost;
  private KadDht server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (serverHost != null) {
      serverHost.close();
    }
  }

  private String sentence() {
    return $(Paragraph.class).id("network-dht").getText();
  }

  @Test
  void theNetworkPageShowsTheDhtModeAndWhatItKnows() throws Exception {
    serverHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    server = new KadDht(serverHost, KadConfig.defaults()).start();
    server.setServerMode(true);
    Path dir = Files.createTempDirectory("dure-dht-view");
    DureNode node =
        DureNode.on(store, dir)
            .p2pPort(0)
            .listen(List.of("/ip4/127.0.0.1/tcp/0"))
            .dht(DhtReach.Options.only(List.of(serverHost.listenAddresses().get(0))))
            .build();
    useNode(node, dir);
    node.start();
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (node.peer().dhtStatus().routingTable() < 1 && System.nanoTime() < end) {
      Thread.sleep(25);
    }
    assertEquals(1, node.peer().dhtStatus().routingTable());

    navigate(NetworkView.ROUTE, NetworkView.class);
    assertTrue(
        sentence()
            .startsWith(
                "DHT (finding peers by ID): client mode, 1 DHT server(s) known, 1 of 1 bootstrap"
                    + " peer(s) connected."),
        sentence());

    useLanguage(Locale.KOREAN);
    navigate(NetworkView.ROUTE, NetworkView.class);
    assertTrue(sentence().startsWith("DHT(피어 ID로 찾기): 클라이언트 모드"), sentence());

    node.peer().setOffline(true);
    $(NetworkView.class).single().refresh(); // what the page's poll does every few seconds
    assertFalse($(Paragraph.class).withId("network-dht").exists(), "offline: no DHT line shown");
  }
}
