package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
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
}
