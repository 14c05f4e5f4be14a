package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.dure.net.netns.LineProcess;
import org.dure.net.netns.Shell;

/**
 * Two network namespaces of its own ({@code dure-mdns-<random>-a} and {@code -b}) joined by a veth
 * pair, {@value #ADDRESS_A}/24 and {@value #ADDRESS_B}/24, with a multicast route; and child
 * processes run inside them with {@code ip netns exec}. The interfaces are created directly inside
 * the namespaces: the machine's own interfaces are never touched.
 */
final class NetnsLab implements AutoCloseable {
  static final String PREFIX = "dure-mdns-";
  static final String ADDRESS_A = "10.77.1.1";
  static final String ADDRESS_B = "10.77.1.2";

  final String a;
  final String b;
  private final List<LineProcess> children = new ArrayList<>();

  private NetnsLab(String a, String b) {
    this.a = a;
    this.b = b;
  }

  /**
   * Skips (outside CI) or fails (with {@code CI} set) unless {@code ip netns} works here, removes
   * namespaces left over by earlier runs, and creates a fresh pair.
   */
  static NetnsLab create() throws IOException, InterruptedException {
    String why = null;
    try {
      Shell.Result r = Shell.run("ip", "netns", "list");
      if (r.exit() != 0) {
        why = "'ip netns list' failed: " + r.output();
      }
    } catch (IOException e) {
      why = "cannot run 'ip': " + e.getMessage();
    }
    if (why != null) {
      String ci = System.getenv("CI");
      String message = "the mDNS namespace tests need root and iproute2 ('ip netns'): " + why;
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
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    NetnsLab lab = new NetnsLab(PREFIX + id + "-a", PREFIX + id + "-b");
    String vethA = "dm" + id + "a";
    String vethB = "dm" + id + "b";
    try {
      Shell.check("ip", "netns", "add", lab.a);
      Shell.check("ip", "netns", "add", lab.b);
      Shell.check(
          "ip", "link", "add", vethA, "netns", lab.a, "type", "veth", "peer", "name", vethB,
          "netns", lab.b);
      lab.configure(lab.a, vethA, ADDRESS_A);
      lab.configure(lab.b, vethB, ADDRESS_B);
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void configure(String ns, String dev, String address)
      throws IOException, InterruptedException {
    Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
    Shell.check("ip", "-n", ns, "addr", "add", address + "/24", "dev", dev);
    Shell.check("ip", "-n", ns, "link", "set", dev, "up");
    // No default route in the namespace: node's dgram sends to 224.0.0.251 need this one.
    Shell.check("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", dev);
  }

  /** Starts {@code command} inside namespace {@code ns}; stdout lines are collected. */
  LineProcess start(String ns, Path dir, List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    Process p =
        new ProcessBuilder(full)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    LineProcess c = new LineProcess(ns + " " + String.join(" ", command), p);
    synchronized (children) {
      children.add(c);
    }
    return c;
  }

  /** Stops all children, then deletes both namespaces. */
  @Override
  public void close() {
    synchronized (children) {
      children.forEach(LineProcess::close);
      children.clear();
    }
    for (String ns : List.of(a, b)) {
      try {
        Shell.run("ip", "netns", "del", ns);
      } catch (IOException e) {
        // nothing more to do; the next run deletes it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
