package org.dure.net.mdns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
  private final List<Child> children = new ArrayList<>();

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
      Result r = run("ip", "netns", "list");
      if (r.exit != 0) {
        why = "'ip netns list' failed: " + r.output;
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
    for (String line : run("ip", "netns", "list").output.split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.startsWith(PREFIX)) {
        run("ip", "netns", "del", name); // stale, from an earlier run that did not clean up
      }
    }
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    NetnsLab lab = new NetnsLab(PREFIX + id + "-a", PREFIX + id + "-b");
    String vethA = "dm" + id + "a";
    String vethB = "dm" + id + "b";
    try {
      check("ip", "netns", "add", lab.a);
      check("ip", "netns", "add", lab.b);
      check(
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
    check("ip", "-n", ns, "link", "set", "lo", "up");
    check("ip", "-n", ns, "addr", "add", address + "/24", "dev", dev);
    check("ip", "-n", ns, "link", "set", dev, "up");
    // No default route in the namespace: node's dgram sends to 224.0.0.251 need this one.
    check("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", dev);
  }

  /** Starts {@code command} inside namespace {@code ns}; stdout lines are collected. */
  Child start(String ns, Path dir, List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    Process p =
        new ProcessBuilder(full)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    Child c = new Child(ns + " " + String.join(" ", command), p);
    synchronized (children) {
      children.add(c);
    }
    return c;
  }

  /** Stops all children, then deletes both namespaces. */
  @Override
  public void close() {
    synchronized (children) {
      children.forEach(Child::close);
      children.clear();
    }
    for (String ns : List.of(a, b)) {
      try {
        run("ip", "netns", "del", ns);
      } catch (IOException e) {
        // nothing more to do; the next run deletes it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A child process whose stdout and stderr lines are kept. */
  static final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();

    Child(String name, Process process) {
      this.name = name;
      this.process = process;
      pump(process.inputReader(StandardCharsets.UTF_8), out);
      pump(
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
          err);
    }

    private void pump(BufferedReader reader, List<String> lines) {
      Thread t =
          new Thread(
              () -> {
                try (reader) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                      lines.add(line);
                      lines.notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // process gone
                }
              },
              "netns-child-pump");
      t.setDaemon(true);
      t.start();
    }

    /** The first stdout line matching {@code p}, waiting up to {@code timeout}. */
    String await(Predicate<String> p, Duration timeout, String what) throws InterruptedException {
      return await(p, timeout, what, 0);
    }

    /** Number of stdout lines so far. */
    int lines() {
      synchronized (out) {
        return out.size();
      }
    }

    /** Writes one line to the child's stdin. */
    void send(String line) throws IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Whether some stderr line so far contains {@code text}. */
    boolean stderrContains(String text) {
      synchronized (err) {
        return err.stream().anyMatch(l -> l.contains(text));
      }
    }

    boolean alive() {
      return process.isAlive();
    }

    /** The first stdout line from index {@code from} on matching {@code p}. */
    String await(Predicate<String> p, Duration timeout, String what, int from)
        throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      synchronized (out) {
        int seen = from;
        while (true) {
          for (; seen < out.size(); seen++) {
            if (p.test(out.get(seen))) {
              return out.get(seen);
            }
          }
          long left = end - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError(
                "timed out waiting for " + what + " from [" + name + "]\n" + describe());
          }
          TimeUnit.NANOSECONDS.timedWait(out, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
      }
    }

    String describe() {
      StringBuilder sb = new StringBuilder();
      synchronized (out) {
        sb.append("stdout:\n  ").append(String.join("\n  ", out));
      }
      synchronized (err) {
        List<String> tail = err.subList(Math.max(0, err.size() - 40), err.size());
        sb.append("\nstderr (tail):\n  ").append(String.join("\n  ", tail));
      }
      sb.append("\nalive: ").append(process.isAlive());
      return sb.toString();
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close(); // both mains stop when stdin closes
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), output);
  }

  private static void check(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    if (r.exit != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + r.exit + "): " + r.output);
    }
  }
}
