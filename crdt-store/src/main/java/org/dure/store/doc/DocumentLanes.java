package org.dure.store.doc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines documents to threads. A document is always handled on the same single-threaded lane,
 * chosen by its id; each lane keeps an LRU cache of open documents bounded by a native-memory
 * budget and frees what it evicts.
 *
 * <p>A task on one lane may wait on another lane only for a document others wait on ({@link
 * DocumentKind#isWaitedOn}: a space's membership, which the checks of every change read), and a
 * task of such a document never waits on another lane: a wait the other way fails at once with an
 * {@link IllegalStateException} instead of risking two lanes waiting on each other (see {@code
 * concurrency.md}).
 */
final class DocumentLanes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentLanes.class);

  /** Loads a document that is not in the cache; runs on the lane thread. */
  interface Loader {
    LiveDocument load(String id);
  }

  /**
   * Maintenance of a cached document when its lane is idle ({@code closing}: the last chance, as
   * the store closes); returns whether it did anything.
   */
  interface IdleWork {
    boolean run(LiveDocument live, boolean closing);
  }

  /** The lane whose thread runs the current code, if it is a lane's. */
  private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();

  private final Lane[] lanes;
  private final Loader loader;
  private final IdleWork idleWork;

  DocumentLanes(int laneCount, long nativeBudgetBytes, Loader loader) {
    this(laneCount, nativeBudgetBytes, loader, (live, closing) -> false);
  }

  DocumentLanes(int laneCount, long nativeBudgetBytes, Loader loader, IdleWork idleWork) {
    if (laneCount < 1) {
      throw new IllegalArgumentException("laneCount must be at least 1");
    }
    this.loader = loader;
    this.idleWork = idleWork;
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane(i, Math.max(1, nativeBudgetBytes / laneCount));
    }
  }

  private Lane laneOf(String id) {
    return lanes[laneIndexOf(id)];
  }

  /** The index of the lane that holds document {@code id}. */
  int laneIndexOf(String id) {
    return Math.floorMod(id.hashCode(), lanes.length);
  }

  /**
   * Runs {@code work} on every lane's thread, after what is queued there, with the lane's index;
   * waits for each.
   */
  void onEveryLane(java.util.function.IntConsumer work) {
    for (Lane lane : lanes) {
      lane.call(
          () -> {
            work.accept(lane.index);
            return null;
          });
    }
  }

  /** Runs {@code work} on the document's lane with the document loaded, and waits for it. */
  <T> T withDocument(String id, Function<LiveDocument, T> work) {
    Lane lane = laneOf(id);
    Lane waiting = mayWaitOn(lane, id);
    return lane.call(
        () -> {
          LiveDocument live = lane.cache.get(id);
          if (live == null) {
            live = loader.load(id);
            lane.cache.put(id, live);
          }
          if (waiting != null && !live.kind.isWaitedOn()) {
            throw new IllegalStateException(
                "A task on lane "
                    + waiting.index
                    + " waits on "
                    + live.kind.key()
                    + " document "
                    + id
                    + " on lane "
                    + lane.index
                    + ": a lane waits only on documents others wait on (a space's membership);"
                    + " see concurrency.md");
          }
          lane.working.addLast(live);
          try {
            return work.apply(live);
          } finally {
            lane.working.removeLast();
            lane.dropIfStale(id);
            lane.evictOver(id);
            lane.markUsed(id);
          }
        });
  }

  /**
   * Checks that the current code may wait on {@code target} for document {@code id}: it may if it
   * runs on no lane, or on {@code target} itself (the work then runs at once), or in a task of a
   * document that is not {@linkplain DocumentKind#isWaitedOn waited on}. Returns the lane that will
   * wait, or null if none does.
   *
   * @throws IllegalStateException if a task of a document others wait on would wait on another lane
   */
  private static Lane mayWaitOn(Lane target, String id) {
    Lane here = CURRENT.get();
    if (here == null || here == target) {
      return null;
    }
    LiveDocument running = here.working.peekLast();
    if (running != null && running.kind.isWaitedOn()) {
      throw new IllegalStateException(
          "The task of "
              + running.kind.key()
              + " document "
              + running.id
              + " on lane "
              + here.index
              + " waits on lane "
              + target.index
              + " (document "
              + id
              + "): a document others wait on (a space's membership) never waits on another lane;"
              + " see concurrency.md");
    }
    return here;
  }

  /** Puts a newly created document into its lane's cache; runs {@code create} on the lane. */
  <T> T create(
      String id, java.util.function.Supplier<LiveDocument> create, Function<LiveDocument, T> then) {
    Lane lane = laneOf(id);
    mayWaitOn(lane, id);
    return lane.call(
        () -> {
          LiveDocument live = create.get();
          lane.cache.put(id, live);
          lane.working.addLast(live);
          try {
            return then.apply(live);
          } finally {
            lane.working.removeLast();
            lane.dropIfStale(id);
            lane.evictOver(id);
            lane.markUsed(id);
          }
        });
  }

  /** Drops a document from the cache (after it was quarantined or replaced on disk). */
  void forget(String id) {
    Lane lane = laneOf(id);
    lane.call(
        () -> {
          LiveDocument live = lane.cache.remove(id);
          if (live != null) {
            live.free();
          }
          return null;
        });
  }

  /** Number of open documents and their estimated native bytes, summed over lanes. */
  long[] stats() {
    long docs = 0;
    long bytes = 0;
    for (Lane lane : lanes) {
      long[] s = lane.call(() -> new long[] {lane.cache.size(), lane.estimatedBytes()});
      docs += s[0];
      bytes += s[1];
    }
    return new long[] {docs, bytes};
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      boolean stopped =
          lane.thread.stop(
              () -> {
                lane.idle(); // compactions still due, so the next start replays less
                lane.cache.values().forEach(LiveDocument::free);
                lane.cache.clear();
              },
              30_000);
      if (!stopped) {
        LOG.warn("Document lane {} did not stop within 30 s", lane.index);
      }
    }
  }

  private final class Lane {
    final int index;
    final long budget;
    final LaneThread thread;
    final LinkedHashMap<String, LiveDocument> cache = new LinkedHashMap<>(16, 0.75f, true);

    /** The documents whose tasks run on the lane now, the innermost last (lane thread only). */
    final java.util.ArrayDeque<LiveDocument> working = new java.util.ArrayDeque<>();

    /** Documents used since the lane was last idle: the ones that may have idle work. */
    final java.util.ArrayDeque<String> used = new java.util.ArrayDeque<>();

    Lane(int index, long budget) {
      this.index = index;
      this.budget = budget;
      this.thread = new LaneThread("dure-doc-lane-" + index, this::idleOnce);
      thread.call(
          () -> {
            CURRENT.set(this);
            return null;
          });
    }

    /**
     * Does the idle work of one document used since the last idle time, if any has some. A document
     * whose work is not yet due (it is still being edited) stays listed for a later idle time.
     */
    boolean idleOnce() {
      for (int n = used.size(); n > 0; n--) {
        String id = used.pollFirst();
        LiveDocument live = cache.get(id);
        if (live == null) {
          continue;
        }
        boolean did = idleWork.run(live, false);
        if (live.compactionDue) {
          used.addLast(id);
        }
        if (did) {
          return true;
        }
      }
      return false;
    }

    /** Does all the idle work there is, as the store closes. */
    void idle() {
      for (LiveDocument live : cache.values()) {
        try {
          idleWork.run(live, true);
        } catch (RuntimeException e) {
          LOG.warn("Idle work on {} failed", live.id, e);
        }
      }
    }

    <T> T call(java.util.concurrent.Callable<T> task) {
      return thread.call(task);
    }

    long estimatedBytes() {
      long sum = 0;
      for (LiveDocument l : cache.values()) {
        sum += l.estimatedNativeBytes();
      }
      return sum;
    }

    void markUsed(String id) {
      LiveDocument live = cache.get(id);
      if (live != null && live.compactionDue && !used.contains(id)) {
        used.add(id);
      }
    }

    void dropIfStale(String id) {
      LiveDocument live = cache.get(id);
      if (live != null && live.stale) {
        cache.remove(id);
        live.free();
      }
    }

    /** Frees least recently used documents until the lane is within budget; keeps {@code keep}. */
    void evictOver(String keep) {
      long total = estimatedBytes();
      Iterator<Map.Entry<String, LiveDocument>> it = cache.entrySet().iterator();
      while (total > budget && it.hasNext()) {
        Map.Entry<String, LiveDocument> e = it.next();
        if (e.getKey().equals(keep)) {
          continue;
        }
        total -= e.getValue().estimatedNativeBytes();
        e.getValue().free();
        it.remove();
      }
    }
  }
}
