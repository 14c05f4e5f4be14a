package org.dure.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dure.bench.net.NetBench;

/**
 * Entry point of {@code bench/run}: runs the chosen suites and prints their results as Markdown
 * (stdout, and {@code bench/target/bench-results.md}).
 *
 * <pre>
 * bench/run [trace|pages|net|sync|coldsync|mesh|lookup|startup|fuzz ...] [--quick] [--count N]
 *           [--seed S] [--pages N] [--sources K] [--nodes N]
 * </pre>
 *
 * <p>{@code --quick} runs each suite on a small input (for a smoke check of the harness, not for
 * figures). {@code fuzz} is not among the suites run when none is named; {@code --count} and {@code
 * --seed} are its (see {@link FuzzBench}); {@code --pages} and {@code --sources} are {@code
 * coldsync}'s (see {@link ColdSyncBench}), {@code --nodes} is {@code mesh}'s (ten by default, see
 * {@link MeshBench}). The exit status is 1 if the fuzz campaign found anything.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    List<String> suites = new ArrayList<>();
    boolean quick = false;
    Long count = null;
    Long seed = null;
    Integer pages = null;
    int sources = 1;
    int nodes = MeshBench.NODES;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "trace", "pages", "net", "sync", "coldsync", "mesh", "lookup", "startup", "fuzz" ->
            suites.add(arg);
        case "--quick" -> quick = true;
        case "--count", "--seed", "--pages", "--sources", "--nodes" -> {
          if (i + 1 == args.length || !args[i + 1].matches("[0-9]{1,9}")) {
            System.err.println("bench: " + arg + " needs a number");
            System.exit(2);
          }
          long v = Long.parseLong(args[++i]);
          switch (arg) {
            case "--count" -> count = v;
            case "--seed" -> seed = v;
            case "--pages" -> pages = (int) v;
            case "--nodes" -> nodes = (int) Math.max(2, v);
            default -> sources = (int) Math.max(1, v);
          }
        }
        case "-h", "--help" -> {
          System.out.println(
              "usage: bench/run [trace|pages|net|sync|coldsync|mesh|lookup|startup|fuzz ...] [--quick]"
                  + " [--count N] [--seed S] [--pages N] [--sources K] [--nodes N]");
          return;
        }
        default -> {
          System.err.println("bench: unknown argument " + arg + " (try --help)");
          System.exit(2);
        }
      }
    }
    if (suites.isEmpty()) {
      suites = List.of("trace", "pages", "net", "sync", "coldsync", "mesh", "lookup", "startup");
    }
    boolean clean = true;
    var buffer = new java.io.ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      out.println("# Dure benchmark results");
      out.println();
      out.println(environment());
      for (String suite : suites) {
        out.println();
        System.err.println("== " + suite);
        switch (suite) {
          case "trace" -> TraceBench.run(out, quick);
          case "pages" -> PagesBench.run(out, quick);
          case "net" -> NetBench.run(out, quick);
          case "sync" -> SyncBench.run(out, quick);
          case "coldsync" -> ColdSyncBench.run(out, quick, pages, sources);
          case "mesh" -> MeshBench.run(out, quick, nodes);
          case "fuzz" -> clean = FuzzBench.run(out, quick, count, seed);
          case "lookup" -> LookupBench.run(out, quick);
          case "startup" -> StartupBench.run(out, quick);
          default -> throw new AssertionError(suite);
        }
      }
    }
    String text = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    Path file = Path.of("bench", "target", "bench-results.md");
    if (Files.isDirectory(file.getParent())) {
      Files.writeString(file, text);
      System.err.println("(also written to " + file + ")");
    }
    if (!clean) {
      System.err.println("bench: the fuzz campaign has findings (see above)");
      System.exit(1);
    }
  }

  private static String environment() throws IOException {
    String cpu = "?";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      cpu =
          Files.readAllLines(cpuinfo).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("?");
    }
    return String.format(
        "%s; %d cores (%s); Java %s (%s); %s %s",
        Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }
}
