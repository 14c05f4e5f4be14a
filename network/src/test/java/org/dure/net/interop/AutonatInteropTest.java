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
 * AutoNAT v2 ({@code /libp2p/autonat/2/dial-request}, {@code dial-back}) between Dure and js-libp2p
 * ({@code @libp2p/autonat-v2}), both ways, in a {@link ReachLab} (js-libp2p neither asks about nor
 * dials back loopback or private addresses): a Java client asks a js server, a js client asks a
 * Java server, each for an address that can be dialled back and one that cannot. Both nodes run
 * their production settings.
 */
@Tag("interop")
@Tag("netns")
@Timeout(120)
class AutonatInteropTest {
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
    lab = ReachLab.create("java", "js");
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

  /** The js node's dials (its server's dial-backs among them) to {@code addr}. */
  private static JsPeer.Event dialOf(JsPeer js, String addr) {
    return js.awaitEvent(
        e -> "open-connection".equals(e.name()) && e.strings("addrs").contains(addr),
        "a dial of " + addr,
        T);
  }

  @Test
  void aJavaClientLearnsFromAJsServerWhichOfItsAddressesCanBeDialledBack() throws Exception {
    ReachLab.JavaPeer java = lab.java("java", tcp("java", 4001));
    String javaId = java.peerId(T);
    JsPeer js = lab.js("js", "--listen", tcp("js", 4002));
    String server = tcp("js", 4002) + "/p2p/" + js.peerId();

    java.send("autonat " + server + " " + tcp("java", 4001));
    String reachable =
        java.await(l -> l.startsWith("autonat ") || l.startsWith("failed "), T, "a verdict");
    assertEquals(
        "autonat REACHABLE " + tcp("java", 4001) + " dialled back", reachable, java::describe);
    JsPeer.Event back = dialOf(js, tcp("java", 4001));
    assertTrue(back.bool("ok"), back::raw);
    assertEquals(javaId, back.string("peerId"), "the js server reached the Java node");

    // Nothing listens on 4009: the js server's dial back is refused.
    int mark = java.lines();
    java.send("autonat " + server + " " + tcp("java", 4009));
    String unreachable =
        java.await(l -> l.startsWith("autonat ") || l.startsWith("failed "), T, "a verdict", mark);
    assertEquals(
        "autonat UNREACHABLE " + tcp("java", 4009) + " dial failed", unreachable, java::describe);
    JsPeer.Event refused = dialOf(js, tcp("java", 4009));
    assertTrue(!refused.bool("ok"), refused::raw);
  }

  @Test
  void aJsClientLearnsFromAJavaServerWhichOfItsAddressesCanBeDialledBack() throws Exception {
    ReachLab.JavaPeer java = lab.java("java", tcp("java", 4001));
    String server = tcp("java", 4001) + "/p2p/" + java.peerId(T);
    // 4003 turns the Java node's connections away, as a firewall would; 4002 takes them.
    lab.refuse("js", 4003, "java");

    JsPeer open = lab.js("js", "--listen", tcp("js", 4002));
    assertTrue(open.call("dial", T, "addr", server).ok());
    awaitAddress(open, tcp("js", 4002), a -> Boolean.TRUE.equals(a.get("verified")), "verified");
    assertTrue(
        java.logged("AutoNAT dial back to " + open.peerId() + " at " + tcp("js", 4002) + ": OK"),
        java::describe);

    JsPeer closed = lab.js("js", "--listen", tcp("js", 4003));
    assertTrue(closed.call("dial", T, "addr", server).ok());
    Map<String, Object> tally = awaitTally(closed, tcp("js", 4003));
    assertEquals(0L, tally.get("success"), tally::toString);
    assertEquals(1L, tally.get("failure"), tally::toString);
    assertTrue(
        java.logged(
            "AutoNAT dial back to "
                + closed.peerId()
                + " at "
                + tcp("js", 4003)
                + ": E_DIAL_ERROR"),
        java::describe);
    awaitAddress(
        closed, tcp("js", 4003), a -> Boolean.FALSE.equals(a.get("verified")), "unverified");
  }

  @SuppressWarnings("unchecked")
  private static void awaitAddress(
      JsPeer js, String addr, java.util.function.Predicate<Map<String, Object>> p, String what)
      throws InterruptedException {
    long end = System.nanoTime() + T.toNanos();
    JsPeer.Result r = null;
    while (System.nanoTime() < end) {
      r = js.call("addresses", T);
      for (Object o : (List<Object>) r.require("addresses").get("addresses")) {
        Map<String, Object> a = (Map<String, Object>) o;
        if (addr.equals(a.get("multiaddr")) && p.test(a)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(addr + " not " + what + " by the js node: " + r);
  }

  /** The js AutoNAT client's tally for {@code addr}, once a server has answered about it. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitTally(JsPeer js, String addr)
      throws InterruptedException {
    long end = System.nanoTime() + T.toNanos();
    JsPeer.Result r = null;
    while (System.nanoTime() < end) {
      r = js.call("addresses", T);
      Map<String, Object> all = (Map<String, Object>) r.require("addresses").get("autonat");
      Map<String, Object> t = (Map<String, Object>) all.get(addr);
      if (t != null && ((Long) t.get("success") + (Long) t.get("failure")) > 0) {
        return t;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no AutoNAT answer about " + addr + " reached the js node: " + r);
  }
}
