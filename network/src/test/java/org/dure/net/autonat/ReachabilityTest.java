package org.dure.net.autonat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatClient.Outcome;
import org.dure.net.autonat.Reachability.Status;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ReachabilityTest {
  private static final Multiaddr ADDR = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
  private final AtomicLong now = new AtomicLong();

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  @Test
  void oneServerCannotDecideTwoCanAndTheFallbackAnswersMeanwhile() {
    Reachability r = new Reachability(2, now::get).setFallback(() -> true);
    AtomicInteger changes = new AtomicInteger();
    r.addListener(x -> changes.incrementAndGet());
    PeerId liar = peer();
    r.record(liar, ADDR, Outcome.UNREACHABLE);
    r.record(liar, ADDR, Outcome.UNREACHABLE); // the same server again: still one vote
    assertEquals(Status.UNKNOWN, r.status(ADDR));
    assertTrue(r.isPublic(), "undecided: the fallback answers");
    r.record(peer(), ADDR, Outcome.REACHABLE);
    assertEquals(Status.UNKNOWN, r.status(ADDR), "one to one");
    r.record(peer(), ADDR, Outcome.REACHABLE);
    assertEquals(Status.PUBLIC, r.status(ADDR));
    assertEquals(List.of(ADDR), r.reachableAddresses());
    assertEquals(1, changes.get());
  }

  @Test
  void unreachableEverywhereMeansPrivateAndVotesExpire() {
    Reachability r = new Reachability(2, now::get).setFallback(() -> true);
    r.record(peer(), ADDR, Outcome.UNREACHABLE);
    r.record(peer(), ADDR, Outcome.UNREACHABLE);
    assertEquals(Status.PRIVATE, r.overall());
    assertFalse(r.isPublic(), "decided: the fallback no longer answers");
    now.addAndGet(Reachability.VOTE_LIFETIME_NANOS + 1);
    r.record(peer(), Multiaddr.parse("/ip4/203.0.113.8/tcp/1"), Outcome.UNKNOWN);
    assertEquals(Status.UNKNOWN, r.status(ADDR));
  }
}
