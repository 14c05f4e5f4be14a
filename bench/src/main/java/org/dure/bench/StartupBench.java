package org.dure.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How quickly {@code ./dure} starts, as a person runs it: from starting the script to the web UI's
 * first page answering HTTP 200, on an existing data directory without and with the start-up cache
 * (see the script), on a new data directory, and once for the first start after a build (the cache
 * made); then how long {@code ./dure status} takes against a running Dure. Also the Dure process's
 * resident memory once the first page is served.
 *
 * <p>Runs the repository's {@code ./dure} (which builds the jar first if needed) on temporary data
 * directories, with peers on a free port, no LAN discovery, no DHT bootstrap peers and no port
 * mapping: nothing leaves this computer.
 */
public final class StartupBench {
  private static final long TIMEOUT_MILLIS = 300_000;

  private StartupBench() {}

  /** One start: seconds to the first page and the resident memory then (0 when unknown). */
  private record Start(double seconds, long rssBytes) {}

  static void run(PrintStream out, boolean quick) throws Exception {
    int starts = quick ? 2 : 5;
    int commands = quick ? 3 : 15;
    Path dure = Path.of("dure").toAbsolutePath();
    Path cache = Path.of("web-ui", "target", "start-cache").toAbsolutePath();
    Path tmp = Files.createTempDirectory("dure-bench-startup");
    try {
      System.err.println("building the jar if needed (./dure --help)...");
      exec(List.of(dure.toString(), "--help"), Map.of());

      System.err.println("first start after a build (the start-up cache is made)...");
      deleteTree(cache);
      Start afterBuild = start(dure, tmp.resolve("after-build"), Map.of());

      Path existing = tmp.resolve("existing");
      start(dure, existing, Map.of()); // makes the data directory; not counted
      List<Start> cold = new ArrayList<>();
      List<Start> cached = new ArrayList<>();
      List<Start> fresh = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        System.err.println("starts, round " + (i + 1) + " of " + starts + "...");
        cold.add(start(dure, existing, Map.of("DURE_START_CACHE", "off")));
        cached.add(start(dure, existing, Map.of()));
        fresh.add(start(dure, tmp.resolve("new-" + i), Map.of()));
      }

      System.err.println("./dure status against a running Dure...");
      double[] status = new double[commands];
      try (Running running = Running.start(dure, existing, Map.of())) {
        exec(List.of(dure.toString(), "--data", existing.toString(), "status"), Map.of());
        for (int i = 0; i < commands; i++) {
          long t0 = System.nanoTime();
          int code =
              exec(List.of(dure.toString(), "--data", existing.toString(), "status"), Map.of());
          status[i] = (System.nanoTime() - t0) / 1e9;
          if (code != 0) {
            throw new IllegalStateException("./dure status exited with " + code);
          }
        }
      }

      out.println("## Start-up");
      out.println();
      out.println(
          "`./dure` to the web UI's first page (HTTP 200 on `/`), "
              + starts
              + " starts each, in turn; an existing data directory (one space, one page) without"
              + " and with the start-up cache, a new data directory with the cache; the resident"
              + " memory of the Dure process when the first page is served.");
      out.println();
      out.println("| start | n | median | p95 | max | RSS median | target |");
      out.println("|---|---:|---:|---:|---:|---:|---|");
      out.println(row("existing data directory, no start-up cache", cold, ""));
      out.println(row("existing data directory, start-up cache", cached, "≤ 3 s"));
      out.println(row("new data directory (first start), start-up cache", fresh, ""));
      out.println(
          row(
              "first start after a build (makes the cache, then starts)",
              List.of(afterBuild),
              "once per build"));
      out.println();
      double[] sorted = status.clone();
      Arrays.sort(sorted);
      out.println("| command | n | median | p95 | max | target |");
      out.println("|---|---:|---:|---:|---:|---|");
      out.printf(
          "| `./dure status` against a running Dure | %d | %.2f s | %.2f s | %.2f s | ≤ 0.5 s |%n",
          commands,
          Stats.quantile(sorted, 0.5),
          Stats.quantile(sorted, 0.95),
          sorted[sorted.length - 1]);
    } finally {
      deleteTree(tmp);
    }
  }

  private static String row(String what, List<Start> starts, String target) {
    double[] s = starts.stream().mapToDouble(Start::seconds).sorted().toArray();
    double[] rss = starts.stream().mapToDouble(Start::rssBytes).sorted().toArray();
    return String.format(
        "| %s | %d | %.2f s | %.2f s | %.2f s | %s | %s |",
        what,
        s.length,
        Stats.quantile(s, 0.5),
        Stats.quantile(s, 0.95),
        s[s.length - 1],
        rss[rss.length / 2] > 0 ? Stats.mib((long) rss[rss.length / 2]) : "?",
        target);
  }

  /** Starts Dure, waits for its first page, notes the time and memory, and stops it. */
  private static Start start(Path dure, Path dataDir, Map<String, String> env) throws Exception {
    try (Running running = Running.start(dure, dataDir, env)) {
      return new Start(running.seconds, running.rssBytes());
    }
  }

  /** A started {@code ./dure} whose first page has answered. */
  private static final class Running implements AutoCloseable {
    private final Process process;
    private final double seconds;

    private Running(Process process, double seconds) {
      this.process = process;
      this.seconds = seconds;
    }

    static Running start(Path dure, Path dataDir, Map<String, String> env) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ProcessBuilder pb =
          new ProcessBuilder(
                  dure.toString(),
                  "--data",
                  dataDir.toString(),
                  "--port",
                  "" + port,
                  "--p2p-port",
                  "0",
                  "--no-lan",
                  "--bootstrap",
                  "none")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("DURE_JAVA_OPTS", "-Ddure.portMapping=false");
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      URI first = URI.create("http://127.0.0.1:" + port + "/");
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException("./dure exited with " + p.exitValue());
        }
        if ((System.nanoTime() - t0) / 1_000_000 > TIMEOUT_MILLIS) {
          stop(p);
          throw new IllegalStateException("./dure did not serve its first page in time");
        }
        if (status(first) == 200) {
          return new Running(p, (System.nanoTime() - t0) / 1e9);
        }
        Thread.sleep(20);
      }
    }

    /** VmRSS of the JVM that ./dure started (a descendant), or 0 when unknown. */
    long rssBytes() {
      return Stream.concat(Stream.of(process.toHandle()), process.descendants())
          .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
          .findFirst()
          .map(h -> rss(h.pid()))
          .orElse(OptionalLong.empty())
          .orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
      stop(process);
    }
  }

  private static OptionalLong rss(long pid) {
    Path status = Path.of("/proc", "" + pid, "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** TERM to the script (it passes it on to the JVM), then to what is left of its descendants. */
  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
    }
    for (ProcessHandle h : children) {
      h.destroy();
      h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(x -> null).join();
    }
  }

  private static int status(URI uri) {
    try {
      HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      http.setConnectTimeout(1000);
      http.setReadTimeout(30_000);
      try (InputStream in = http.getInputStream()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the status says it
      }
      int code = http.getResponseCode();
      http.disconnect();
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  private static int exec(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " did not finish");
    }
    return p.exitValue();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
