package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.dure.net.NetworkException;
import org.junit.jupiter.api.Test;

/**
 * A hole punch needs the address pair that an ordinary dial from the listen port may still hold
 * (waiting in SYN_SENT for a router that drops it). In the NAT lab such a dial (B's `connect`, or
 * its reconnector) made the first punch fail locally and the second succeed 5-6 s later.
 */
class ReuseDialsTest {
  private static final InetSocketAddress A = new InetSocketAddress("203.0.113.2", 4001);
  private static final InetSocketAddress R = new InetSocketAddress("203.0.113.1", 4001);

  @Test
  void aPunchTowardsTheSameAddressEndsTheDialsStillUnderWay() {
    ReuseDials dials = new ReuseDials();
    CompletableFuture<Connection> toA = new CompletableFuture<>();
    CompletableFuture<Connection> toR = new CompletableFuture<>();
    dials.add(A, toA);
    dials.add(R, toR);
    assertEquals(1, dials.pending(A));

    assertTrue(dials.supersede(A, new NetworkException("gave way to a hole punch")));
    assertTrue(toA.isCompletedExceptionally(), "the dial of A gave way");
    assertEquals(0, dials.pending(A));
    assertFalse(toR.isDone(), "a dial of another address goes on");
    assertEquals(1, dials.pending(R));
  }

  @Test
  void aDialThatEndedIsForgottenAndNothingIsSuperseded() {
    ReuseDials dials = new ReuseDials();
    CompletableFuture<Connection> toA = new CompletableFuture<>();
    dials.add(A, toA);
    toA.completeExceptionally(new NetworkException("connection timed out"));
    assertEquals(0, dials.pending(A));
    assertFalse(dials.supersede(A, new NetworkException("gave way")));
  }

  /**
   * What the NAT lab showed under load: the node's reconnector had dialled B's address from the
   * listen port (no answer, its socket closed after 2 s), B's punch SYN came 0.5 s later, found the
   * router's entry of that dial, reached the listener before the node's own punch SYN left, and the
   * router dropped the listener's answer (not the sequence number it tracked). Such a target is
   * remembered, so that the punch puts its own SYN out first.
   */
  @Test
  void aDialFromTheListenPortThatGotNoAnswerIsRememberedForTwoMinutes() {
    ReuseDials dials = new ReuseDials();
    long now = System.nanoTime();
    assertFalse(dials.unanswered(A, now));
    CompletableFuture<Connection> toA = new CompletableFuture<>();
    dials.add(A, toA);
    assertTrue(dials.unanswered(A, now), "a dial under way holds the router's entry too");
    toA.completeExceptionally(new NetworkException("connection timed out after 2000 ms"));
    long ended = System.nanoTime();
    assertTrue(dials.unanswered(A, ended));
    assertTrue(dials.unanswered(A, ended + Duration.ofSeconds(119).toNanos()));
    assertFalse(
        dials.unanswered(A, ended + Duration.ofSeconds(130).toNanos()),
        "the router forgets an unanswered SYN after 120 s");
    assertFalse(dials.unanswered(R, ended), "another address is not concerned");
  }

  @Test
  void aDialThatFailedLocallySentNoSynAndOneThatConnectedClearsTheRecord() {
    ReuseDials dials = new ReuseDials();
    CompletableFuture<Connection> local = new CompletableFuture<>();
    dials.add(A, local);
    local.completeExceptionally(
        new PortReuse.LocalFailure("Cannot assign requested address", null));
    assertFalse(dials.unanswered(A, System.nanoTime()), "no SYN left: nothing for a router");

    CompletableFuture<Connection> lost = new CompletableFuture<>();
    dials.add(A, lost);
    lost.completeExceptionally(new NetworkException("gave way to a hole punch"));
    assertTrue(dials.unanswered(A, System.nanoTime()));
    CompletableFuture<Connection> answered = new CompletableFuture<>();
    dials.add(A, answered);
    answered.complete(null);
    assertFalse(dials.unanswered(A, System.nanoTime()), "the next SYN was answered");
  }

  @Test
  void atMostSoManyTargetsAreRememberedTheOldestForgottenFirst() {
    ReuseDials dials = new ReuseDials();
    long t0 = System.nanoTime();
    for (int i = 0; i < ReuseDials.MAX_UNANSWERED + 10; i++) {
      dials.noteUnanswered(new InetSocketAddress("198.51.100.1", 1000 + i), t0 + i);
    }
    long now = t0 + ReuseDials.MAX_UNANSWERED + 10;
    assertFalse(dials.unanswered(new InetSocketAddress("198.51.100.1", 1000), now));
    assertTrue(
        dials.unanswered(
            new InetSocketAddress("198.51.100.1", 1000 + ReuseDials.MAX_UNANSWERED + 9), now));
    int remembered = 0;
    for (int i = 0; i < ReuseDials.MAX_UNANSWERED + 10; i++) {
      if (dials.unanswered(new InetSocketAddress("198.51.100.1", 1000 + i), now)) {
        remembered++;
      }
    }
    assertEquals(ReuseDials.MAX_UNANSWERED, remembered);
  }
}
