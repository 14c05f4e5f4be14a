package org.dure.store.format;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the validator knows of the document that will receive the validated bytes: the kind of each
 * object (map or list/text) and how many changes each actor has made.
 *
 * <p>Native Automerge 0.5.7 panics (aborting the JVM) on changes that are well formed on their own
 * but do not fit the receiving document: an op with a map key in a list or an element id in a map
 * ({@code op_set.rs}: "can only compare map keys"), or a change whose seq skips ahead of its
 * actor's earlier changes (its clock later indexes past the actor's history, {@code automerge.rs}
 * {@code get_changes_clock}). With a context, the validator rejects these too.
 *
 * <p>Make one with {@link #ofHistory} from the receiving document's whole history (or {@link
 * #ofNewDocument} for an empty one) and pass it to each validation of data for that document: every
 * input that validates is learned (an input that fails teaches it nothing). A change whose seq
 * skips ahead is refused only if native code would apply it at once, that is if the context knows
 * all its dependencies; otherwise native code queues it (sync does send changes before their
 * predecessors after a bloom filter false positive) and it is let through. {@link #of} (from saved
 * bytes) knows only the document's heads, not every change hash, so with it a crafted change that
 * depends on an older change gets through; prefer {@link #ofHistory}. Still unchecked: a queued
 * change is applied by native code when its dependencies arrive later, without passing here again.
 *
 * <p>Local edits must be taught too, by validating them through the context ({@code
 * validateChanges(doc.encodeChangesSince(headsBefore), limits, ctx)}), or the context rebuilt. Not
 * thread-safe; confine it with its document.
 */
public final class DocumentContext {
  static final byte MAP = 1;
  static final byte SEQ = 2;

  record ObjRef(ByteBuffer actor, long counter) {}

  private final boolean complete;
  private final Map<ByteBuffer, Long> seqs = new HashMap<>();
  private final Map<ObjRef, Byte> kinds = new HashMap<>();

  /** Hashes of changes the document has applied (as far as known: heads of saved documents). */
  private final Set<ByteBuffer> hashes = new HashSet<>();

  /** Seqs of changes that will be applied (with the offset of their change), checked at the end. */
  private final Map<ByteBuffer, TreeMap<Long, Long>> pendingSeqs = new HashMap<>();

  /** Change chunks seen during one validation; settled at its end. */
  private final List<PendingChange> pendingChanges = new ArrayList<>();

  private final Set<ByteBuffer> pendingHashes = new HashSet<>();

  private record PendingChange(
      byte[] actor,
      long seq,
      ByteBuffer hash,
      byte[][] deps,
      long offset,
      byte[] chunkArray,
      int chunkStart,
      int chunkEnd,
      Set<FieldWrite> writes) {}

  /**
   * The most places recorded as written for one change; beyond it, further places are recorded by
   * their top-level key alone (which covers them, see {@link FieldPath}).
   */
  public static final int MAX_WRITES = 64;

  /** In a set of guarded keys: every top-level key is guarded. */
  public static final String EVERY_KEY = "*";

  /**
   * Top-level keys whose writes are recorded per change ({@link ChangeHeader#writes}; {@link
   * #EVERY_KEY}: all of them); null when none are (the default: no per-op work beyond the format
   * checks).
   */
  private final Set<String> guarded;

  /** When {@link #guarded} is set: the place of every object made by a validated change. */
  private final Map<ObjRef, FieldPath> paths = new HashMap<>();

  private final Map<ObjRef, FieldPath> pendingPaths = new HashMap<>();

  private final Map<ObjRef, Byte> pendingKinds = new HashMap<>();

  /** The change chunks of the last input that validated, in input order. */
  private List<ChangeHeader> lastChanges = List.of();

  private List<ChangeHeader> lastNewChanges = List.of();

  /** Whether the input being validated, and the last that validated, held a document chunk. */
  private boolean pendingDocument;

  private boolean lastHadDocument;

  /** Per actor, the hash of its change with the highest seq the document has applied. */
  private final Map<ByteBuffer, byte[]> lastHashes = new HashMap<>();

  private final Map<ByteBuffer, byte[]> pendingLastHashes = new HashMap<>();

  /** When not null, the actor of every change seen, in input order (see {@link #recording}). */
  private List<byte[]> recordedActors;

  private DocumentContext(boolean complete) {
    this(complete, null);
  }

  private DocumentContext(boolean complete, Set<String> guarded) {
    this.complete = complete;
    this.guarded = guarded == null || guarded.isEmpty() ? null : Set.copyOf(guarded);
  }

  /** A context that knows nothing and records the actor of every change it sees. */
  static DocumentContext recording() {
    DocumentContext ctx = new DocumentContext(false);
    ctx.recordedActors = new ArrayList<>();
    return ctx;
  }

  /** Notes the actor of a change (change chunk or a change stored in a document chunk). */
  void recordActor(byte[] actor) {
    if (recordedActors != null) {
      recordedActors.add(actor.clone());
    }
  }

  /** The actors recorded so far (empty unless made by {@link #recording}). */
  List<byte[]> recordedActors() {
    return recordedActors == null ? List.of() : recordedActors;
  }

  /** A context for a document with no changes yet. */
  public static DocumentContext ofNewDocument() {
    return new DocumentContext(true);
  }

  /** A context for the document whose {@code Document.save()} bytes these are (validated here). */
  public static DocumentContext of(byte[] savedDocument) throws InvalidAutomergeDataException {
    return of(savedDocument, Limits.defaults());
  }

  public static DocumentContext of(byte[] savedDocument, Limits limits)
      throws InvalidAutomergeDataException {
    DocumentContext ctx = new DocumentContext(true);
    AutomergeFormat.validateDocument(savedDocument, limits, ctx);
    return ctx;
  }

  /**
   * A context for the document whose whole history these are: {@code doc.encodeChangesSince(new
   * ChangeHash[0])} (validated here). Unlike {@link #of}, it knows the hash of every change, so it
   * can tell a change native code will apply from one it will queue.
   */
  public static DocumentContext ofHistory(byte[] allChanges) throws InvalidAutomergeDataException {
    return ofHistory(allChanges, Limits.defaults());
  }

  public static DocumentContext ofHistory(byte[] allChanges, Limits limits)
      throws InvalidAutomergeDataException {
    DocumentContext ctx = new DocumentContext(true);
    AutomergeFormat.validateChanges(allChanges, limits, ctx);
    ctx.forgetLastValidated(); // a whole history: kept only when asked for, see below
    return ctx;
  }

  /**
   * Like {@link #ofHistory}, and {@link #lastValidatedChanges} lists the whole history until the
   * next validation or {@link #forgetLastValidated}.
   */
  public static DocumentContext ofHistoryWithChanges(byte[] allChanges, Limits limits)
      throws InvalidAutomergeDataException {
    return ofHistoryWithChanges(allChanges, limits, Set.of());
  }

  /**
   * Like {@link #ofHistory}, and records, for every change validated through it, which places under
   * the top-level keys {@code guarded} it writes ({@link ChangeHeader#writes}). Costs a lookup per
   * op and memory per object of the document, so only for documents with rules about their fields;
   * with {@code guarded} empty it is a plain {@link #ofHistory}.
   */
  public static DocumentContext ofHistory(byte[] allChanges, Limits limits, Set<String> guarded)
      throws InvalidAutomergeDataException {
    DocumentContext ctx = new DocumentContext(true, guarded);
    AutomergeFormat.validateChanges(allChanges, limits, ctx);
    ctx.forgetLastValidated();
    return ctx;
  }

  /**
   * {@link #ofHistoryWithChanges} that records writes under {@code guarded} like {@link
   * #ofHistory(byte[], Limits, Set)}.
   */
  public static DocumentContext ofHistoryWithChanges(
      byte[] allChanges, Limits limits, Set<String> guarded) throws InvalidAutomergeDataException {
    DocumentContext ctx = new DocumentContext(true, guarded);
    AutomergeFormat.validateChanges(allChanges, limits, ctx);
    return ctx;
  }

  /** The top-level keys whose writes this context records per change (empty: none). */
  public Set<String> guardedKeys() {
    return guarded == null ? Set.of() : guarded;
  }

  /** Whether writes are recorded per change (see {@link #ofHistory(byte[], Limits, Set)}). */
  boolean tracksFields() {
    return guarded != null;
  }

  /**
   * Whether a write at {@code path} is to be recorded: under a guarded key, or of unknown place.
   */
  boolean isGuarded(FieldPath path) {
    return guarded != null
        && (path.isUnknown() || guarded.contains(path.key()) || guarded.contains(EVERY_KEY));
  }

  /** The place of the object made by op {@code counter} of {@code actor}; unknown if not seen. */
  FieldPath path(byte[] actor, long counter) {
    ObjRef ref = new ObjRef(ByteBuffer.wrap(actor), counter);
    FieldPath p = pendingPaths.get(ref);
    if (p == null) {
      p = paths.get(ref);
    }
    return p == null ? FieldPath.UNKNOWN : p;
  }

  /** {@code actor} is the validator's own copy, shared by the ops of a change (not cloned). */
  void learnPath(byte[] actor, long counter, FieldPath path) {
    pendingPaths.put(new ObjRef(ByteBuffer.wrap(actor), counter), path);
  }

  /**
   * Records a write of the change noted last (bounded, see {@link #MAX_WRITES}: beyond it, a write
   * is kept as one inside its top-level key, which covers it).
   */
  void noteWrite(FieldWrite w) {
    if (pendingChanges.isEmpty()) {
      return;
    }
    Set<FieldWrite> t = pendingChanges.get(pendingChanges.size() - 1).writes();
    if (t == null || t.contains(w)) {
      return;
    }
    t.add(
        t.size() < MAX_WRITES || w.path().entry() == null
            ? w
            : FieldWrite.inside(FieldPath.of(w.path().key())));
  }

  /** Drops the list of the last input's changes (it refers to that input's bytes). */
  public void forgetLastValidated() {
    lastChanges = List.of();
    lastNewChanges = List.of();
  }

  /** Whether the document has applied the change with this hash, as far as this context knows. */
  public boolean knows(byte[] hash) {
    return hashes.contains(ByteBuffer.wrap(hash));
  }

  /**
   * A context that knows nothing, used when the caller gives none: only checks within the input.
   */
  static DocumentContext unknown() {
    return new DocumentContext(false);
  }

  /** Notes a change chunk of the input; whether native code applies it now is settled later. */
  void noteChange(
      byte[] actor,
      long seq,
      byte[] hash,
      byte[][] deps,
      long offset,
      byte[] chunkArray,
      int chunkStart,
      int chunkEnd) {
    pendingChanges.add(
        new PendingChange(
            actor,
            seq,
            ByteBuffer.wrap(hash),
            deps,
            offset,
            chunkArray,
            chunkStart,
            chunkEnd,
            guarded == null ? null : new java.util.LinkedHashSet<>()));
  }

  /** Notes the heads of a document chunk of the input: changes the document will have. */
  void noteHead(byte[] hash) {
    pendingDocument = true;
    pendingHashes.add(ByteBuffer.wrap(hash));
  }

  /** Notes that the input holds applied change {@code seq} of {@code actor} at {@code offset}. */
  void noteSeq(byte[] actor, long seq, long offset) {
    pendingSeqs
        .computeIfAbsent(ByteBuffer.wrap(actor.clone()), k -> new TreeMap<>())
        .putIfAbsent(seq, offset);
  }

  /**
   * Checks that the seqs of each actor's changes that native code will apply on receiving the input
   * continue the actor's known changes without a gap, whatever their order in the input. A change
   * is applied once all its dependencies are known (applied before, heads of a document, or applied
   * from this input); the rest wait in native code's queue and are not checked (see {@link
   * DocumentContext}).
   */
  void checkSeqs() throws InvalidAutomergeDataException {
    Set<ByteBuffer> known = new HashSet<>(pendingHashes);
    // Resolve which changes become applicable, in dependency order, in linear time.
    int n = pendingChanges.size();
    int[] missing = new int[n];
    Map<ByteBuffer, List<Integer>> waitingOn = new HashMap<>();
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      for (byte[] d : pendingChanges.get(i).deps()) {
        ByteBuffer b = ByteBuffer.wrap(d);
        if (!hashes.contains(b) && !known.contains(b)) {
          missing[i]++;
          waitingOn.computeIfAbsent(b, k -> new ArrayList<>()).add(i);
        }
      }
      if (missing[i] == 0) {
        ready.add(i);
      }
    }
    while (!ready.isEmpty()) {
      PendingChange c = pendingChanges.get(ready.poll());
      if (!known.add(c.hash())) {
        continue;
      }
      noteSeq(c.actor(), c.seq(), c.offset());
      ByteBuffer actor = ByteBuffer.wrap(c.actor());
      Long top = seqs.get(actor);
      TreeMap<Long, Long> noted = pendingSeqs.get(actor);
      if ((top == null || c.seq() > top) && c.seq() >= noted.lastKey()) {
        pendingLastHashes.put(ByteBuffer.wrap(c.actor().clone()), c.hash().array());
      }
      List<Integer> unblocked = waitingOn.remove(c.hash());
      if (unblocked != null) {
        for (int k : unblocked) {
          if (--missing[k] == 0) {
            ready.add(k);
          }
        }
      }
    }
    pendingHashes.addAll(known);
    for (Map.Entry<ByteBuffer, TreeMap<Long, Long>> e : pendingSeqs.entrySet()) {
      Long before = seqs.get(e.getKey());
      long cur = before != null ? before : complete ? 0 : e.getValue().firstKey() - 1;
      for (Map.Entry<Long, Long> s : e.getValue().entrySet()) {
        if (s.getKey() > cur + 1) {
          throw new InvalidAutomergeDataException(
              "change seq "
                  + s.getKey()
                  + " skips ahead of the "
                  + cur
                  + " changes known from its actor, and its dependencies are all present",
              s.getValue());
        }
        cur = Math.max(cur, s.getKey());
      }
    }
  }

  /**
   * The change chunks of the last input that validated through this context (a sync message's
   * changes, or a whole history for {@link #ofHistory}), in input order; empty if it had none.
   */
  public List<ChangeHeader> lastValidatedChanges() {
    return lastChanges;
  }

  /**
   * Those of {@link #lastValidatedChanges} the document had not applied before that input, as far
   * as this context knew: what the input brings. Automerge ignores a change it has; in a mesh,
   * members relay to each other what the author sent them all, so such duplicates are common and
   * were judged once already.
   */
  public List<ChangeHeader> lastNewChanges() {
    return lastNewChanges;
  }

  /**
   * Whether the last input that validated held a whole document (a sync message may carry one
   * instead of changes when the peer said it has nothing): its changes are not listed by {@link
   * #lastValidatedChanges}.
   */
  public boolean lastHadDocument() {
    return lastHadDocument;
  }

  /** The highest seq of {@code actor}'s changes the document has applied, or 0. */
  public long lastSeq(byte[] actor) {
    Long s = seqs.get(ByteBuffer.wrap(actor));
    return s == null ? 0 : s;
  }

  /**
   * The hash of {@code actor}'s change with the highest seq, or null if unknown (no change of that
   * actor was validated through this context; a saved document's changes count only as heads).
   */
  public byte[] lastHash(byte[] actor) {
    byte[] h = lastHashes.get(ByteBuffer.wrap(actor));
    return h == null ? null : h.clone();
  }

  /** The actors of every change validated through this context. */
  public List<byte[]> actors() {
    List<byte[]> out = new ArrayList<>();
    for (ByteBuffer b : seqs.keySet()) {
      byte[] a = new byte[b.remaining()];
      b.duplicate().get(a);
      out.add(a);
    }
    return out;
  }

  /** {@link #MAP}, {@link #SEQ}, or 0 if unknown. */
  byte kind(byte[] actor, long counter) {
    ObjRef ref = new ObjRef(ByteBuffer.wrap(actor), counter);
    Byte k = pendingKinds.get(ref);
    if (k == null) {
      k = kinds.get(ref);
    }
    return k == null ? 0 : k;
  }

  void learnKind(byte[] actor, long counter, byte kind) {
    pendingKinds.put(new ObjRef(ByteBuffer.wrap(actor.clone()), counter), kind);
  }

  void commit() {
    List<ChangeHeader> changes = new ArrayList<>(pendingChanges.size());
    for (PendingChange c : pendingChanges) {
      changes.add(
          new ChangeHeader(
              c.actor(),
              c.seq(),
              c.hash().array(),
              List.of(c.deps()),
              c.chunkArray(),
              c.chunkStart(),
              c.chunkEnd(),
              c.writes() == null ? null : java.util.Collections.unmodifiableSet(c.writes())));
    }
    lastChanges = List.copyOf(changes);
    List<ChangeHeader> fresh = null; // made only when the input repeats a change the document has
    for (int i = 0; i < changes.size(); i++) {
      ChangeHeader c = changes.get(i);
      if (hashes.contains(ByteBuffer.wrap(c.hash()))) {
        if (fresh == null) {
          fresh = new ArrayList<>(changes.subList(0, i));
        }
      } else if (fresh != null) {
        fresh.add(c);
      }
    }
    lastNewChanges = fresh == null ? lastChanges : List.copyOf(fresh);
    lastHadDocument = pendingDocument;
    lastHashes.putAll(pendingLastHashes);
    hashes.addAll(pendingHashes);
    for (Map.Entry<ByteBuffer, TreeMap<Long, Long>> e : pendingSeqs.entrySet()) {
      seqs.merge(e.getKey(), e.getValue().lastKey(), Math::max);
    }
    kinds.putAll(pendingKinds);
    paths.putAll(pendingPaths);
    pendingSeqs.clear();
    pendingKinds.clear();
    pendingPaths.clear();
  }

  void rollback() {
    pendingDocument = false;
    pendingLastHashes.clear();
    pendingSeqs.clear();
    pendingChanges.clear();
    pendingHashes.clear();
    pendingKinds.clear();
    pendingPaths.clear();
  }
}
