package org.dure.net.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.dure.net.netns.LineProcess;
import org.dure.net.netns.Shell;

/**
 * A small internet of network namespaces for the reach interop tests: one namespace per node, each
 * with one address {@value #NET}.N/24 on a veth plugged into a bridge in a hub namespace. No
 * namespace has a route out and the machine's own interfaces are never touched.
 *
 * <p>Why not loopback: js-libp2p's AutoNAT v2 client never asks about a private or loopback
 * address, its server refuses to dial one back, and its DCUtR drops them from CONNECT messages,
 * none of it configurable (@libp2p/autonat-v2 2.0.15 {@code client.js}/{@code
 * server.js}, @libp2p/dcutr 3.0.28 {@code utils.js isPublicAndDialable}, all via @libp2p/utils
 * {@code isPrivate}, which also counts the documentation ranges as private). So the lab uses
 * {@value #NET}.0/24, in none of those lists.
 *
 * <p>Needs root for {@code ip netns} and iptables: skipped without, unless {@code CI} is set.
 */
final class ReachLab implements AutoCloseable {
  static final String PREFIX = "dure-reach-";
  static final String NET = "11.0.0";

  private final String id;
  private final String hub;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<AutoCloseable> children = new ArrayList<>();

  private ReachLab(String id) {
    this.id = id;
    this.hub = PREFIX + id + "-hub";
  }

  /** Creates the hub and one namespace per node name, addressed {@value #NET}.1, .2, … in order. */
  static ReachLab create(String... nodes) throws IOException, InterruptedException {
    String why = null;
    try {
      Shell.Result r = Shell.run("ip", "netns", "list");
      if (r.exit() != 0) {
        why = "'ip netns list' failed: " + r.output();
      } else if (Shell.run("iptables", "--version").exit() != 0) {
        why = "no iptables";
      }
    } catch (IOException e) {
      why = "cannot run 'ip' or 'iptables': " + e.getMessage();
    }
    if (why != null) {
      String message = "the reach interop tests need root, iproute2 and iptables: " + why;
      String ci = System.getenv("CI");
      if (ci == null || ci.isBlank()) {
        assumeTrue(false, message);
      }
      fail(message + " (CI is set, so this is a failure, not a skip)");
    }
    for (String line : Shell.run("ip", "netns", "list").output().split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.startsWith(PREFIX)) {
        Shell.run("ip", "netns", "del", name); // stale, from an earlier run that did not clean up
      }
    }
    ReachLab lab =
        new ReachLab(
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2));
    try {
      Shell.check("ip", "netns", "add", lab.hub);
      Shell.check("ip", "-n", lab.hub, "link", "add", "br0", "type", "bridge");
      Shell.check("ip", "-n", lab.hub, "link", "set", "br0", "up");
      for (int i = 0; i < nodes.length; i++) {
        String ns = PREFIX + lab.id + "-" + nodes[i];
        String address = NET + "." + (i + 1);
        String port = "r" + lab.id + i;
        Shell.check("ip", "netns", "add", ns);
        lab.namespaces.put(nodes[i], ns);
        lab.addresses.put(nodes[i], address);
        Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.check(
            "ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns",
            lab.hub);
        Shell.check("ip", "-n", lab.hub, "link", "set", port, "master", "br0", "up");
        Shell.check("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Shell.check("ip", "-n", ns, "link", "set", "eth0", "up");
      }
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** The node's address, e.g. {@code 11.0.0.2}. */
  String ip(String node) {
    return addresses.get(node);
  }

  /** {@code ip netns exec NS}: put before a command to run it in the node's namespace. */
  List<String> launcher(String node) {
    return List.of("ip", "netns", "exec", namespaces.get(node));
  }

  /**
   * A stateful filter in {@code node}'s namespace, as a home router has: TCP connections that
   * {@code from} opens to it are dropped silently (SYN without reply); connections it opens, and
   * everything from other nodes (the relay), pass.
   */
  void dropConnectionsFrom(String node, String from) throws IOException, InterruptedException {
    iptables(node, "-A", "INPUT", "-p", "tcp", "--syn", "-s", ip(from), "-j", "DROP");
  }

  /** Connections from {@code from} to {@code port} of {@code node} are refused (RST). */
  void refuse(String node, int port, String from) throws IOException, InterruptedException {
    iptables(
        node,
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--syn",
        "-s",
        ip(from),
        "--dport",
        Integer.toString(port),
        "-j",
        "REJECT",
        "--reject-with",
        "tcp-reset");
  }

  private void iptables(String node, String... rule) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(launcher(node));
    cmd.add("iptables");
    cmd.addAll(List.of(rule));
    Shell.check(cmd.toArray(String[]::new));
  }

  /** Starts a {@link ReachPeerMain} in {@code node}'s namespace. */
  JavaPeer java(String node, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(launcher(node));
    cmd.addAll(
        List.of(
            java,
            "-Xmx96m",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.log.org.dure.net.autonat=debug",
            "-Dorg.slf4j.simpleLogger.log.org.dure.net.dcutr=debug",
            "-cp",
            cp,
            ReachPeerMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    JavaPeer peer = new JavaPeer(node, p);
    synchronized (children) {
      children.add(peer);
    }
    return peer;
  }

  /** Starts {@code reach-peer.mjs} in {@code node}'s namespace and waits for it to listen. */
  JsPeer js(String node, String... options) {
    JsPeer peer = JsPeer.listenScriptIn(launcher(node), "reach-peer.mjs", options);
    synchronized (children) {
      children.add(peer);
    }
    return peer;
  }

  /** Stops all children, then deletes the namespaces. */
  @Override
  public void close() {
    synchronized (children) {
      for (AutoCloseable c : children.reversed()) {
        try {
          c.close();
        } catch (Exception e) {
          // go on with the others
        }
      }
      children.clear();
    }
    List<String> all = new ArrayList<>(namespaces.values());
    all.add(hub);
    for (String ns : all) {
      try {
        Shell.run("ip", "netns", "del", ns);
      } catch (IOException e) {
        // nothing more to do; the next run deletes it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A {@link ReachPeerMain} child: its stdout lines are kept, its stderr (logs) too. */
  static final class JavaPeer extends LineProcess {
    JavaPeer(String name, Process process) {
      super(name, process);
    }

    /** The peer id from the {@code self} line. */
    String peerId(Duration timeout) throws InterruptedException {
      return await(l -> l.startsWith("self "), timeout, "the self line").split(" ")[1];
    }

    /** Whether some stderr (log) line so far contains {@code text}. */
    boolean logged(String text) {
      return stderrContains(text);
    }
  }
}
