package org.dure.bench;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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

/**
 * The native fuzz campaign ({@code bench/run fuzz [--count N] [--seed S]}): mutants of real change
 * chunks and sync messages (and a quarter as many saved documents) through the validator, and the
 * ones it accepts through native Automerge in child JVMs (crdt-store's test class {@code
 * NativeFuzzCampaign}). The seed is fresh each run unless given, and printed; a finding's input and
 * receiving document are saved under {@code bench/target/fuzz-findings/seed-S/}. Documents from the
 * editing trace's first edits are mutated besides the generated samples.
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
    List<byte[][]> extra = traceSeeds();
    Path findings = Path.of("bench", "target", "fuzz-findings").toAbsolutePath();
    Path work = Files.createTempDirectory("dure-fuzz");
    try {
      // In crdt-store's test jar (its fuzzing machinery), on bench/run's class path at run time
      // only: bench compiles without crdt-store's test classes (e.g. mvn compile).
      Method report =
          Class.forName("org.dure.store.format.NativeFuzzCampaign")
              .getMethod(
                  "report",
                  long.class,
                  long.class,
                  List.class,
                  Path.class,
                  Path.class,
                  PrintStream.class,
                  PrintStream.class);
      return (Boolean) report.invoke(null, s, n, extra, findings, work, out, System.err);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  /**
   * Real inputs from the editing trace: a document of its first {@link #TRACE_EDITS} edits with the
   * changes of the next ones, and the sync messages that bring a lagging copy and an empty one up
   * to date. Empty if the trace is not there.
   */
  static List<byte[][]> traceSeeds() throws java.io.IOException {
    Path trace = EditingTrace.dataDir().resolve("editing-trace.json.gz");
    if (!Files.isReadable(trace)) {
      System.err.println("fuzz: no editing trace at " + trace + "; generated samples only");
      return List.of();
    }
    List<Edit> edits = EditingTrace.load(trace);
    List<byte[][]> out = new ArrayList<>();
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
    out.add(seed(1, base, a.encodeChangesSince(heads)));
    for (Document peer : List.of(lagging, new Document())) {
      SyncState sa = new SyncState();
      SyncState sp = new SyncState();
      for (int round = 0; round < 20; round++) {
        Optional<byte[]> toPeer = a.generateSyncMessage(sa);
        if (toPeer.isPresent()) {
          out.add(seed(2, peer.save(), toPeer.get()));
          peer.receiveSyncMessage(sp, toPeer.get());
        }
        Optional<byte[]> back = peer.generateSyncMessage(sp);
        if (back.isPresent()) {
          out.add(seed(2, a.save(), back.get()));
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

  /** A seed as the campaign takes it: {kind}, the receiving document, the input. */
  private static byte[][] seed(int kind, byte[] base, byte[] data) {
    return new byte[][] {{(byte) kind}, base, data};
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
