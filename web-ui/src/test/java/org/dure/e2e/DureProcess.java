package org.dure.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.dure.api.NodeInfo;
import org.dure.app.CommandRegistry;
import org.dure.app.DureMain;
import org.dure.identity.PeerId;

/**
 * A Dure node in its own JVM ({@code DureMain --headless} on 127.0.0.1, with the test's class
 * path), driven through its command line: {@link #cli} runs {@code dure --data DIR ...} in this
 * JVM, which talks to the child's local API like a user's terminal would.
 */
public final class DureProcess implements AutoCloseable {
  private static final Path LOGS = Path.of("target", "e2e");

  /** What a command printed and returned. */
  record Result(int code, String out, String err) {
    Result ok() {
      if (code != 0) {
        fail("command failed with " + code + ": " + err + out);
      }
      return this;
    }
  }

  private final String name;
  private final Path dataDir;
  private final Path jar;
  private boolean ui;
  private String umask;
  private Process process;
  private NodeInfo info;

  private DureProcess(String name, Path dataDir, Path jar) {
    this.name = name;
    this.dataDir = dataDir;
    this.jar = jar;
  }

  /** Starts a node on {@code dataDir} and waits until its local API answers. */
  static DureProcess start(String name, Path dataDir) throws IOException {
    DureProcess p = new DureProcess(name, dataDir, null);
    p.launch();
    return p;
  }

  /**
   * Starts a node on {@code dataDir} as {@link #start} does, with the process's file mode creation
   * mask set to {@code umask} first (by {@code /bin/sh}; POSIX systems only).
   */
  static DureProcess startWithUmask(String name, Path dataDir, String umask) throws IOException {
    DureProcess p = new DureProcess(name, dataDir, null);
    p.umask = umask;
    p.launch();
    return p;
  }

  /** Starts the full application with its web UI (on a free port) in its own JVM. */
  public static DureProcess startUi(String name, Path dataDir) throws IOException {
    DureProcess p = new DureProcess(name, dataDir, null);
    p.ui = true;
    p.launch();
    return p;
  }

  /** The web UI's base URL (ending in a slash), for {@link #startUi}. */
  public String url() {
    return NodeInfo.read(dataDir).orElseThrow().web();
  }

  /** Starts a node from the packaged application, {@code java -jar dure.jar}. */
  static DureProcess startJar(String name, Path dataDir, Path jar) throws IOException {
    DureProcess p = new DureProcess(name, dataDir, jar);
    p.launch();
    return p;
  }

  /** Starts the node again on the same data directory (after {@link #kill9} or {@link #stop}). */
  void restart() throws IOException {
    launch();
  }

  private void launch() throws IOException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + "-" + System.nanoTime() + ".log");
    List<String> cmd = new ArrayList<>();
    if (umask != null) {
      cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx384m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Ddure.portMapping=false"); // never ask the developer's router
    if (jar != null) {
      cmd.add("-jar");
      cmd.add(jar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(DureMain.class.getName());
    }
    cmd.addAll(
        ui
            // Never the public DHT bootstrap peers: no traffic leaves this machine in tests.
            ? List.of(
                "--data",
                dataDir.toString(),
                "--port",
                "0",
                "--p2p-port",
                "0",
                "--no-lan",
                "--bootstrap",
                "none")
            : List.of(
                "--data",
                dataDir.toString(),
                "--headless",
                "--no-lan",
                "--bootstrap",
                "none",
                "--listen",
                "/ip4/127.0.0.1/tcp/0"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Process proc = process;
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
                  var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                  w.write(line);
                  w.newLine();
                  w.flush();
                  if (line.startsWith("Dure is running")) {
                    ready.complete(true);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.complete(false);
            },
            "e2e-" + name);
    pump.setDaemon(true);
    pump.start();
    boolean started;
    try {
      started = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      started = false;
    }
    if (!started) {
      process.destroyForcibly();
      fail(name + " did not start; see " + log.toAbsolutePath());
    }
    await(
        Duration.ofSeconds(20),
        () -> NodeInfo.read(dataDir).filter(i -> i.pid() == process.pid()).isPresent(),
        name + " writes node.json");
    info = NodeInfo.read(dataDir).orElseThrow();
  }

  String name() {
    return name;
  }

  /** The local API's base URL ({@code http://127.0.0.1:PORT/api/}). */
  String apiUrl() {
    return info.api();
  }

  Path dataDir() {
    return dataDir;
  }

  String peerId() {
    return info.peerId();
  }

  PeerId peerIdParsed() {
    return PeerId.parse(info.peerId());
  }

  /** The full multiaddr peers dial ({@code /ip4/127.0.0.1/tcp/N/p2p/ID}). */
  String address() {
    return NodeInfo.read(dataDir).orElseThrow().listen().get(0);
  }

  /** Runs {@code dure --data DIR ARGS...} with empty standard input. */
  Result cli(String... args) {
    return cliWithInput("", args);
  }

  /** Runs {@code dure --data DIR ARGS...} with {@code stdin} as standard input. */
  Result cliWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--data", dataDir.toString()));
    all.addAll(List.of(args));
    int code =
        DureMain.run(
            all,
            CommandRegistry.standard(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The page's body, or null if this node does not have it (yet). */
  String page(String spaceAndTitle) {
    Result r = cli("page", "get", spaceAndTitle);
    return r.code() == 0 ? r.out() : null;
  }

  void putPage(String spaceAndTitle, String body) {
    cliWithInput(body, "page", "put", spaceAndTitle).ok();
  }

  /** Peer IDs connected now. */
  List<String> peers() {
    return cli("peers").ok().out().lines().map(l -> l.split(" ")[0]).toList();
  }

  /** Ends the process with SIGKILL, as a crash or a pulled plug would. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      fail(name + " did not die");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node normally (SIGTERM) and waits for it. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      if (process != null && process.isAlive()) {
        stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls {@code condition} every 100 ms until it holds, or fails naming {@code what}. */
  static void await(Duration timeout, BooleanSupplier condition, String what) {
    await(timeout, condition, () -> what);
  }

  /** As above, describing the condition (and the state when it fails) when it times out. */
  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException | AssertionError e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting until " + what.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UncheckedIOException(new IOException("interrupted"));
      }
    }
  }
}
