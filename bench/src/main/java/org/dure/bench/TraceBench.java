package org.dure.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.dure.bench.EditingTrace.Edit;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;

/**
 * Replays the editing trace (259,778 edits of a real paper) through the store, one persisted commit
 * per edit, and through raw Automerge-Java (one commit per edit, nothing persisted), each in its
 * own JVM, and compares.
 */
public final class TraceBench {
  /** Edits replayed by {@code --quick}. */
  static final int QUICK_EDITS = 20_000;

  private TraceBench() {}

  static void run(PrintStream out, boolean quick) throws Exception {
    Path data = EditingTrace.dataDir();
    Path trace = data.resolve("editing-trace.json.gz");
    if (!Files.isReadable(trace)) {
      throw new IllegalStateException(
          "The editing trace is not at " + trace.toAbsolutePath() + " (set DURE_BENCH_DATA)");
    }
    List<String> args = List.of(trace.toString(), String.valueOf(quick ? QUICK_EDITS : -1));
    List<String> jvm = List.of("-Xmx1g");
    // Rounds alternate the variants, so a slow minute on a shared machine hits both; the figures
    // are medians and each round's ratio is of two runs next to each other.
    int rounds = quick ? 1 : ROUNDS;
    List<Map<String, String>> raws = new java.util.ArrayList<>();
    List<Map<String, String>> stores = new java.util.ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      System.err.printf("round %d of %d: raw Automerge-Java...%n", round, rounds);
      Map<String, String> raw = ChildJvm.run(Raw.class, jvm, args);
      System.err.printf("round %d of %d: store (WikiStore.splice, SQLite)...%n", round, rounds);
      Map<String, String> store = ChildJvm.run(Store.class, jvm, args);
      if (!raw.get("textHash").equals(store.get("textHash"))) {
        throw new IllegalStateException("The store and raw Automerge ended with different texts");
      }
      raws.add(raw);
      stores.add(store);
    }
    Map<String, String> raw = raws.getLast();
    Map<String, String> store = stores.getLast();
    long edits = Long.parseLong(raw.get("edits"));
    double[] rawMs = raws.stream().mapToDouble(r -> Double.parseDouble(r.get("millis"))).toArray();
    double[] storeMs =
        stores.stream().mapToDouble(r -> Double.parseDouble(r.get("millis"))).toArray();
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratios[i] = storeMs[i] / rawMs[i];
    }
    out.println("## Editing trace replay");
    out.println();
    out.printf(
        "%,d edits, one commit per edit; final text %s (%,d characters). %s%n",
        edits,
        quick
            ? "checked between the variants (quick run: a prefix of the trace)"
            : "equal to editing-trace-final.txt",
        Long.parseLong(raw.get("finalLength")),
        rounds == 1
            ? "One round."
            : rounds + " rounds, raw and store alternating; times are medians.");
    out.println();
    out.println("| variant | time | per edit | edits/s | rounds | stored size | peak RSS |");
    out.println("|---|---:|---:|---:|---|---:|---:|");
    row(
        out,
        "raw Automerge-Java (in memory)",
        rawMs,
        raw,
        edits,
        "save(): " + Stats.mib(l(raw, "saveBytes")));
    row(
        out,
        "WikiStore.splice (SQLite, persisted)",
        storeMs,
        store,
        edits,
        "dure.db: " + Stats.mib(l(store, "dbBytes")));
    out.println();
    out.printf(
        "Store / raw time: **%.2f×** (median; rounds: %s; target ≤ 2×).%n",
        median(ratios), joined(ratios, "%.2f×"));
    double[] reopen =
        stores.stream()
            .filter(r -> r.containsKey("reopenMillis"))
            .mapToDouble(r -> Double.parseDouble(r.get("reopenMillis")))
            .toArray();
    if (reopen.length > 0) {
      out.printf(
          "Reopening the store and reading the page back: %.0f ms (median).%n", median(reopen));
    }
  }

  /** Rounds of the full trace: each runs raw Automerge, then the store. */
  static final int ROUNDS = 3;

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String joined(double[] values, String format) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(b.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, format, v));
    }
    return b.toString();
  }

  private static long l(Map<String, String> r, String key) {
    return Long.parseLong(r.getOrDefault(key, "-1"));
  }

  private static void row(
      PrintStream out,
      String name,
      double[] millis,
      Map<String, String> r,
      long edits,
      String size) {
    double ms = median(millis);
    double[] secs = java.util.Arrays.stream(millis).map(m -> m / 1000).toArray();
    out.printf(
        "| %s | %.1f s | %.1f µs | %,.0f | %s | %s | %s |%n",
        name,
        ms / 1000,
        ms * 1000 / edits,
        edits / (ms / 1000),
        joined(secs, "%.1f s"),
        size,
        r.containsKey("peakRss") ? Stats.mib(l(r, "peakRss")) : "n/a");
  }

  static List<Edit> edits(String[] args) throws IOException {
    List<Edit> all = EditingTrace.load(Path.of(args[0]));
    int limit = Integer.parseInt(args[1]);
    return limit < 0 ? all : all.subList(0, Math.min(limit, all.size()));
  }

  /** Checks the final text against the expected one when the whole trace was replayed. */
  static void checkAndReport(String[] args, List<Edit> edits, String text) throws IOException {
    String expected =
        Integer.parseInt(args[1]) < 0
            ? EditingTrace.expectedFinalText(
                Path.of(args[0]).resolveSibling("editing-trace-final.txt.gz"))
            : EditingTrace.apply(edits);
    if (!expected.equals(text)) {
      System.err.println("The final text differs from the expected one");
      System.exit(3);
    }
    ChildJvm.report("edits", edits.size());
    ChildJvm.report("finalLength", text.length());
    ChildJvm.report("textHash", Integer.toHexString(text.hashCode()));
  }

  /** The raw variant: one Automerge document, a transaction and commit per edit. */
  public static final class Raw {
    public static void main(String[] args) throws Exception {
      List<Edit> edits = edits(args);
      Document doc = new Document();
      ObjectId text;
      try (Transaction tx = doc.startTransaction()) {
        text = tx.set(ObjectId.ROOT, "body", ObjectType.TEXT);
        tx.commit();
      }
      long start = System.nanoTime();
      for (Edit e : edits) {
        try (Transaction tx = doc.startTransaction()) {
          tx.spliceText(text, e.pos(), e.deleteCount(), e.text());
          tx.commit();
        }
      }
      double millis = (System.nanoTime() - start) / 1e6;
      String result = doc.text(text).orElse("");
      ChildJvm.report("millis", millis);
      ChildJvm.report("saveBytes", doc.save().length);
      ChildJvm.report("heads", doc.getHeads().length);
      checkAndReport(args, edits, result);
      ChildJvm.reportPeakRss();
      doc.free();
    }
  }

  /**
   * The store variant: {@link WikiStore#splice} per edit, each a persisted version. With {@code
   * -Ddure.bench.awaitDurable=true} (run by hand, not by {@code bench/run}) it also waits for each
   * edit to be on the disk ({@link WikiStore#awaitDurable}), as a save acknowledged to a user does:
   * what forcing every keystroke would cost.
   */
  public static final class Store {
    public static void main(String[] args) throws Exception {
      boolean durable = Boolean.getBoolean("dure.bench.awaitDurable");
      List<Edit> edits = edits(args);
      Path dir = Files.createTempDirectory("dure-bench-trace");
      try {
        PageSummary page;
        double millis;
        try (WikiStore store = WikiStore.open(dir, StoreOptions.defaults())) {
          page = store.createPage(store.defaultSpace().id(), "Trace", "", Optional.of("benchmark"));
          long start = System.nanoTime();
          for (Edit e : edits) {
            store.splice(page.id(), e.pos(), e.deleteCount(), e.text());
            if (durable) {
              store.awaitDurable();
            }
          }
          millis = (System.nanoTime() - start) / 1e6;
        }
        ChildJvm.report("millis", millis);
        ChildJvm.report("dbBytes", dirSize(dir));
        long reopen = System.nanoTime();
        String text;
        try (WikiStore store = WikiStore.open(dir, StoreOptions.defaults())) {
          text = store.page(page.id()).body();
        }
        ChildJvm.report("reopenMillis", (System.nanoTime() - reopen) / 1e6);
        checkAndReport(args, edits, text);
        ChildJvm.reportPeakRss();
      } finally {
        deleteTree(dir);
      }
    }
  }

  static long dirSize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith("dure.db"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
