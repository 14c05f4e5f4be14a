package org.dure.store.format;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * A fuzz campaign of the validator and native Automerge ({@code bench/run fuzz}): mutants of real
 * change chunks, sync messages and saved documents are validated as the store validates what a peer
 * sends (changes and sync messages against a context of the receiving document); the ones that pass
 * are handed to native Automerge in child JVMs ({@link NativeFuzzRunner}), where an abort is caught
 * and the input saved, not fatal. Any native crash or hang on a validated input, and any validator
 * failure other than {@link InvalidAutomergeDataException}, is a finding.
 */
public final class NativeFuzzCampaign {
  /** Mutants validated before the ones that passed go to a child JVM. */
  static final int BATCH = 25_000;

  /** Findings beyond which the campaign stops (something is badly wrong). */
  static final int MAX_FINDINGS = 50;

  /**
   * A real input to mutate besides the generated samples: {@code kind} 1 change chunks or 2 a sync
   * message, and the saved document that receives it (empty: a new document).
   */
  public record Seed(int kind, byte[] base, byte[] data) {}

  /**
   * What a campaign did.
   *
   * @param mutants inputs made, per kind (0 documents, 1 changes, 2 sync messages)
   * @param validated of those, how many the validator accepted, per kind
   * @param findings one line per finding (case, kind, what happened, where it was saved)
   */
  public record Result(
      long seed,
      long[] mutants,
      long[] validated,
      long nativeRuns,
      long nativeCrashes,
      long nativeHangs,
      long validatorErrors,
      List<String> findings,
      Duration validationTime,
      Duration nativeTime,
      int samples) {

    public long total() {
      return mutants[0] + mutants[1] + mutants[2];
    }
  }

  private NativeFuzzCampaign() {}

  /**
   * Runs a campaign from {@code seed}: {@code count} mutants of changes and sync messages (half
   * each) and a quarter as many of documents. Findings are saved under {@code findings}; {@code
   * work} holds the children's files.
   */
  public static Result run(
      long seed, long count, List<Seed> extra, Path findings, Path work, PrintStream progress)
      throws IOException, InterruptedException {
    Samples s = Samples.generate(seed, 12);
    List<List<Samples.Pair>> pools = new ArrayList<>();
    pools.add(s.documents.stream().map(d -> new Samples.Pair(new byte[0], d)).toList());
    List<Samples.Pair> changes = new ArrayList<>(s.changesOnBase);
    List<Samples.Pair> syncs = new ArrayList<>(s.syncOnBase);
    for (Seed e : extra) {
      (e.kind() == 1 ? changes : syncs).add(new Samples.Pair(e.base(), e.data()));
    }
    pools.add(changes);
    pools.add(syncs);
    Map<byte[], byte[]> histories = new IdentityHashMap<>();
    for (List<Samples.Pair> pool : pools.subList(1, 3)) {
      for (Samples.Pair p : pool) {
        if (p.base().length > 0 && !histories.containsKey(p.base())) {
          Document doc = Document.load(p.base()); // real data made above, not a mutant
          histories.put(p.base(), doc.encodeChangesSince(new ChangeHash[0]));
          doc.free();
        }
      }
    }
    int samples = pools.get(0).size() + changes.size() + syncs.size();
    // A context learns only from input that validates, so one serves the receiving document's
    // mutants until one passes (as the store keeps one per document).
    Map<byte[], DocumentContext> contexts = new IdentityHashMap<>();
    Mutator mutator = new Mutator(seed + 1);
    Random pick = new Random(seed + 2);
    long[] mutants = new long[3];
    long[] validated = new long[3];
    long nativeRuns = 0;
    long crashes = 0;
    long hangs = 0;
    long validatorErrors = 0;
    List<String> found = new ArrayList<>();
    long validationNanos = 0;
    long nativeNanos = 0;
    long started = System.nanoTime();
    long index = 0;
    Files.createDirectories(work);
    while (mutants[1] + mutants[2] < count && found.size() < MAX_FINDINGS) {
      List<NativeFuzzRunner.Case> cases = new ArrayList<>();
      List<Long> caseIndex = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int b = 0; b < BATCH && mutants[1] + mutants[2] < count; b++, index++) {
        int slot = (int) (index % 5);
        int kind = slot == 4 ? 0 : slot < 2 ? 1 : 2;
        List<Samples.Pair> pool = pools.get(kind);
        Samples.Pair pair = pool.get(pick.nextInt(pool.size()));
        Mutator.Mutant m = mutator.mutate(Mutator.Kind.values()[kind], pair.data());
        mutants[kind]++;
        try {
          validate(kind, m.bytes(), pair.base(), histories, contexts);
          validated[kind]++;
          cases.add(new NativeFuzzRunner.Case(kind, pair.base(), m.bytes(), m.how()));
          caseIndex.add(index);
        } catch (InvalidAutomergeDataException rejected) {
          // what the validator is for
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
          validatorErrors++;
          found.add(
              save(findings, seed, index, kind, pair.base(), m.bytes(), "validator threw " + e));
        }
      }
      long t1 = System.nanoTime();
      validationNanos += t1 - t0;
      NativeFuzzRunner.Outcome out = NativeFuzzRunner.run(cases, work, MAX_FINDINGS);
      nativeNanos += System.nanoTime() - t1;
      nativeRuns += cases.size();
      for (int c : out.crashed()) {
        crashes++;
        NativeFuzzRunner.Case k = cases.get(c);
        found.add(
            save(
                findings,
                seed,
                caseIndex.get(c),
                k.kind(),
                k.base(),
                k.data(),
                "native code crashed (" + k.how() + ")\n" + panicOf(out.panics(), c)));
      }
      for (int c : out.stalled()) {
        hangs++;
        NativeFuzzRunner.Case k = cases.get(c);
        found.add(
            save(
                findings,
                seed,
                caseIndex.get(c),
                k.kind(),
                k.base(),
                k.data(),
                "native code made no progress for " + NativeFuzzRunner.STALL_SECONDS + " s"));
      }
      double secs = (System.nanoTime() - started) / 1e9;
      progress.printf(
          "fuzz: %,d of %,d change and sync mutants (+%,d documents), %,d validated, %d findings,"
              + " %.0f s (%.0f mutants/s)%n",
          mutants[1] + mutants[2],
          count,
          mutants[0],
          validated[0] + validated[1] + validated[2],
          found.size(),
          secs,
          (mutants[0] + mutants[1] + mutants[2]) / secs);
    }
    return new Result(
        seed,
        mutants,
        validated,
        nativeRuns,
        crashes,
        hangs,
        validatorErrors,
        found,
        Duration.ofNanos(validationNanos),
        Duration.ofNanos(nativeNanos),
        samples);
  }

  /**
   * Runs a campaign ({@link #run}) and writes its figures as Markdown to {@code out}; whether it
   * found nothing. {@code extra} seeds are {kind}, receiving document, input (see {@link Seed}).
   * Plain types only: {@code bench/run fuzz} calls this with crdt-store's test classes on its class
   * path at run time, not at compile time.
   */
  public static boolean report(
      long seed,
      long count,
      List<byte[][]> extra,
      Path findings,
      Path work,
      PrintStream out,
      PrintStream progress)
      throws IOException, InterruptedException {
    List<Seed> seeds = extra.stream().map(e -> new Seed(e[0][0], e[1], e[2])).toList();
    Result r = run(seed, count, seeds, findings, work, progress);
    out.println("## Native fuzz campaign (validator + native Automerge)");
    out.println();
    out.printf(
        "Seed %d; %d real inputs mutated (generated samples, and %d from the editing trace)."
            + " Validated inputs went to native Automerge in child JVMs.%n",
        r.seed(), r.samples(), seeds.size());
    out.println();
    out.println("| input | mutants | validated (passed to native code) |");
    out.println("|---|---:|---:|");
    String[] names = {"saved documents", "change chunks", "sync messages"};
    for (int k : new int[] {1, 2, 0}) {
      out.printf("| %s | %,d | %,d |%n", names[k], r.mutants()[k], r.validated()[k]);
    }
    out.printf(
        "| **all** | **%,d** | **%,d** |%n",
        r.total(), r.validated()[0] + r.validated()[1] + r.validated()[2]);
    out.println();
    out.printf(
        "Native runs %,d: crashes %d, hangs %d; validator failures other than a rejection %d."
            + " Time: validation %.0f s, native %.0f s.%n",
        r.nativeRuns(),
        r.nativeCrashes(),
        r.nativeHangs(),
        r.validatorErrors(),
        r.validationTime().toMillis() / 1000.0,
        r.nativeTime().toMillis() / 1000.0);
    if (!r.findings().isEmpty()) {
      out.println();
      out.println("**Findings** (inputs saved for triage):");
      out.println();
      r.findings().forEach(f -> out.println("- " + f));
    }
    return r.findings().isEmpty();
  }

  /** Validates as the store does: changes and sync messages against the receiver's history. */
  private static void validate(
      int kind,
      byte[] bytes,
      byte[] base,
      Map<byte[], byte[]> histories,
      Map<byte[], DocumentContext> contexts)
      throws InvalidAutomergeDataException {
    if (kind == 0) {
      AutomergeFormat.validateDocument(bytes);
      return;
    }
    DocumentContext ctx;
    if (base.length == 0) {
      ctx = DocumentContext.ofNewDocument();
    } else {
      ctx = contexts.get(base);
      if (ctx == null) {
        ctx = DocumentContext.ofHistory(histories.get(base), Limits.defaults());
        contexts.put(base, ctx);
      }
    }
    if (kind == 1) {
      AutomergeFormat.validateChanges(bytes, Limits.defaults(), ctx);
    } else {
      AutomergeFormat.validateSyncMessage(bytes, Limits.defaults(), ctx);
    }
    contexts.remove(base); // it learned this input: the next one needs a fresh context
  }

  private static String panicOf(List<String> panics, int c) {
    String prefix = "case " + c + ":";
    return panics.stream().filter(p -> p.startsWith(prefix)).findFirst().orElse("");
  }

  /** Saves a finding's input and receiving document; returns a line describing it. */
  private static String save(
      Path findings, long seed, long index, int kind, byte[] base, byte[] data, String what)
      throws IOException {
    Path dir = Files.createDirectories(findings.resolve("seed-" + seed));
    String name = "case-" + index + "-" + new String[] {"document", "changes", "sync"}[kind];
    Files.write(dir.resolve(name + ".bin"), data);
    Files.write(dir.resolve(name + ".base"), base);
    Files.writeString(
        dir.resolve(name + ".txt"),
        what + "\nsha256 of input: " + HexFormat.of().formatHex(sha256(data)) + "\n",
        StandardCharsets.UTF_8);
    return "case "
        + index
        + " ("
        + name
        + "): "
        + what.lines().findFirst().orElse(what)
        + " -> "
        + dir.resolve(name + ".bin");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
