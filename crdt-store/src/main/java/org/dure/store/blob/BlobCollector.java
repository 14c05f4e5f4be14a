package org.dure.store.blob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which blobs a collection of garbage deletes, without I/O: a blob no page refers to is marked
 * "unreferenced since now"; one still unreferenced {@link #GRACE} after it was marked is deleted;
 * one referred to again is unmarked. A blob being fetched is never deleted (nor marked: its page is
 * being shown). The caller lists every page of every space, those in the trash included; if it
 * cannot read them all it must not collect (a reference missed would delete a blob in use).
 */
public final class BlobCollector {
  /** How long a blob stays after the last page referring to it stopped doing so. */
  public static final Duration GRACE = Duration.ofDays(7);

  private BlobCollector() {}

  /**
   * What to do.
   *
   * @param mark blobs to mark unreferenced since now
   * @param unmark blobs referred to again
   * @param delete blobs to delete
   */
  public record Plan(List<BlobHash> mark, List<BlobHash> unmark, List<BlobHash> delete) {
    public Plan {
      mark = List.copyOf(mark);
      unmark = List.copyOf(unmark);
      delete = List.copyOf(delete);
    }
  }

  /**
   * The plan for the blobs here.
   *
   * @param blobs each blob here, with since when it is marked unreferenced (empty: not marked)
   * @param referenced the blobs some page (or page in a trash) refers to
   * @param busy the blobs being fetched now
   * @param now the clock's time
   * @param grace how long an unreferenced blob stays
   */
  public static Plan plan(
      Map<BlobHash, Optional<Instant>> blobs,
      Set<BlobHash> referenced,
      Set<BlobHash> busy,
      Instant now,
      Duration grace) {
    List<BlobHash> mark = new ArrayList<>();
    List<BlobHash> unmark = new ArrayList<>();
    List<BlobHash> delete = new ArrayList<>();
    for (Map.Entry<BlobHash, Optional<Instant>> e : blobs.entrySet()) {
      BlobHash b = e.getKey();
      Optional<Instant> since = e.getValue();
      if (referenced.contains(b) || busy.contains(b)) {
        if (since.isPresent()) {
          unmark.add(b);
        }
      } else if (since.isEmpty() || since.get().isAfter(now)) {
        mark.add(b); // first found unreferenced (or the clock went back: count from now)
      } else if (Duration.between(since.get(), now).compareTo(grace) >= 0) {
        delete.add(b);
      }
    }
    return new Plan(mark, unmark, delete);
  }
}
