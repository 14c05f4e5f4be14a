package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.html.Paragraph;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dure.moderation.ResourceSettings;
import org.dure.net.invite.InviteLink;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.nat.PortMapperConfig;
import org.dure.net.nat.PortMappingState;
import org.dure.node.DureNode;
import org.dure.node.PeerNode;
import org.dure.store.wiki.Role;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Network page says in a sentence what the router did with the peer port. */
class NetworkViewRouterTest extends ViewTestSupport {
  private final DatagramSocket gateway;
  private final DatagramSocket quiet;
  private volatile boolean answering = true;
  private final AtomicInteger received = new AtomicInteger();

  NetworkViewRouterTest() throws IOException {
    gateway = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    quiet = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::answerNatPmp, "fake-nat-pmp");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void closeSockets() {
    gateway.close();
    quiet.close();
  }

  /** NAT-PMP (RFC 6886): external address 203.0.113.7, every TCP mapping granted as asked. */
  private void answerNatPmp() {
    byte[] buf = new byte[64];
    while (!gateway.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        gateway.receive(in);
        received.incrementAndGet();
        if (!answering) {
          continue;
        }
        ByteBuffer req = ByteBuffer.wrap(buf, 0, in.getLength());
        req.get();
        int op = req.get();
        ByteBuffer out;
        if (op == 0) {
          out = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0);
          out.putInt(1).put(new byte[] {(byte) 203, 0, 113, 7});
        } else {
          req.getShort();
          short internal = req.getShort();
          short suggested = req.getShort();
          int lifetime = req.getInt();
          out = ByteBuffer.allocate(16).put((byte) 0).put((byte) 130).putShort((short) 0);
          out.putInt(1).putShort(internal).putShort(suggested).putInt(lifetime);
        }
        gateway.send(new DatagramPacket(out.array(), out.capacity(), in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private DureNode startNode() throws IOException {
    return startNodeWith(null);
  }

  private DureNode startNodeWith(ResourceSettings settings) throws IOException {
    Path dir = Files.createTempDirectory("dure-router-view");
    PortMapperConfig config =
        PortMapperConfig.defaults()
            .withNatPmpGateway((InetSocketAddress) gateway.getLocalSocketAddress())
            .withSsdpTarget((InetSocketAddress) quiet.getLocalSocketAddress())
            .withShortTimeouts();
    DureNode node = DureNode.on(store, dir).p2pPort(0).portMapping(config).build();
    useNode(node, dir);
    if (settings != null) {
      node.peer().resources().update(settings);
    }
    return node.start();
  }

  private static PortMappingState await(DureNode node, Class<?> state) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      PeerNode.Status s = node.peer().status();
      if (s.router() != null && state.isInstance(s.router().state())) {
        return s.router().state();
      }
      Thread.sleep(25);
    }
    throw new AssertionError(
        "router state not " + state.getSimpleName() + ": " + node.peer().status());
  }

  private String sentence() {
    return $(Paragraph.class).id("network-router").getText();
  }

  @Test
  void aForwardedPortIsShownWithTheAddressOthersReach() throws Exception {
    DureNode node = startNode();
    PortMappingState.Mapped m =
        (PortMappingState.Mapped) await(node, PortMappingState.Mapped.class);
    navigate(NetworkView.ROUTE, NetworkView.class);
    String port = Integer.toString(m.internalPort());
    String expected =
        "Router: port "
            + port
            + " forwarded by NAT-PMP; others can reach you at 203.0.113.7:"
            + port
            + ".";
    assertTrue(sentence().equals(expected), sentence());

    // Invites carry the forwarded address (set by the mapper's listener, just after the state).
    Multiaddr forwarded = Multiaddr.parse("/ip4/203.0.113.7/tcp/" + port);
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<Multiaddr> carried = List.of();
    while (!carried.contains(forwarded) && System.nanoTime() < end) {
      carried =
          InviteLink.parse(node.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)))
              .addresses();
      Thread.sleep(25);
    }
    assertTrue(carried.contains(forwarded), carried.toString());
  }

  @Test
  void noRouterAnsweringIsSaidWithWhatToDo() throws Exception {
    answering = false;
    DureNode node = startNode();
    await(node, PortMappingState.Unavailable.class);
    navigate(NetworkView.ROUTE, NetworkView.class);
    String s = sentence();
    assertTrue(s.startsWith("Router: port "), s);
    assertTrue(s.contains("was not forwarded automatically"), s);
    assertTrue(s.contains("NAT-PMP: no answer"), s);
    assertTrue(s.contains("UPnP: no router answered"), s);
  }

  @Test
  void turnedOffInSettingsIsSaidAndTheRouterIsNotAsked() throws Exception {
    Map<String, String> off = new HashMap<>(ResourceSettings.defaults().toMap());
    off.put("network.portMapping", "false");
    DureNode node = startNodeWith(ResourceSettings.fromMap(off));
    await(node, PortMappingState.Disabled.class);
    navigate(NetworkView.ROUTE, NetworkView.class);
    assertTrue(
        sentence()
            .equals(
                "Router: Dure does not ask your router to forward the peer port (turned off in"
                    + " Settings)."),
        sentence());
    assertTrue(received.get() == 0, "nothing was sent to the router");
  }

  @Test
  void offlineShowsNoRouterSentence() {
    navigate(NetworkView.ROUTE, NetworkView.class);
    assertTrue($(Paragraph.class).withId("network-router").all().isEmpty(), "hidden while offline");
  }
}
