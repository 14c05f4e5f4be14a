package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dure.net.interop.JsPeer;
import org.dure.net.netns.LineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mDNS discovery between processes in two network namespaces of the test's own ({@link NetnsLab}):
 * Java ↔ Java (two of them sharing port 5353 in one namespace), and Java ↔ js-libp2p
 * {@code @libp2p/mdns}. Needs root for {@code ip netns}: skipped without, unless {@code CI} is set.
 */
@Tag("netns")
@Timeout(120)
class MdnsNetnsTest {
  private static final Duration T = Duration.ofSeconds(40);
  private static NetnsLab lab;

  @BeforeAll
  static void namespaces() throws Exception {
    lab = NetnsLab.create();
  }

  @AfterAll
  static void cleanUp() {
    if (lab != null) {
      lab.close();
    }
  }

  private static LineProcess javaPeer(String ns, String listen) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.log.org.dure.net.mdns=debug"));
    cmd.addAll(List.of("-cp", cp, MdnsPeerMain.class.getName(), "--interval-ms", "1000", listen));
    return lab.start(ns, Path.of("").toAbsolutePath(), cmd);
  }

  /** The peer id of a {@link MdnsPeerMain} ({@code self <id> <name>}). */
  private static String selfId(LineProcess c) throws Exception {
    return c.await(l -> l.startsWith("self "), T, "self line").split(" ")[1];
  }

  private static void awaitPeer(LineProcess c, String id, String addr) throws Exception {
    String line =
        c.await(l -> l.startsWith("peer " + id + " "), T, "discovery of " + id + " at " + addr);
    List<String> addrs = List.of(line.split(" ")).subList(2, line.split(" ").length);
    assertTrue(addrs.contains(addr), () -> line + " lacks " + addr);
  }

  @Test
  void javaNodesInTwoNamespacesAndOnOneHostFindEachOther() throws Exception {
    LineProcess a1 = javaPeer(lab.a, "/ip4/0.0.0.0/tcp/4001");
    LineProcess a2 = javaPeer(lab.a, "/ip4/0.0.0.0/tcp/4011"); // shares port 5353 with a1
    LineProcess b = javaPeer(lab.b, "/ip4/0.0.0.0/tcp/4002");
    String idA1 = selfId(a1);
    String idA2 = selfId(a2);
    String idB = selfId(b);

    awaitPeer(a1, idB, "/ip4/" + NetnsLab.ADDRESS_B + "/tcp/4002");
    awaitPeer(b, idA1, "/ip4/" + NetnsLab.ADDRESS_A + "/tcp/4001");
    awaitPeer(b, idA2, "/ip4/" + NetnsLab.ADDRESS_A + "/tcp/4011");
    awaitPeer(a2, idB, "/ip4/" + NetnsLab.ADDRESS_B + "/tcp/4002");
    awaitPeer(a1, idA2, "/ip4/" + NetnsLab.ADDRESS_A + "/tcp/4011");
    awaitPeer(a2, idA1, "/ip4/" + NetnsLab.ADDRESS_A + "/tcp/4001");

    // Malformed packets from b: logged at debug and dropped, a1 keeps discovering.
    b.send("garbage 200");
    b.await(l -> l.equals("garbage-sent 200"), T, "garbage-sent");
    int mark = a1.lines();
    a1.send("forget"); // MdnsPeerMain prints known peers again after this line
    a1.await(l -> l.startsWith("peer " + idB + " "), T, "discovery of b after the garbage", mark);
    assertTrue(a1.stderrContains("malformed packet"), "a1 logged no malformed packet");
    assertTrue(a1.stderrContains("over 9000 bytes"), "a1 logged no oversized packet");
    assertTrue(a1.alive());
    for (LineProcess c : List.of(a1, a2, b)) {
      c.close();
    }
  }

  @Test
  @Tag("interop")
  void javaAndJsLibp2pFindEachOther() throws Exception {
    assumeTrue(
        !Boolean.getBoolean("dure.skipInterop"), "interop disabled with -Ddure.skipInterop=true");
    JsPeer.checkAvailable();
    Path dir = JsPeer.fixtureDir();
    LineProcess js =
        lab.start(
            lab.a,
            dir,
            List.of(
                JsPeer.nodeBinary().toString(),
                dir.resolve("mdns-peer.mjs").toString(),
                "--interval",
                "1000",
                "--port",
                "4001"));
    LineProcess java = javaPeer(lab.b, "/ip4/0.0.0.0/tcp/4002");
    String jsId =
        js.await(l -> l.contains("\"event\":\"listening\""), T, "listening event")
            .replaceAll(".*\"peerId\":\"([^\"]+)\".*", "$1");
    String javaId = selfId(java);

    // Java finds js (its loopback address is announced too, and dropped by Java).
    awaitPeer(java, jsId, "/ip4/" + NetnsLab.ADDRESS_A + "/tcp/4001");
    String seen =
        js.await(
            l ->
                l.contains("\"event\":\"mdns:peer\"")
                    && l.contains("\"peerId\":\"" + javaId + "\""),
            T,
            "mdns:peer event for the Java node");
    assertTrue(
        seen.contains("\"/ip4/" + NetnsLab.ADDRESS_B + "/tcp/4002\""),
        () -> "js saw the Java node without its address: " + seen);
    // And libp2p itself took it in (peer store, then peer:discovery).
    js.await(
        l -> l.contains("\"event\":\"peer:discovery\"") && l.contains(javaId),
        T,
        "peer:discovery event for the Java node");
    js.close();
    java.close();
  }
}
