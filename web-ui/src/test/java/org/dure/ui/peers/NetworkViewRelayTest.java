package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.invite.InviteLink;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;
import org.dure.node.DureNode;
import org.dure.node.PeerNode;
import org.dure.store.social.Friends;
import org.dure.store.wiki.Role;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node on 127.0.0.1 (no public address) connected to a relay reserves a slot there by itself; the
 * Network page says through which relay it is reachable, and invites carry the relayed address.
 */
class NetworkViewRelayTest extends ViewTestSupport {
  private Host relayHost;
  private RelayService relay;

  @AfterEach
  void stopRelay() {
    if (relay != null) {
      relay.close();
    }
    if (relayHost != null) {
      relayHost.close();
    }
  }

  private String sentence() {
    return $(Paragraph.class).id("network-relays").getText();
  }

  @Test
  void theNetworkPageNamesTheRelaysThisNodeIsReachableThrough() throws Exception {
    Path dir = Files.createTempDirectory("dure-relay-view");
    DureNode node =
        DureNode.on(store, dir).p2pPort(0).listen(List.of("/ip4/127.0.0.1/tcp/0")).build();
    useNode(node, dir);
    node.start();
    assertEquals(List.of(), node.peer().status().relays(), "no relay yet");

    relayHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    relay =
        new RelayService(
                relayHost,
                RelayConfig.defaults(),
                new RelayPolicy() {
                  @Override
                  public boolean allowReservation(PeerId peer) {
                    return true;
                  }

                  @Override
                  public boolean allowCircuit(PeerId source, PeerId target) {
                    return true;
                  }
                })
            .start();
    node.peer().connect(relayHost.listenAddresses().get(0).toString());
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (node.peer().status().relays().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(25);
    }
    assertEquals(List.of(relayHost.peerId().toString()), node.peer().status().relays());

    navigate(NetworkView.ROUTE, NetworkView.class);
    String expected = "Reachable through relay(s): " + Friends.shortId(relayHost.peerId()) + ".";
    assertTrue(sentence().startsWith(expected), sentence());

    Multiaddr viaRelay = Multiaddr.parse(relayHost.listenAddresses().get(0) + "/p2p-circuit");
    List<Multiaddr> carried =
        InviteLink.parse(node.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)))
            .addresses();
    assertTrue(carried.contains(viaRelay), carried.toString());
  }

  @SuppressWarnings("unchecked")
  private Grid<PeerNode.Peer> peerGrid() {
    return $(Grid.class).id("peer-list");
  }

  private String kindOf(String peer) {
    var grid = test(peerGrid());
    for (int row = 0; row < grid.size(); row++) {
      if (grid.getCellText(row, 0).equals(peer)) {
        return grid.getCellText(row, 3);
      }
    }
    return null;
  }

  @Test
  void eachConnectionIsShownAsDirectOrRelayed() throws Exception {
    Path dir = Files.createTempDirectory("dure-relay-kind");
    DureNode node =
        DureNode.on(store, dir).p2pPort(0).listen(List.of("/ip4/127.0.0.1/tcp/0")).build();
    useNode(node, dir);
    node.start();
    relayHost = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    relay =
        new RelayService(
                relayHost, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
            .start();
    node.peer().connect(relayHost.listenAddresses().get(0).toString());
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (node.peer().status().relays().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(25);
    }
    try (Host other = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        RelayClient client = new RelayClient(other).start()) {
      Multiaddr viaRelay =
          Multiaddr.parse(relayHost.listenAddresses().get(0) + "/p2p-circuit")
              .withPeerId(PeerId.parse(node.peer().status().peerId()));
      other.dial(viaRelay);
      // The dialler's side is up when dial returns; the node registers its side a moment later.
      String otherId = other.peerId().toString();
      long registered = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (node.peer().status().peers().stream().noneMatch(p -> p.peerId().equals(otherId))
          && System.nanoTime() < registered) {
        Thread.sleep(25);
      }
      navigate(NetworkView.ROUTE, NetworkView.class);
      assertEquals("direct", kindOf(relayHost.peerId().toString()));
      assertEquals("relayed", kindOf(other.peerId().toString()));
    }
  }
}
