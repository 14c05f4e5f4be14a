package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claims of several sessions on the documents they ask for, step by step. */
class NeedLedgerTest {
  private static final long S = 1_000_000_000L;

  /** A session that writes down what it was told. */
  private static final class Session implements NeedLedger.Owner {
    final List<String> told = new ArrayList<>();
    int mayAskMore;

    @Override
    public void mayClaim(String docId) {
      told.add(docId);
    }

    @Override
    public void mayAskMore() {
      mayAskMore++;
    }
  }

  private final NeedLedger ledger = new NeedLedger(2, Duration.ofSeconds(20));
  private final Session a = new Session();
  private final Session b = new Session();

  @Test
  void aDocumentIsClaimedByOneSessionAtATime() {
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p1", 0));
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p1", 0), "again: still a's");
    assertEquals(NeedLedger.Claim.TAKEN, ledger.claim(b, "p1", S));
    assertSame(a, ledger.holder("p1"));
  }

  @Test
  void aSessionHoldsAtMostTheWindowAndAnAnswerFreesASlot() {
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p1", 0));
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p2", 0));
    assertEquals(NeedLedger.Claim.FULL, ledger.claim(a, "p3", 0));
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(b, "p3", 0), "another session takes it");
    ledger.release(a, "p1");
    assertEquals(1, ledger.held(a));
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p4", 0));
  }

  @Test
  void thoseWhoStoodBackAreToldWhenTheClaimEnds() {
    ledger.claim(a, "p1", 0);
    ledger.claim(b, "p1", 0);
    assertEquals(List.of(), b.told);
    ledger.release(b, "p1"); // not b's: nothing happens
    assertSame(a, ledger.holder("p1"));
    ledger.release(a, "p1");
    assertEquals(List.of("p1"), b.told);
    assertNull(ledger.holder("p1"));
    ledger.release(a, "p1"); // twice: nothing more
    assertEquals(List.of("p1"), b.told);
  }

  @Test
  void aSessionThatEndsFreesAllItsClaimsAndIsToldNothingMore() {
    ledger.claim(a, "p1", 0);
    ledger.claim(a, "p2", 0);
    ledger.claim(b, "p1", 0);
    ledger.claim(b, "p2", 0);
    ledger.claim(b, "p3", 0);
    ledger.claim(a, "p3", 0); // a stands back from b's p3
    ledger.releaseAll(a);
    assertEquals(List.of("p1", "p2"), b.told.stream().sorted().toList());
    assertEquals(0, ledger.held(a));
    ledger.release(b, "p3");
    assertEquals(List.of(), a.told, "a ended: it is not told of p3");
  }

  @Test
  void anOverdueClaimMayBeTakenByAnotherSession() {
    ledger.claim(a, "p1", 0);
    assertEquals(NeedLedger.Claim.TAKEN, ledger.claim(b, "p1", 19 * S));
    ledger.tick(19 * S);
    assertEquals(List.of(), b.told);
    ledger.tick(20 * S);
    assertEquals(List.of("p1"), b.told, "told once the claim is 20 s old");
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(b, "p1", 20 * S));
    assertSame(b, ledger.holder("p1"));
    assertEquals(0, ledger.held(a), "no longer counted in a's window");
    ledger.release(a, "p1"); // a's late answer: the claim is b's now
    assertSame(b, ledger.holder("p1"));
  }

  /**
   * A peer that never answers some NEEDs (it lacks those documents) must not hold up the rest of
   * what its session asks for: an overdue claim leaves the window, once.
   */
  @Test
  void anOverdueClaimLeavesItsOwnersWindow() {
    ledger.claim(a, "p1", 0);
    ledger.claim(a, "p2", 5 * S);
    assertEquals(NeedLedger.Claim.FULL, ledger.claim(a, "p3", 10 * S));
    ledger.tick(19 * S);
    assertEquals(0, a.mayAskMore);
    ledger.tick(20 * S);
    assertEquals(1, a.mayAskMore, "told once p1 is 20 s old");
    assertEquals(1, ledger.held(a));
    assertSame(a, ledger.holder("p1"), "the claim stays a's until another session takes it");
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(a, "p3", 20 * S));
    assertEquals(NeedLedger.Claim.FULL, ledger.claim(a, "p4", 20 * S));
    ledger.tick(21 * S);
    assertEquals(1, a.mayAskMore, "p1 left the window once");
    ledger.release(a, "p1"); // its late answer
    assertEquals(2, ledger.held(a), "p2 and p3 still count; p1 did not any more");
    assertEquals(NeedLedger.Claim.CLAIMED, ledger.claim(b, "p1", 22 * S));
  }

  @Test
  void aWindowBelowOneIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new NeedLedger(0, Duration.ofSeconds(1)));
  }
}
