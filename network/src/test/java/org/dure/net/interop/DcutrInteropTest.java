package org.dure.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DCUtR ({@code /libp2p/dcutr}) between Dure and js-libp2p ({@code @libp2p/dcutr} with the circuit
 * relay transport), both ways, in a {@link ReachLab} (js-libp2p's DCUtR drops loopback and private
 * addresses): the two meet through a Dure relay, punch, and end with one direct connection.
 *
 * <p>js-libp2p's TCP dials never reuse the listen port, so a true simultaneous open (both SYNs
 * crossing on the same pair of ports) cannot happen with it. The lab therefore lets exactly one of
 * the two punch dials through: the peer that receives the DCUtR stream (A, whose addresses the
 * other side could not dial plainly) drops connections the other opens to it, like a home router;
 * A's own dial, sent as the protocol's SYNC arrives, reaches B. Without that filter B would connect
 * with a plain dial of A's advertised addresses and DCUtR would not run at all.
 */
@Tag("interop")
@Tag("netns")
@Timeout(120)
class DcutrInteropTest {
  private static final Duration T = Duration.ofSeconds(40);
  private ReachLab lab;

  @BeforeAll
  static void nodeInstalled() {
    assumeTrue(
        !Boolean.getBoolean("dure.skipInterop"), "interop disabled with -Ddure.skipInterop=true");
    JsPeer.checkAvailable();
  }

  @BeforeEach
  void namespaces() throws Exception {
    lab = ReachLab.create("relay", "java", "js");
  }

  @AfterEach
  void cleanUp() {
    if (lab != null) {
      lab.close();
    }
  }

  private String tcp(String node, int port) {
    return "/ip4/" + lab.ip(node) + "/tcp/" + port;
  }

  private String relay(ReachLab.JavaPeer relay) throws InterruptedException {
    return tcp("relay", 4001) + "/p2p/" + relay.peerId(T);
  }

  private JsPeer js(String relay) {
    // --announce: js-libp2p puts only verified addresses in DCUtR's CONNECT; its public listen
    // address is verified once AutoNAT confirms it, which needs servers this lab does not have.
    return lab.js(
        "js",
        "--listen",
        tcp("js", 4003),
        "--announce",
        tcp("js", 4003),
        "--listen-relay",
        relay + "/p2p-circuit");
  }

  /** Java dials js through the relay: js (B) starts DCUtR, Java (A) punches through to js. */
  @Test
  void javaDialsJsThroughARelayAndTheHolePunchLeavesADirectConnection() throws Exception {
    String relay = relay(lab.java("relay", tcp("relay", 4001), "--relay"));
    lab.dropConnectionsFrom("java", "js");
    ReachLab.JavaPeer java = lab.java("java", tcp("java", 4002));
    String javaId = java.peerId(T);
    JsPeer js = js(relay);
    awaitReservation(js);

    java.send("dial " + relay + "/p2p-circuit/p2p/" + js.peerId());
    java.await(l -> l.equals("dialled " + js.peerId() + " relayed"), T, "the relayed connection");
    String punched = java.await(l -> l.startsWith("punched "), T, "the hole punch");
    assertEquals("punched " + js.peerId() + " hole-punched 1", punched, java::describe);

    JsPeer.Event in =
        js.awaitEvent(
            e ->
                "connection:open".equals(e.name())
                    && javaId.equals(e.string("peerId"))
                    && e.string("remoteAddr").startsWith(tcp("java", 4002) + "/"),
            "the punched connection from Java's listen port",
            T);
    assertEquals("inbound", in.string("direction"), in::raw);
    awaitOnlyDirect(java, js, javaId);
  }

  /** js dials Java through the relay: Java (B) starts DCUtR, js (A) punches through to Java. */
  @Test
  void jsDialsJavaThroughARelayAndTheHolePunchLeavesADirectConnection() throws Exception {
    String relay = relay(lab.java("relay", tcp("relay", 4001), "--relay"));
    lab.dropConnectionsFrom("js", "java");
    ReachLab.JavaPeer java = lab.java("java", tcp("java", 4002), "--reserve", relay);
    String javaId = java.peerId(T);
    JsPeer js = js(relay);
    awaitReservation(js);

    JsPeer.Result dialled = js.call("dial", T, "addr", relay + "/p2p-circuit/p2p/" + javaId);
    assertTrue(dialled.ok(), dialled::toString);
    assertTrue(dialled.require("dialled").string("remoteAddr").contains("/p2p-circuit"));
    String punched = java.await(l -> l.startsWith("punched "), T, "the hole punch");
    assertEquals("punched " + js.peerId() + " hole-punched 1", punched, java::describe);
    String direct =
        java.await(
            l -> l.startsWith("connected " + js.peerId() + " inbound direct "),
            T,
            "js's punch dial");
    assertTrue(direct.contains(tcp("js", 0).replace("/tcp/0", "/tcp/")), direct);
    assertTrue(java.logged("direct dial of " + js.peerId()), "B's plain dial came first");
    awaitOnlyDirect(java, js, javaId);
  }

  private static void awaitReservation(JsPeer js) {
    if (js.multiaddrs().stream().noneMatch(a -> a.contains("/p2p-circuit"))) {
      js.awaitEvent(
          e ->
              "self:peer:update".equals(e.name())
                  && e.strings("multiaddrs").stream().anyMatch(a -> a.contains("/p2p-circuit")),
          "a reservation on the relay",
          T);
    }
  }

  /** Both sides end with one connection to each other, direct, and the relayed one closed. */
  @SuppressWarnings("unchecked")
  private static void awaitOnlyDirect(ReachLab.JavaPeer java, JsPeer js, String javaId)
      throws Exception {
    long end = System.nanoTime() + T.toNanos();
    String javaSide = null;
    List<Object> jsSide = null;
    while (System.nanoTime() < end) {
      int mark = java.lines();
      java.send("connections " + js.peerId());
      javaSide = java.await(l -> l.startsWith("connections "), T, "connections", mark);
      jsSide =
          ((List<Object>) js.call("connections", T).require("connections").get("connections"))
              .stream()
                  .filter(c -> javaId.equals(((Map<String, Object>) c).get("peerId")))
                  .toList();
      if (javaSide.equals("connections " + js.peerId() + " hole-punched")
          && jsSide.size() == 1
          && Boolean.FALSE.equals(((Map<String, Object>) jsSide.get(0)).get("limited"))
          && !String.valueOf(((Map<String, Object>) jsSide.get(0)).get("remoteAddr"))
              .contains("p2p-circuit")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "not one direct connection on each side: java " + javaSide + ", js " + jsSide);
  }
}
