package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutomergeFormatMutationTest {
  static final int MUTANTS = 15_000;

  /** Validates {@code m} with the method for its kind; true if it was accepted. */
  static boolean validate(Mutator.Mutant m) throws InvalidAutomergeDataException {
    switch (m.kind()) {
      case DOCUMENT -> AutomergeFormat.validateDocument(m.bytes());
      case CHANGES -> AutomergeFormat.validateChanges(m.bytes());
      default -> AutomergeFormat.validateSyncMessage(m.bytes());
    }
    return true;
  }

  static Mutator.Mutant mutant(Mutator mutator, Samples s, int i) {
    int kind = i % 3;
    List<byte[]> pool = kind == 0 ? s.documents : kind == 1 ? s.changes : s.syncMessages;
    byte[] valid = pool.get((i / 3) % pool.size());
    return mutator.mutate(Mutator.Kind.values()[kind], valid);
  }

  @Test
  void mutantsAreEitherValidOrRejectedWithACheckedException() {
    Samples s = Samples.generate(4242L, 9);
    Mutator mutator = new Mutator(1234L);
    int[] counts = new int[2];
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < MUTANTS; i++) {
            Mutator.Mutant m = mutant(mutator, s, i);
            try {
              if (i % 2 == 1 && m.kind() == Mutator.Kind.CHANGES) {
                AutomergeFormat.validateChanges(
                    m.bytes(), Limits.defaults(), DocumentContext.ofNewDocument());
              } else if (i % 2 == 1 && m.kind() == Mutator.Kind.SYNC) {
                AutomergeFormat.validateSyncMessage(
                    m.bytes(), Limits.defaults(), DocumentContext.ofNewDocument());
              } else {
                validate(m);
              }
              counts[0]++;
            } catch (InvalidAutomergeDataException e) {
              counts[1]++;
            } catch (Throwable t) {
              fail(
                  "mutant "
                      + i
                      + " ("
                      + m.kind()
                      + ", "
                      + m.how()
                      + ") threw "
                      + t
                      + ": "
                      + HexFormat.of().formatHex(m.bytes()),
                  t);
            }
          }
        });
    System.out.printf(
        "mutation test: %d mutants, %d accepted, %d rejected%n", MUTANTS, counts[0], counts[1]);
    assertTrue(counts[1] > MUTANTS / 2, "most mutants are rejected");
  }
}
