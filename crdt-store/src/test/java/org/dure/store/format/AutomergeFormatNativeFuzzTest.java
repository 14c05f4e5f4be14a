package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how much of what native Automerge chokes on the validator stops: mutants that pass
 * validation are loaded, applied or received by native code in a child JVM, which must survive.
 */
class AutomergeFormatNativeFuzzTest {
  static final int MUTANTS = Integer.getInteger("dure.fuzz.mutants", 15_000);
  static final long SEED = Long.getLong("dure.fuzz.seed", 77L);

  /** Measurement mode: hand every mutant to native code, validated or not. */
  static final boolean ALL = Boolean.getBoolean("dure.fuzz.all");

  /** Validate changes and sync messages against a context of the receiving document. */
  static final boolean CONTEXT = !Boolean.getBoolean("dure.fuzz.noContext");

  static final int MAX_CRASHES = Integer.getInteger("dure.fuzz.maxCrashes", 50);

  @TempDir Path dir;

  record Case(int kind, byte[] base, byte[] data, String how) {}

  @Test
  void nativeCodeSurvivesEverythingTheValidatorAccepts() throws Exception {
    Samples s = Samples.generate(SEED, 9);
    Mutator mutator = new Mutator(SEED + 1);
    List<Case> accepted = new ArrayList<>();
    for (int i = 0; i < MUTANTS; i++) {
      int kind = i % 3;
      Samples.Pair pair;
      if (kind == 0) {
        pair = new Samples.Pair(new byte[0], s.documents.get((i / 3) % s.documents.size()));
      } else if (kind == 1) {
        pair = s.changesOnBase.get((i / 3) % s.changesOnBase.size());
      } else {
        pair = s.syncOnBase.get((i / 3) % s.syncOnBase.size());
      }
      Mutator.Mutant m = mutator.mutate(Mutator.Kind.values()[kind], pair.data());
      try {
        if (kind == 0 || !CONTEXT) {
          AutomergeFormatMutationTest.validate(m);
        } else {
          DocumentContext ctx = context(pair.base());
          if (kind == 1) {
            AutomergeFormat.validateChanges(m.bytes(), Limits.defaults(), ctx);
          } else {
            AutomergeFormat.validateSyncMessage(m.bytes(), Limits.defaults(), ctx);
          }
        }
        accepted.add(new Case(kind, pair.base(), m.bytes(), m.how()));
      } catch (InvalidAutomergeDataException rejected) {
        if (ALL) {
          accepted.add(new Case(kind, pair.base(), m.bytes(), "REJECTED " + m.how()));
        }
      }
    }
    NativeFuzzRunner.Outcome outcome =
        NativeFuzzRunner.run(
            accepted.stream()
                .map(c -> new NativeFuzzRunner.Case(c.kind(), c.base(), c.data(), c.how()))
                .toList(),
            dir,
            MAX_CRASHES);
    List<Integer> crashes = new ArrayList<>(outcome.crashed());
    crashes.addAll(outcome.stalled());
    System.out.printf(
        "native fuzz: %d mutants, %d passed validation, %d of those crashed native code%n",
        MUTANTS, accepted.size(), crashes.size());
    long rejectedCrashes =
        crashes.stream().filter(c -> accepted.get(c).how().startsWith("REJECTED")).count();
    System.out.printf(
        "native fuzz: %d crashes on inputs the validator rejects, %d on inputs it accepts%n",
        rejectedCrashes, crashes.size() - rejectedCrashes);
    for (int c : crashes) {
      if (accepted.get(c).how().startsWith("REJECTED")) {
        continue;
      }
      Case k = accepted.get(c);
      if (Boolean.getBoolean("dure.fuzz.dump")) {
        Files.write(Path.of("/tmp/crash-" + c + ".bin"), k.data());
        Files.write(Path.of("/tmp/crash-" + c + ".base"), k.base());
      }
      System.out.println("crash " + c + " kind " + k.kind() + " " + k.how());
    }
    outcome.panics().forEach(System.out::println);
    assertTrue(accepted.size() > 0);
    assertEquals(0, crashes.size() - rejectedCrashes, "accepted inputs that crashed native code");
  }

  /** A context with the whole history of the receiving document, as the store should keep. */
  private static DocumentContext context(byte[] base) throws InvalidAutomergeDataException {
    if (base.length == 0) {
      return DocumentContext.ofNewDocument();
    }
    if (Boolean.getBoolean("dure.fuzz.savedContext")) {
      return DocumentContext.of(base);
    }
    Document doc = Document.load(base); // real data made by the samples, not a mutant
    try {
      return DocumentContext.ofHistory(doc.encodeChangesSince(new ChangeHash[0]));
    } finally {
      doc.free();
    }
  }
}
