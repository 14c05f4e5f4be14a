package org.dure.store.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The collector's decisions, day by day on a fake clock. */
class BlobCollectorTest {
  private static final BlobHash A = BlobHash.of(new byte[] {1});
  private static final BlobHash B = BlobHash.of(new byte[] {2});
  private static final BlobHash C = BlobHash.of(new byte[] {3});
  private static final Duration GRACE = BlobCollector.GRACE;

  private final Map<BlobHash, Optional<Instant>> marks = new LinkedHashMap<>();
  private Instant now = Instant.parse("2026-12-01T10:00:00Z");

  /** Runs one collection and applies its plan to {@link #marks}; returns what was deleted. */
  private List<BlobHash> collect(Set<BlobHash> referenced, Set<BlobHash> busy) {
    BlobCollector.Plan p = BlobCollector.plan(marks, referenced, busy, now, GRACE);
    p.mark().forEach(b -> marks.put(b, Optional.of(now)));
    p.unmark().forEach(b -> marks.put(b, Optional.empty()));
    p.delete().forEach(marks::remove);
    return p.delete();
  }

  @Test
  void anUnreferencedBlobGoesSevenDaysAfterItWasFirstFoundSo() {
    marks.put(A, Optional.empty());
    marks.put(B, Optional.empty());
    assertEquals(List.of(), collect(Set.of(B), Set.of()));
    assertEquals(Optional.of(now), marks.get(A));
    now = now.plus(GRACE).minusSeconds(1);
    assertEquals(List.of(), collect(Set.of(B), Set.of()));
    now = now.plusSeconds(1);
    assertEquals(List.of(A), collect(Set.of(B), Set.of()));
    assertEquals(Set.of(B), marks.keySet());
  }

  @Test
  void aBlobReferencedAgainStartsItsGraceAfresh() {
    marks.put(A, Optional.empty());
    collect(Set.of(), Set.of());
    now = now.plus(Duration.ofDays(6));
    collect(Set.of(A), Set.of()); // a page refers to it again (e.g. restored from the trash)
    assertEquals(Optional.empty(), marks.get(A));
    now = now.plus(Duration.ofDays(2));
    assertEquals(List.of(), collect(Set.of(), Set.of()), "unreferenced again: marked, not deleted");
    now = now.plus(GRACE);
    assertEquals(List.of(A), collect(Set.of(), Set.of()));
  }

  @Test
  void aBlobBeingFetchedIsNeverDeleted() {
    marks.put(C, Optional.of(now.minus(Duration.ofDays(30))));
    assertEquals(List.of(), collect(Set.of(), Set.of(C)));
    assertEquals(Optional.empty(), marks.get(C), "its page is being shown");
  }

  @Test
  void aMarkInTheFutureCountsFromNow() {
    marks.put(A, Optional.of(now.plus(Duration.ofDays(365))));
    assertEquals(List.of(), collect(Set.of(), Set.of()));
    assertEquals(Optional.of(now), marks.get(A));
  }
}
