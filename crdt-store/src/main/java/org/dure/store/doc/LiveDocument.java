package org.dure.store.doc;

import java.util.concurrent.atomic.AtomicInteger;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * A loaded Automerge document and what the kernel tracks about it. Confined to its lane's thread:
 * never share an instance with another thread, and use it only inside the lane task that was given
 * it ({@link Documents#withDocument}).
 *
 * <p>Features keep what they derive from a document with it in {@linkplain Slot slots} (a page's
 * text object, the sync ingest's picture of the history); a slot's value goes when the document
 * leaves memory.
 */
public final class LiveDocument {
  final String id;
  final DocumentKind kind;
  final String spaceId;
  final Document doc;
  long snapshotSeq;
  long lastSeq;
  long snapshotBytes;
  long changeBytes;
  ChangeHash[] heads;

  /** Local edits made a snapshot due; taken when the lane is idle. */
  boolean compactionDue;

  /** {@link System#nanoTime()} of the last local edit journalled. */
  long lastLocalEditNanos;

  /** Set when memory ran ahead of disk (a failed write): the lane drops and reloads it. */
  boolean stale;

  /**
   * A lower bound of the document's operations: the characters of its text when loaded, plus the
   * characters inserted and deleted since.
   */
  long opsEstimate;

  private final Object[] slots = new Object[Slot.MAX];

  LiveDocument(String id, DocumentKind kind, String spaceId, Document doc) {
    this.id = id;
    this.kind = kind;
    this.spaceId = spaceId;
    this.doc = doc;
    this.heads = doc.getHeads();
  }

  /** The document's id. */
  public String id() {
    return id;
  }

  /** What kind of document it is. */
  public DocumentKind kind() {
    return kind;
  }

  /** The space it belongs to: for the kernel, the key its documents are listed and counted by. */
  public String spaceId() {
    return spaceId;
  }

  /** The Automerge document (on this lane only; never keep it). */
  public Document doc() {
    return doc;
  }

  /** The number of its last persisted version. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The version its stored snapshot holds (the later ones are stored as changes). */
  public long snapshotSeq() {
    return snapshotSeq;
  }

  /** Whether local edits made a snapshot due, to be taken when its lane is idle. */
  public boolean compactionDue() {
    return compactionDue;
  }

  /** Counts {@code n} more operations (characters inserted or deleted) in the memory estimate. */
  public void addOps(long n) {
    opsEstimate += n;
  }

  /** Raises the memory estimate to at least {@code n} operations. */
  public void atLeastOps(long n) {
    opsEstimate = Math.max(opsEstimate, n);
  }

  /** The value a feature keeps in {@code slot}, or null. */
  @SuppressWarnings("unchecked")
  public <T> T get(Slot<T> slot) {
    return (T) slots[slot.index];
  }

  /** Keeps {@code value} in {@code slot} while the document is in memory. */
  public <T> void set(Slot<T> slot, T value) {
    slots[slot.index] = value;
  }

  /** Forgets what slots derived from the content (changes from elsewhere are being merged). */
  void forgetContent() {
    for (int i = 0; i < Slot.MAX; i++) {
      if (Slot.CONTENT[i]) {
        slots[i] = null;
      }
    }
  }

  /** Frees the native memory of the document. */
  void free() {
    doc.free();
  }

  /** Native bytes Automerge-Java 0.0.7 holds per text operation (measured: 310–370). */
  static final long BYTES_PER_OP = 400;

  /**
   * Estimated native memory held by the document. Automerge keeps every operation in memory,
   * measured at 310–370 bytes per character of text (see docs/PERFORMANCE.md); saved bytes say
   * little, as a repetitive text compresses to almost nothing.
   */
  long estimatedNativeBytes() {
    return 32 * 1024 + 16 * (snapshotBytes + changeBytes) + BYTES_PER_OP * opsEstimate;
  }

  /**
   * A place where a feature keeps something about a document in memory, made once (a static field
   * of the feature). A {@linkplain #content content} slot holds what is derived from the document's
   * content, forgotten when changes from elsewhere are merged.
   */
  public static final class Slot<T> {
    static final int MAX = 4;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final boolean[] CONTENT = new boolean[MAX];

    final int index;

    private Slot(boolean content) {
      index = NEXT.getAndIncrement();
      if (index >= MAX) {
        throw new IllegalStateException("At most " + MAX + " document slots");
      }
      CONTENT[index] = content;
    }

    /** A slot whose value stays until the document leaves memory. */
    public static <T> Slot<T> of() {
      return new Slot<>(false);
    }

    /** A slot whose value is derived from the content: dropped when merged changes arrive. */
    public static <T> Slot<T> content() {
      return new Slot<>(true);
    }
  }
}
