package org.dure.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.bench.Proc;
import org.dure.bench.Stats;
import org.dure.identity.Identity;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionLimits;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;

/**
 * Network benchmarks: single-stream throughput Java→Java, Java→js, js→Java and js→js (a sink that
 * counts what it receives and answers with the count, so every transfer is checked complete),
 * handshake latency (TCP + multistream-select + Noise XX + Yamux) and memory per idle connection.
 * The Java server runs in its own JVM; the Java client is this JVM, warmed up first.
 */
public final class NetBench {
  public static final String SINK = "/dure/sink/1.0.0";
  private static final int CHUNK = 64 * 1024;

  /**
   * Warm-up transfers before every case's measured runs, the same for Java and js: the JVMs keep
   * recompiling the hot paths for several hundred MiB (throughput still rose after 512 MiB).
   */
  static final int WARMUPS = Integer.getInteger("dure.bench.net.warmups", 4);

  /** Measured transfers per case; the table reports their median. */
  static final int RUNS = Integer.getInteger("dure.bench.net.runs", 5);

  private NetBench() {}

  public static void run(PrintStream out, boolean quick) throws Exception {
    long bytes = (quick ? 8L : 256L) << 20;
    long warmup = (quick ? 4L : 256L) << 20;
    int dials = quick ? 20 : 300;
    int idle = quick ? 50 : 500;
    out.println("## Network");
    out.println();
    try (JavaServer server = JavaServer.start();
        Host client = clientHost(idle + dials + 16)) {
      int runs = quick ? 3 : RUNS;
      int warmups = quick ? 2 : WARMUPS;
      Js js = Js.find();
      double[] javaJava = new double[runs];
      double[] javaJs = null;
      double[] jsJava = null;
      double[] jsJs = null;
      String jsNote = "";
      if (js == null) {
        jsNote =
            "js cases skipped: Node 22 and the js-libp2p fixture are not installed"
                + " (.ci/install-node22.sh).";
        System.err.println("Java → Java...");
        for (int i = 0; i < warmups; i++) {
          transfer(client, server.address, warmup);
        }
        for (int i = 0; i < runs; i++) {
          javaJava[i] = transfer(client, server.address, bytes);
        }
      } else {
        javaJs = new double[runs];
        jsJs = new double[runs];
        jsJava = new double[runs];
        try (Js.Listener sink = js.listen();
            Js.Listener sender = js.listen()) {
          // Every case warms up alike, then the measured runs go round the four cases, so that a
          // change of load on the machine during the benchmark affects all cases alike.
          System.err.println("warm-up...");
          for (int i = 0; i < warmups; i++) {
            transfer(client, server.address, warmup);
            transfer(client, sink.address, warmup);
            // js-libp2p refuses more than a few inbound connections per second from one address.
            Thread.sleep(1500);
            sender.send(sink.address, warmup);
            sender.send(server.address, warmup);
            Thread.sleep(1500);
          }
          for (int i = 0; i < runs; i++) {
            System.err.println("round " + (i + 1) + " of " + runs + "...");
            javaJava[i] = transfer(client, server.address, bytes);
            javaJs[i] = transfer(client, sink.address, bytes);
            Thread.sleep(1500);
            jsJs[i] = sender.send(sink.address, bytes);
            jsJava[i] = sender.send(server.address, bytes);
            Thread.sleep(1500);
          }
        }
      }

      out.printf(
          "Single stream, %d MiB over 127.0.0.1, %d runs per case after %d warm-up transfers of"
              + " %d MiB in every case (Java: one client JVM and one server JVM; js: one sending"
              + " and one receiving Node process), measured in rounds of the four cases; every"
              + " transfer's byte count is acknowledged by the sink.%n%n",
          bytes >> 20, runs, warmups, warmup >> 20);
      out.println("| sender → sink | median MiB/s | min–max MiB/s | runs in order |");
      out.println("|---|---:|---:|---|");
      row(out, "Java → Java", javaJava);
      row(out, "Java → js", javaJs);
      row(out, "js → Java", jsJava);
      row(out, "js → js", jsJs);
      out.println();
      if (jsJs != null) {
        out.printf(
            "Java↔Java / js↔js (medians): **%.2f×** (target ≥ 1.5×).%n%n",
            median(javaJava) / median(jsJs));
      } else {
        out.println(jsNote);
        out.println();
      }

      // Without /p2p/ a dial never reuses an open connection: each one is a full handshake.
      String fresh =
          org.dure.net.multiaddr.Multiaddr.parse(server.address).withoutPeerId().toString();
      System.err.println("handshakes...");
      double[] ms = new double[dials];
      for (int i = 0; i < 20; i++) {
        client.dial(fresh).close(); // warm-up
      }
      for (int i = 0; i < dials; i++) {
        long t = System.nanoTime();
        Connection c = client.dial(fresh);
        ms[i] = (System.nanoTime() - t) / 1e6;
        c.close();
      }
      Arrays.sort(ms);
      out.printf(
          "Handshake (dial to an upgraded connection: TCP, multistream-select, Noise XX, Yamux),"
              + " Java → Java, %d dials: p50 %.2f ms, p99 %.2f ms.%n%n",
          dials, Stats.quantile(ms, 0.5), Stats.quantile(ms, 0.99));

      System.err.println("idle connections...");
      long[] before = server.memory();
      List<Connection> open = new ArrayList<>();
      for (int i = 0; i < idle; i++) {
        open.add(client.dial(fresh));
      }
      Thread.sleep(2000);
      long[] after = server.memory();
      for (Connection c : open) {
        c.close();
      }
      out.printf(
          "Memory of the Java server per idle connection (%d connections): %.1f KiB of RSS,"
              + " %.1f KiB of Java heap (after GC).%n",
          idle, (after[0] - before[0]) / 1024.0 / idle, (after[1] - before[1]) / 1024.0 / idle);
    }
  }

  private static void row(PrintStream out, String name, double[] runs) {
    if (runs == null) {
      out.printf("| %s | n/a | n/a | |%n", name);
      return;
    }
    StringBuilder all = new StringBuilder();
    for (double r : runs) {
      all.append(all.isEmpty() ? "" : ", ").append(Math.round(r));
    }
    out.printf(
        "| %s | %.0f | %.0f–%.0f | %s |%n",
        name,
        median(runs),
        Arrays.stream(runs).min().orElse(0),
        Arrays.stream(runs).max().orElse(0),
        all);
  }

  static double median(double[] runs) {
    double[] s = runs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static Host clientHost(int connections) throws IOException {
    return Host.builder()
        .identity(Identity.generateEd25519())
        .limits(
            ConnectionLimits.defaults()
                .withMaxConnections(connections)
                .withMaxConnectionsPerPeer(connections))
        .build()
        .start();
  }

  /**
   * Sends {@code bytes} on one sink stream and returns MiB/s; fails unless the sink acknowledges
   * exactly that many bytes.
   */
  static double transfer(Host client, String address, long bytes) throws IOException {
    byte[] chunk = new byte[CHUNK];
    new Random(1).nextBytes(chunk);
    Connection c = client.dial(address);
    try (Stream s = c.newStream(SINK)) {
      long t = System.nanoTime();
      OutputStream out = s.outputStream();
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.flush();
      s.closeWrite();
      byte[] ack = s.inputStream().readNBytes(8);
      double seconds = (System.nanoTime() - t) / 1e9;
      if (ack.length != 8 || ByteBuffer.wrap(ack).getLong() != bytes) {
        throw new IOException("the sink did not acknowledge " + bytes + " bytes");
      }
      return bytes / (1024.0 * 1024.0) / seconds;
    } finally {
      c.close();
    }
  }

  /** Serves the sink protocol: counts bytes to the end of the stream, answers with the count. */
  static void serveSink(Stream s) throws IOException {
    InputStream in = s.inputStream();
    byte[] buf = new byte[CHUNK];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
    }
    s.outputStream().write(ByteBuffer.allocate(8).putLong(total).array());
    s.outputStream().flush();
    s.close();
  }

  /** The Java sink server, in its own JVM; answers "memory" on stdin with RSS and heap. */
  public static final class ServerMain {
    public static void main(String[] args) throws Exception {
      try (Host host =
          Host.builder()
              .identity(Identity.generateEd25519())
              .listen("/ip4/127.0.0.1/tcp/0")
              .limits(
                  ConnectionLimits.defaults()
                      .withMaxConnections(5000)
                      .withMaxConnectionsPerPeer(5000)
                      .withMaxPendingHandshakes(512))
              .build()
              .start()) {
        host.setHandler(SINK, NetBench::serveSink);
        System.out.println("ADDR " + host.listenAddresses().get(0));
        System.out.flush();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
          if (line.equals("memory")) {
            for (int i = 0; i < 3; i++) {
              System.gc();
              Thread.sleep(100);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.println(
                "MEM " + Proc.rssBytes().orElse(0) + " " + (rt.totalMemory() - rt.freeMemory()));
            System.out.flush();
          }
        }
      }
    }
  }

  /** A running {@link ServerMain}. */
  static final class JavaServer implements AutoCloseable {
    final Process process;
    final String address;
    final BufferedReader out;
    final PrintWriter in;

    private JavaServer(Process process, String address, BufferedReader out) {
      this.process = process;
      this.address = address;
      this.out = out;
      this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static JavaServer start() throws IOException {
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Process p =
          new ProcessBuilder(
                  java,
                  "--enable-native-access=ALL-UNNAMED",
                  "-Xmx1g",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel="
                      + System.getProperty("dure.bench.serverLog", "warn"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ServerMain.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("ADDR ")) {
        p.destroyForcibly();
        throw new IOException("the Java sink server did not start: " + line);
      }
      return new JavaServer(p, line.substring(5), out);
    }

    /** {RSS bytes, heap bytes in use after GC} of the server. */
    long[] memory() throws IOException {
      in.println("memory");
      String line = out.readLine();
      String[] parts = line.split(" ");
      return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    @Override
    public void close() throws Exception {
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** The js-libp2p 3 fixture (network/src/test/js/peer.mjs) under Node 22. */
  static final class Js {
    private static final Pattern ADDRS = Pattern.compile("\"multiaddrs\":\\[\"([^\"]+)\"");
    private static final Pattern MIBS = Pattern.compile("\"mibPerSec\":([0-9.eE+-]+)");
    final Path node;
    final Path fixture;

    private Js(Path node, Path fixture) {
      this.node = node;
      this.fixture = fixture;
    }

    /** The fixture, or null if Node or the installed fixture is missing. */
    static Js find() {
      for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
        Path node = p.resolve(".tools/node22/bin/node");
        Path fixture = p.resolve("network/src/test/js");
        if (Files.isExecutable(node) && Files.isDirectory(fixture.resolve("node_modules"))) {
          return new Js(node, fixture);
        }
      }
      return null;
    }

    Process start(String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(node.toString(), "peer.mjs"));
      cmd.addAll(List.of(args));
      return new ProcessBuilder(cmd)
          .directory(fixture.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    }

    Listener listen() throws IOException {
      byte[] seed = new byte[32];
      new java.security.SecureRandom().nextBytes(seed);
      Process p = start("--key-seed", java.util.HexFormat.of().formatHex(seed), "listen");
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = ADDRS.matcher(line);
        if (line.contains("\"listening\"") && m.find()) {
          return new Listener(p, m.group(1), out);
        }
      }
      p.destroyForcibly();
      throw new IOException("the js listener did not start");
    }

    /**
     * A js node in listen mode: serves the sink (and echo) protocol, and sends on command (one warm
     * Node process for several transfers, like the Java client).
     */
    static final class Listener implements AutoCloseable {
      final Process process;
      final String address;
      final BufferedReader out;
      final PrintWriter in;

      Listener(Process process, String address, BufferedReader out) {
        this.process = process;
        this.address = address;
        this.out = out;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      }

      /** This node sends {@code bytes} to the sink at {@code to}; returns MiB/s. */
      double send(String to, long bytes) throws IOException {
        in.println(
            "{\"cmd\":\"throughput\",\"addr\":\""
                + to
                + "\",\"bytes\":"
                + bytes
                + ",\"timeoutMs\":600000}");
        String line;
        while ((line = out.readLine()) != null) {
          if (line.contains("\"event\":\"throughput\"")) {
            Matcher m = MIBS.matcher(line);
            if (!m.find() || !line.contains("\"match\":true")) {
              throw new IOException("js transfer incomplete: " + line);
            }
            return Double.parseDouble(m.group(1));
          }
          if (line.contains("\"event\":\"error\"") || line.contains("\"ok\":false")) {
            throw new IOException("js transfer failed: " + line);
          }
        }
        throw new IOException("the js node stopped");
      }

      @Override
      public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }
}
