package org.dure.net.interop;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Drives the js-libp2p interop peer {@code network/src/test/js/peer.mjs} as a child process (see
 * the README next to it for the CLI and JSON contract). JDK only, independent of JUnit.
 *
 * <p>Node 22 is taken from the environment variable {@code DURE_NODE22}, else from {@code
 * <repo>/.tools/node22/bin/node}; both it and {@code network/src/test/js/node_modules} are put in
 * place by {@code .ci/install-node22.sh}. The repository root is the first directory, walking up
 * from the working directory, that contains {@code .ci/}.
 *
 * <p>The child's stderr (diagnostics) goes to {@code network/target/js-interop/<name>.err.log}, and
 * a copy of its stdout (JSON events) to {@code <name>.out.log} next to it. Set {@code
 * DURE_JS_DEBUG=libp2p:*} to get js-libp2p's own debug logging into the stderr log.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (JsPeer js = JsPeer.listen()) {
 *   // Java dials js.multiaddr() ...
 *   JsPeer.Event id = js.awaitEvent("peer:identify", Duration.ofSeconds(10));
 *   js.call("handle", Duration.ofSeconds(5), "protocol", "/dure/new/1.0.0");
 * }
 * JsPeer.Result r = JsPeer.run(Duration.ofSeconds(30), "ping", javaMultiaddr, "3");
 * }</pre>
 */
public final class JsPeer implements AutoCloseable {

  /** Echo protocol served by {@code listen} mode and used by the echo / streams actions. */
  public static final String ECHO_PROTOCOL = "/dure/echo/1.0.0";

  /** Sink protocol served by {@code listen} mode and used by the throughput action. */
  public static final String SINK_PROTOCOL = "/dure/sink/1.0.0";

  /** Default time to wait for the {@code listening} event. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS");

  private final Process process;
  private final Writer stdin;
  private final Path errLog;
  private final Path outLog;
  private final Thread reader;
  private final List<Event> events = new ArrayList<>();
  private final List<Boolean> consumed = new ArrayList<>();
  private final AtomicInteger commandIds = new AtomicInteger();
  private boolean eof;
  private Event listening;

  private JsPeer(Process process, Path errLog, Path outLog) {
    this.process = process;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.errLog = errLog;
    this.outLog = outLog;
    this.reader = Thread.ofPlatform().daemon().name("js-peer-" + process.pid()).start(this::pump);
  }

  // ------------------------------------------------------------------ locating things

  /** The repository root: the nearest directory at or above the working directory with .ci/. */
  public static Path repoRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".ci"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the Dure repository root (a directory containing .ci/) above " + start);
  }

  /** {@code <repo>/network/src/test/js}, the directory holding peer.mjs. */
  public static Path fixtureDir() {
    return repoRoot().resolve("network/src/test/js");
  }

  /** The node 22 binary: {@code $DURE_NODE22}, else {@code <repo>/.tools/node22/bin/node}. */
  public static Path nodeBinary() {
    String env = System.getenv("DURE_NODE22");
    Path node =
        env != null && !env.isBlank() ? Path.of(env) : repoRoot().resolve(".tools/node22/bin/node");
    if (!Files.isExecutable(node)) {
      throw new IllegalStateException(
          "Node 22 not found at "
              + node
              + (env != null && !env.isBlank() ? " (from DURE_NODE22)" : "")
              + ": run .ci/install-node22.sh (or point DURE_NODE22 at a node 22 binary)");
    }
    return node;
  }

  /**
   * Throws {@link IllegalStateException} with instructions unless node 22 and the fixture's
   * node_modules are installed.
   */
  public static void checkAvailable() {
    nodeBinary();
    Path modules = fixtureDir().resolve("node_modules");
    if (!Files.isDirectory(modules.resolve("libp2p"))) {
      throw new IllegalStateException(
          modules + " is missing or incomplete: run .ci/install-node22.sh (it runs npm ci there)");
    }
  }

  /** Whether {@link #checkAvailable()} would pass. */
  public static boolean isAvailable() {
    try {
      checkAvailable();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ starting

  /**
   * Starts {@code peer.mjs [options] listen} and waits for its {@code listening} event.
   *
   * @param options global options placed before the mode, e.g. {@code "--key-seed", hex}
   */
  public static JsPeer listen(String... options) {
    List<String> args = new ArrayList<>(List.of(options));
    args.add("listen");
    JsPeer peer = start(args);
    try {
      peer.listening = peer.awaitEvent("listening", START_TIMEOUT);
      return peer;
    } catch (RuntimeException e) {
      peer.close();
      throw e;
    }
  }

  /** Starts {@code node peer.mjs ARGS...}; events are collected from then on. */
  public static JsPeer start(List<String> args) {
    return start("peer.mjs", args);
  }

  /**
   * Starts another script of the fixture ({@code dht-peer.mjs}: see the README) with {@code
   * options}, and waits for its {@code listening} event.
   */
  public static JsPeer listenScript(String script, String... options) {
    return listenScriptIn(List.of(), script, options);
  }

  /**
   * As {@link #listenScript}, with {@code launcher} before the node command, e.g. {@code ip netns
   * exec NS} to run it inside a network namespace.
   */
  public static JsPeer listenScriptIn(List<String> launcher, String script, String... options) {
    JsPeer peer = start(launcher, script, List.of(options));
    try {
      peer.listening = peer.awaitEvent("listening", START_TIMEOUT);
      return peer;
    } catch (RuntimeException e) {
      peer.close();
      throw e;
    }
  }

  /** Starts {@code node SCRIPT ARGS...} from the fixture directory. */
  public static JsPeer start(String script, List<String> args) {
    return start(List.of(), script, args);
  }

  private static JsPeer start(List<String> launcher, String script, List<String> args) {
    checkAvailable();
    Path dir = fixtureDir();
    List<String> command = new ArrayList<>(launcher);
    command.add(nodeBinary().toString());
    command.add(dir.resolve(script).toString());
    command.addAll(args);
    Path logDir = repoRoot().resolve("network/target/js-interop");
    String mode = "peer";
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith("--")) {
        i++; // every option takes a value
      } else {
        mode = args.get(i);
        break;
      }
    }
    mode = mode.replaceAll("[^A-Za-z0-9_-]", "_");
    String name =
        LocalDateTime.now().format(STAMP)
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + COUNTER.incrementAndGet()
            + "-"
            + mode;
    Path errLog = logDir.resolve(name + ".err.log");
    Path outLog = logDir.resolve(name + ".out.log");
    try {
      Files.createDirectories(logDir);
      Files.writeString(errLog, String.join(" ", command) + "\n");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.redirectError(ProcessBuilder.Redirect.appendTo(errLog.toFile()));
      String debug = System.getenv("DURE_JS_DEBUG");
      if (debug != null && !debug.isBlank()) {
        pb.environment().put("DEBUG", debug);
      }
      return new JsPeer(pb.start(), errLog, outLog);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * Runs a one-shot action ({@code ping MA [COUNT]}, {@code identify MA}, {@code echo MA BYTES},
   * {@code streams MA N SIZE}, {@code throughput MA BYTES}, {@code dial-expect-fail MA}, with any
   * options first) to completion. If it does not exit within {@code timeout}, it is killed and the
   * result has {@link Result#timedOut()} set and exit code -1.
   */
  public static Result run(Duration timeout, String... args) {
    return run(List.of(args), timeout);
  }

  /** As {@link #run(Duration, String...)}. */
  public static Result run(List<String> args, Duration timeout) {
    try (JsPeer peer = start(args)) {
      boolean exited;
      try {
        exited = peer.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
          peer.reader.join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + args, e);
      }
      if (!exited) {
        peer.kill();
      }
      int code = exited ? peer.process.exitValue() : -1;
      return new Result(code, !exited, peer.events(), peer.errLog);
    }
  }

  // ------------------------------------------------------------------ listen-mode accessors

  /** The {@code listening} event (only for peers started with {@link #listen}). */
  public Event listeningEvent() {
    if (listening == null) {
      throw new IllegalStateException("not started with JsPeer.listen()");
    }
    return listening;
  }

  /** The js node's peer id (listen mode). */
  public String peerId() {
    return listeningEvent().string("peerId");
  }

  /** The js node's full listen multiaddrs, each ending in /p2p/PEERID (listen mode). */
  public List<String> multiaddrs() {
    return listeningEvent().strings("multiaddrs");
  }

  /** The first listen multiaddr, {@code /ip4/127.0.0.1/tcp/PORT/p2p/PEERID} (listen mode). */
  public String multiaddr() {
    return multiaddrs().getFirst();
  }

  /** The file receiving the child's stderr. */
  public Path logFile() {
    return errLog;
  }

  /** The underlying process. */
  public Process process() {
    return process;
  }

  // ------------------------------------------------------------------ events

  /** All events received so far, in order. */
  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * Returns the oldest not yet returned event named {@code event}, waiting up to {@code timeout}
   * for it. Events are kept from the start, so one that arrived before this call is found too.
   *
   * @throws IllegalStateException on timeout or if the process exits first
   */
  public Event awaitEvent(String event, Duration timeout) {
    return awaitEvent(e -> event.equals(e.name()), "event \"" + event + "\"", timeout);
  }

  /** As {@link #awaitEvent(String, Duration)} for the oldest unreturned event matching filter. */
  public Event awaitEvent(Predicate<Event> filter, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (int i = 0; i < events.size(); i++) {
          if (!consumed.get(i) && filter.test(events.get(i))) {
            consumed.set(i, true);
            return events.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (eof) {
          throw new IllegalStateException(
              "js peer exited" + exitSuffix() + " before " + description + diagnostics());
        }
        if (left <= 0) {
          throw new IllegalStateException(
              "timed out after " + timeout + " waiting for " + description + diagnostics());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for " + description, e);
        }
      }
    }
  }

  /** Writes one command line (a JSON object with a "cmd" field) to the peer's stdin. */
  public void send(String jsonCommand) {
    if (jsonCommand.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("command must be a single line: " + jsonCommand);
    }
    try {
      stdin.write(jsonCommand);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to js peer" + diagnostics(), e);
    }
  }

  /**
   * Sends {@code {"cmd":cmd,"id":..., key: value...}} (listen mode) and waits for its {@code done}
   * event. Values may be String, Number, Boolean, null, List or Map. Returns every event tagged
   * with the command's id; {@link Result#ok()} tells whether the command succeeded.
   */
  public Result call(String cmd, Duration timeout, Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keyValues must be key, value pairs");
    }
    String id = "j" + commandIds.incrementAndGet();
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("cmd", cmd);
    command.put("id", id);
    for (int i = 0; i < keyValues.length; i += 2) {
      command.put((String) keyValues[i], keyValues[i + 1]);
    }
    send(Json.write(command));
    Event done =
        awaitEvent(
            e -> "done".equals(e.name()) && id.equals(e.get("id")),
            "\"done\" of command " + cmd + " (" + id + ")",
            timeout);
    List<Event> tagged = new ArrayList<>();
    synchronized (events) {
      for (int i = 0; i < events.size(); i++) {
        if (id.equals(events.get(i).get("id"))) {
          consumed.set(i, true);
          tagged.add(events.get(i));
        }
      }
    }
    return new Result(done.bool("ok") ? 0 : 1, false, tagged, errLog);
  }

  private void pump() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer copy = Files.newBufferedWriter(outLog, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        copy.write(line);
        copy.write('\n');
        copy.flush();
        if (line.isBlank()) {
          continue;
        }
        Event event;
        try {
          event = Event.parse(line);
        } catch (IllegalArgumentException e) {
          event = new Event(line, Map.of("event", "unparsed", "line", line));
        }
        synchronized (events) {
          events.add(event);
          consumed.add(false);
          events.notifyAll();
        }
      }
    } catch (IOException e) {
      // process went away; fall through to eof
    } finally {
      synchronized (events) {
        eof = true;
        events.notifyAll();
      }
    }
  }

  private String exitSuffix() {
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return " (exit code " + process.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /** Recent events and the tail of the stderr log, for failure messages. */
  public String diagnostics() {
    StringBuilder sb = new StringBuilder();
    List<Event> all = events();
    sb.append("\n--- last events (").append(all.size()).append(" total):");
    for (Event e : all.subList(Math.max(0, all.size() - 15), all.size())) {
      String raw = e.raw();
      sb.append("\n  ").append(raw.length() > 500 ? raw.substring(0, 500) + "..." : raw);
    }
    sb.append("\n--- stderr ").append(errLog).append(" (tail):");
    try {
      List<String> lines = Files.readAllLines(errLog, StandardCharsets.UTF_8);
      for (String l : lines.subList(Math.max(0, lines.size() - 30), lines.size())) {
        sb.append("\n  ").append(l);
      }
    } catch (IOException | UncheckedIOException e) {
      sb.append("\n  (unreadable: ").append(e).append(')');
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ stopping

  /**
   * Stops the peer: sends {"cmd":"stop"} and closes stdin (listen mode stops on either), then kills
   * the whole process tree if it is still alive after a short grace period.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stdin.write("{\"cmd\":\"stop\"}\n");
        stdin.flush();
      } catch (IOException ignored) {
        // already gone
      }
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        kill();
      }
      reader.join(2_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the process tree: SIGTERM, then SIGKILL after 3 s. */
  private void kill() {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ results and events

  /**
   * Outcome of a one-shot action or a listen-mode command: exit code (0 = success), whether it
   * timed out, its events and the stderr log.
   */
  public record Result(int exitCode, boolean timedOut, List<Event> events, Path logFile) {

    /** Exit code 0 and not timed out. */
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** The first event named {@code name}, if any. */
    public Optional<Event> event(String name) {
      return events.stream().filter(e -> name.equals(e.name())).findFirst();
    }

    /** The first event named {@code name}; throws with diagnostics if absent. */
    public Event require(String name) {
      return event(name)
          .orElseThrow(() -> new IllegalStateException("no \"" + name + "\" event in " + this));
    }

    /** All events named {@code name}. */
    public List<Event> all(String name) {
      return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    /** The message of the first error event, or null. */
    public String errorMessage() {
      return event("error").map(e -> e.string("message")).orElse(null);
    }

    @Override
    public String toString() {
      StringBuilder sb =
          new StringBuilder("exit ").append(timedOut ? "TIMEOUT" : String.valueOf(exitCode));
      for (Event e : events) {
        sb.append("\n  ").append(e.raw());
      }
      String stderr;
      try {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        stderr = String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException | UncheckedIOException e) {
        stderr = "(unreadable: " + e + ")";
      }
      return sb.append("\n--- stderr ").append(logFile).append(":\n  ").append(stderr).toString();
    }
  }

  /**
   * One JSON line from the peer: the raw text and its parsed top-level fields (String, Long,
   * Double, Boolean, null, List, Map).
   */
  public record Event(String raw, Map<String, Object> fields) {

    /** Parses one JSON object line. */
    public static Event parse(String line) {
      Object v = Json.parse(line);
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object: " + line);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) m;
      return new Event(line, Collections.unmodifiableMap(fields));
    }

    /** The "event" field. */
    public String name() {
      return string("event");
    }

    /** A field value, or null. */
    public Object get(String key) {
      return fields.get(key);
    }

    /** Whether the field is present (possibly null). */
    public boolean has(String key) {
      return fields.containsKey(key);
    }

    /** A string field (numbers and booleans are converted), or null. */
    public String string(String key) {
      Object v = fields.get(key);
      return v == null ? null : v.toString();
    }

    /** A numeric field as long; throws if absent or not a number. */
    public long longValue(String key) {
      return number(key).longValue();
    }

    /** A numeric field as double; throws if absent or not a number. */
    public double doubleValue(String key) {
      return number(key).doubleValue();
    }

    /** A boolean field; false if absent or null. */
    public boolean bool(String key) {
      return Boolean.TRUE.equals(fields.get(key));
    }

    /** A list field with its elements as strings; empty if absent or null. */
    public List<String> strings(String key) {
      Object v = fields.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> l)) {
        throw new IllegalStateException("field " + key + " is not a list in " + raw);
      }
      return l.stream().map(String::valueOf).toList();
    }

    /** A nested object field, or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String key) {
      return (Map<String, Object>) fields.get(key);
    }

    private Number number(String key) {
      if (!(fields.get(key) instanceof Number n)) {
        throw new IllegalStateException("field " + key + " is not a number in " + raw);
      }
      return n;
    }

    @Override
    public String toString() {
      return raw;
    }
  }

  /** Minimal JSON reader / writer, enough for peer.mjs's output and commands. */
  static final class Json {
    private final String s;
    private int pos;

    private Json(String s) {
      this.s = s;
    }

    /** Parses a JSON document into String, Long, Double, Boolean, null, List and Map values. */
    static Object parse(String text) {
      Json p = new Json(text);
      p.skipWs();
      Object v = p.value();
      p.skipWs();
      if (p.pos != p.s.length()) {
        throw p.error("trailing characters");
      }
      return v;
    }

    private Object value() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++; // {
      skipWs();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipWs();
        if (peek() != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipWs();
        expect(':');
        skipWs();
        m.put(key, value());
        skipWs();
        char c = next();
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array() {
      List<Object> l = new ArrayList<>();
      pos++; // [
      skipWs();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        skipWs();
        l.add(value());
        skipWs();
        char c = next();
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("bad \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    private Object number() {
      int start = pos;
      boolean integral = true;
      if (peek() == '-') {
        pos++;
      }
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          pos++;
        } else {
          break;
        }
      }
      String num = s.substring(start, pos);
      try {
        if (integral) {
          try {
            return Long.parseLong(num);
          } catch (NumberFormatException tooBig) {
            return Double.parseDouble(num);
          }
        }
        return Double.parseDouble(num);
      } catch (NumberFormatException e) {
        throw error("bad number " + num);
      }
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    private void skipWs() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad JSON at " + pos + ": " + what + " in: " + s);
    }

    /** Serialises String, Number, Boolean, null, List/array and Map values. */
    static String write(Object v) {
      StringBuilder sb = new StringBuilder();
      write(v, sb);
      return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
      switch (v) {
        case null -> sb.append("null");
        case String str -> quote(str, sb);
        case Boolean b -> sb.append(b);
        case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
        case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
        case Number n -> sb.append(n);
        case Map<?, ?> m -> {
          sb.append('{');
          boolean first = true;
          for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
              sb.append(',');
            }
            first = false;
            quote(String.valueOf(e.getKey()), sb);
            sb.append(':');
            write(e.getValue(), sb);
          }
          sb.append('}');
        }
        case List<?> l -> {
          sb.append('[');
          for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            write(l.get(i), sb);
          }
          sb.append(']');
        }
        case Object[] a -> write(Arrays.asList(a), sb);
        default -> quote(v.toString(), sb);
      }
    }

    /** Appends {@code str} as a JSON string literal. */
    static void quote(String str, StringBuilder sb) {
      sb.append('"');
      for (int i = 0; i < str.length(); i++) {
        char c = str.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
