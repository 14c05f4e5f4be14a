package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PeerPenaltiesTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void freshIdentitiesDoNotGrowItBeyondItsBound() {
    PeerPenalties p = new PeerPenalties(3, Duration.ofMinutes(10), clock);
    p.fail("repeat");
    for (int i = 0; i < PeerPenalties.MAX_PEERS * 2; i++) {
      assertFalse(p.fail("fresh-" + i));
    }
    assertEquals(PeerPenalties.MAX_PEERS, p.size());
    assertEquals(0, p.count("repeat"), "the least recently penalised went first");
    // Within the bound, a repeat offender is still counted to its block.
    assertFalse(p.fail("x"));
    assertFalse(p.fail("x"));
    assertTrue(p.fail("x"));
  }

  @Test
  void peersWhoseFailuresLeftTheWindowAreForgottenFirst() {
    PeerPenalties p = new PeerPenalties(3, Duration.ofMinutes(10), clock);
    for (int i = 0; i < PeerPenalties.MAX_PEERS - 1; i++) {
      p.fail("old-" + i);
    }
    now = now.plus(Duration.ofMinutes(5));
    p.fail("recent");
    p.fail("recent");
    now = now.plus(Duration.ofMinutes(6));
    p.fail("new");
    assertEquals(2, p.size(), "the old ones expired");
    assertEquals(2, p.count("recent"));
  }
}
