package org.dure.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.dure.bench.EditingTrace.Edit;
import org.dure.store.format.NativeFuzzCampaign;

/**
 * The native fuzz campaign ({@code bench/run fuzz [--count N] [--seed S]}): mutants of real change
 * chunks and sync messages (and a quarter as many saved documents) through the validator, and the
 * ones it accepts through native Automerge in child JVMs (see {@link NativeFuzzCampaign}). The seed
 * is fresh each run unless given, and printed; a finding's input and receiving document are saved
 * under {@code bench/target/fuzz-findings/seed-S/}. Documents from the editing trace's first edits
 * are mutated besides the generated samples.
 */
public final class FuzzBench {
  /** Change and sync-message mutants of a full run. */
  static final long COUNT = 1_000_000;

  static final long QUICK_COUNT = 20_000;

  /** Trace edits in the documents the trace seeds. */
  static final int TRACE_EDITS = 1_500;

  private FuzzBench() {}

  /** Runs the campaign; whether it found nothing. */
  static boolean run(PrintStream out, boolean quick, Long count, Long seed) throws Exception {
    long n = count != null ? count : quick ? QUICK_COUNT : COUNT;
    long s = seed != null ? seed : new SecureRandom().nextLong();
    System.err.printf("fuzz: seed %d (run again with --seed %d)%n", s, s);
    List<NativeFuzzCampaign.Seed> extra = traceSeeds();
    Path findings = Path.of("bench", "target", "fuzz-findings").toAbsolutePath();
    Path work = Files.createTempDirectory("dure-fuzz");
    NativeFuzzCampaign.Result r;
    try {
      r = NativeFuzzCampaign.run(s, n, extra, findings, work, System.err);
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
    out.println("## Native fuzz campaign (validator + native Automerge)");
    out.println();
    out.printf(
        "Seed %d; %d real inputs mutated (generated samples, and %d from the editing trace)."
            + " Validated inputs went to native Automerge in child JVMs.%n",
        r.seed(), r.samples(), extra.size());
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

  /**
   * Real inputs from the editing trace: a document of its first {@link #TRACE_EDITS} edits with the
   * changes of the next ones, and the sync messages that bring a lagging copy and an empty one up
   * to date. Empty if the trace is not there.
   */
  static List<NativeFuzzCampaign.Seed> traceSeeds() throws java.io.IOException {
    Path trace = EditingTrace.dataDir().resolve("editing-trace.json.gz");
    if (!Files.isReadable(trace)) {
      System.err.println("fuzz: no editing trace at " + trace + "; generated samples only");
      return List.of();
    }
    List<Edit> edits = EditingTrace.load(trace);
    List<NativeFuzzCampaign.Seed> out = new ArrayList<>();
    Document a = new Document();
    ObjectId text;
    try (Transaction tx = a.startTransaction()) {
      text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
      tx.commit();
    }
    apply(a, text, edits.subList(0, TRACE_EDITS));
    byte[] base = a.save();
    ChangeHash[] heads = a.getHeads();
    Document lagging = a.fork();
    apply(a, text, edits.subList(TRACE_EDITS, TRACE_EDITS + 200));
    out.add(new NativeFuzzCampaign.Seed(1, base, a.encodeChangesSince(heads)));
    for (Document peer : List.of(lagging, new Document())) {
      SyncState sa = new SyncState();
      SyncState sp = new SyncState();
      for (int round = 0; round < 20; round++) {
        Optional<byte[]> toPeer = a.generateSyncMessage(sa);
        if (toPeer.isPresent()) {
          out.add(new NativeFuzzCampaign.Seed(2, peer.save(), toPeer.get()));
          peer.receiveSyncMessage(sp, toPeer.get());
        }
        Optional<byte[]> back = peer.generateSyncMessage(sp);
        if (back.isPresent()) {
          out.add(new NativeFuzzCampaign.Seed(2, a.save(), back.get()));
          a.receiveSyncMessage(sa, back.get());
        }
        if (toPeer.isEmpty() && back.isEmpty()) {
          break;
        }
      }
      peer.free();
    }
    a.free();
    return out;
  }

  /** Applies trace edits, ten to a commit, clamped to the text (the trace counts UTF-16 units). */
  private static void apply(Document doc, ObjectId text, List<Edit> edits) {
    for (int i = 0; i < edits.size(); i += 10) {
      try (Transaction tx = doc.startTransaction()) {
        for (Edit e : edits.subList(i, Math.min(edits.size(), i + 10))) {
          long len = tx.length(text);
          long pos = Math.min(e.pos(), len);
          long del = Math.min(e.deleteCount(), len - pos);
          tx.spliceText(text, pos, del, e.text());
        }
        tx.commit();
      }
    }
  }
}
