package org.dure.net.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a node's sync sessions asks its peer for which document (spec, "Several sources"): a
 * space that several online members hold comes from all of them at once, and no document is asked
 * of two peers at a time.
 *
 * <p>A session claims a document before it sends the NEED, and holds at most {@code window} claims:
 * a peer that answers quickly claims again sooner, so it takes more of the work. A claim ends when
 * the document arrives or the session ends or stalls ({@link #release}, {@link #releaseAll}); a
 * claim older than {@code reassignAfter} (a slow peer, or one that turns out not to hold the
 * document) may be taken by another session. A session that found a document claimed by another
 * stands back and is told when it may claim it ({@link Owner#mayClaim}): its claim ended, or it
 * became overdue ({@link #tick}). An overdue claim also stops counting against its owner's window
 * ({@link Owner#mayAskMore}): a peer that never answers some NEEDs (it lacks those documents) does
 * not hold up the rest of what its session asks for.
 *
 * <p>No I/O and no clock of its own (times are {@code System.nanoTime()} values passed in).
 * Thread-safe: one lock, never held while an owner is told.
 */
final class NeedLedger {
  /** A session that claims documents. */
  interface Owner {
    /**
     * {@code docId}, claimed by another session when this one stood back, may be claimed now
     * (called on any thread, with no lock of the ledger held).
     */
    void mayClaim(String docId);

    /** One of this session's claims became overdue and left its window (any thread, no lock). */
    void mayAskMore();
  }

  /** What {@link #claim} did. */
  enum Claim {
    /** The owner holds the claim now (or held it already): it sends the NEED. */
    CLAIMED,
    /** The owner holds as many claims as the window allows: it asks again after an answer. */
    FULL,
    /** Another session holds the claim: the owner stands back until told. */
    TAKEN
  }

  /** Claims per session: enough to keep a peer's snapshot sending busy across a round trip. */
  static final int DEFAULT_WINDOW = 64;

  /** After this long without the document, another session may ask its peer for it. */
  static final Duration DEFAULT_REASSIGN_AFTER = Duration.ofSeconds(20);

  /** A claim; {@code counted} while it counts against the owner's window (until overdue). */
  private record Holder(Owner owner, long since, boolean counted) {}

  private final int window;
  private final long reassignAfter;
  private final Map<String, Holder> claims = new HashMap<>();
  private final Map<Owner, Integer> held = new HashMap<>();
  private final Map<String, Set<Owner>> standingBack = new HashMap<>();

  NeedLedger() {
    this(DEFAULT_WINDOW, DEFAULT_REASSIGN_AFTER);
  }

  NeedLedger(int window, Duration reassignAfter) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1: " + window);
    }
    this.window = window;
    this.reassignAfter = reassignAfter.toNanos();
  }

  /**
   * Claims {@code docId} for {@code owner} at {@code now}, if the window and other claims allow.
   */
  synchronized Claim claim(Owner owner, String docId, long now) {
    Holder h = claims.get(docId);
    if (h != null && h.owner() == owner) {
      return Claim.CLAIMED;
    }
    if (held.getOrDefault(owner, 0) >= window) {
      return Claim.FULL;
    }
    if (h != null && now - h.since() < reassignAfter) {
      standingBack.computeIfAbsent(docId, d -> new LinkedHashSet<>()).add(owner);
      return Claim.TAKEN;
    }
    if (h != null && h.counted()) {
      // Overdue: the first owner's NEED stays sent (its answer is taken if it comes), but it no
      // longer counts against that owner's window.
      forget(h.owner());
    }
    claims.put(docId, new Holder(owner, now, true));
    held.merge(owner, 1, Integer::sum);
    Set<Owner> waiting = standingBack.get(docId);
    if (waiting != null) {
      waiting.remove(owner);
      if (waiting.isEmpty()) {
        standingBack.remove(docId);
      }
    }
    return Claim.CLAIMED;
  }

  /** {@code owner}'s claim on {@code docId} ends (the document arrived, or will not come). */
  void release(Owner owner, String docId) {
    Set<Owner> tell;
    synchronized (this) {
      Holder h = claims.get(docId);
      if (h == null || h.owner() != owner) {
        return;
      }
      claims.remove(docId);
      if (h.counted()) {
        forget(owner);
      }
      tell = standingBack.remove(docId);
    }
    tell(docId, tell);
  }

  /** Every claim of {@code owner} ends (its session ended or stalled). */
  void releaseAll(Owner owner) {
    Map<String, Set<Owner>> tell = new HashMap<>();
    synchronized (this) {
      for (Iterator<Map.Entry<String, Holder>> i = claims.entrySet().iterator(); i.hasNext(); ) {
        Map.Entry<String, Holder> e = i.next();
        if (e.getValue().owner() == owner) {
          i.remove();
          Set<Owner> waiting = standingBack.remove(e.getKey());
          if (waiting != null) {
            tell.put(e.getKey(), waiting);
          }
        }
      }
      held.remove(owner);
      standingBack.values().removeIf(w -> w.remove(owner) && w.isEmpty());
    }
    tell.forEach(this::tell);
  }

  /**
   * Claims overdue by {@code now} leave their owners' windows (each such owner is told once), and
   * those standing back from them are told they may claim them.
   */
  void tick(long now) {
    Map<String, Set<Owner>> tell = new HashMap<>();
    Set<Owner> freed = new java.util.LinkedHashSet<>();
    synchronized (this) {
      for (Map.Entry<String, Holder> e : claims.entrySet()) {
        Holder h = e.getValue();
        if (h.counted() && now - h.since() >= reassignAfter) {
          e.setValue(new Holder(h.owner(), h.since(), false));
          forget(h.owner());
          freed.add(h.owner());
        }
      }
      for (Iterator<Map.Entry<String, Set<Owner>>> i = standingBack.entrySet().iterator();
          i.hasNext(); ) {
        Map.Entry<String, Set<Owner>> e = i.next();
        Holder h = claims.get(e.getKey());
        if (h == null || now - h.since() >= reassignAfter) {
          tell.put(e.getKey(), e.getValue());
          i.remove();
        }
      }
    }
    freed.forEach(Owner::mayAskMore);
    tell.forEach(this::tell);
  }

  /** The claims counted against {@code owner}'s window. */
  synchronized int held(Owner owner) {
    return held.getOrDefault(owner, 0);
  }

  /** Who holds the claim on {@code docId}, or null. */
  synchronized Owner holder(String docId) {
    Holder h = claims.get(docId);
    return h == null ? null : h.owner();
  }

  private void forget(Owner owner) {
    held.computeIfPresent(owner, (o, n) -> n == 1 ? null : n - 1);
  }

  private void tell(String docId, Set<Owner> owners) {
    if (owners == null) {
      return;
    }
    for (Owner o : new ArrayList<>(owners)) {
      o.mayClaim(docId);
    }
  }

  /** The documents claimed, for a test's look (a copy). */
  synchronized List<String> claimed() {
    return new ArrayList<>(claims.keySet());
  }
}
