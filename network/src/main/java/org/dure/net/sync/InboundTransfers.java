package org.dure.net.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.net.ProtocolViolationException;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/**
 * What one peer is sending this node in parts: sync messages in SYNC_PARTs and snapshots in
 * SNAPSHOT chunks (spec, "Transfers in parts"). A transfer is admitted at its first frame, after
 * the session's access check, and its declared total is reserved against the peer's cap and the
 * node's {@link TransferBudget} before a byte of it is kept; a transfer the session admits without
 * keeping it (a SYNC_PART about a document this node asks for whole instead, a second copy of a
 * snapshot) is followed for order only and costs nothing. Chunks must arrive in order and add up to
 * the declared total. No I/O and no threads: the {@link SyncEngine} calls it on the session's
 * reader, and on the service's watchdog to ask {@link #inProgress}; every method is synchronized.
 */
final class InboundTransfers {

  /** A transfer in parts. */
  enum Kind {
    PARTS,
    SNAPSHOT
  }

  /** Why a transfer was not started. */
  enum Refusal {
    NONE,
    /** The peer's own transfers in progress would hold more than its cap. */
    PEER_CAP,
    /** All peers' transfers in progress would hold more than the node's cap. */
    NODE_CAP
  }

  /** One transfer in progress. */
  static final class Transfer {
    final Kind kind;
    final String docId;
    final SpaceId space;
    final DocumentRef.Kind docKind;
    final long total;

    /** Whether its bytes are kept (and reserved); false: followed for order only. */
    final boolean keep;

    /** For a kept snapshot of a document held here: merged rather than imported. */
    final boolean merge;

    private final List<byte[]> chunks = new ArrayList<>();
    private long received;

    Transfer(
        Kind kind,
        String docId,
        SpaceId space,
        DocumentRef.Kind docKind,
        long total,
        boolean keep,
        boolean merge) {
      this.kind = kind;
      this.docId = docId;
      this.space = space;
      this.docKind = docKind;
      this.total = total;
      this.keep = keep;
      this.merge = merge;
    }

    long received() {
      return received;
    }
  }

  private final TransferBudget node;
  private final long peerCap;
  private final int maxParts;
  private final int maxSnapshots;
  private final Map<String, Transfer> parts = new HashMap<>();
  private final Map<String, Transfer> snapshots = new HashMap<>();
  private long reserved;

  InboundTransfers(TransferBudget node, long peerCap, int maxParts, int maxSnapshots) {
    this.node = node;
    this.peerCap = peerCap;
    this.maxParts = maxParts;
    this.maxSnapshots = maxSnapshots;
  }

  synchronized Transfer get(Kind kind, String docId) {
    return map(kind).get(docId);
  }

  /** Transfers of {@code kind} in progress (kept or followed). */
  synchronized int count(Kind kind) {
    return map(kind).size();
  }

  /** Whether any transfer is in progress. */
  synchronized boolean inProgress() {
    return !parts.isEmpty() || !snapshots.isEmpty();
  }

  /** Bytes this peer's kept transfers reserve. */
  synchronized long reserved() {
    return reserved;
  }

  /** Snapshots in progress (for asking another peer when this one stalls). */
  synchronized List<Transfer> snapshots() {
    return List.copyOf(snapshots.values());
  }

  /**
   * Starts a transfer at its first frame. The caller has checked that the peer may send it, that no
   * transfer of that kind and document is in progress, and the protocol's count limits.
   *
   * @return {@link Refusal#NONE} if started, else the cap it would exceed (nothing is started)
   */
  synchronized Refusal start(
      Kind kind,
      String docId,
      SpaceId space,
      DocumentRef.Kind docKind,
      long total,
      boolean keep,
      boolean merge) {
    if (keep) {
      if (reserved + total > peerCap) {
        return Refusal.PEER_CAP;
      }
      if (!node.reserve(total)) {
        return Refusal.NODE_CAP;
      }
      reserved += total;
    }
    map(kind).put(docId, new Transfer(kind, docId, space, docKind, total, keep, merge));
    return Refusal.NONE;
  }

  /**
   * Adds the chunk at {@code offset} of the transfer of {@code kind} for {@code docId}.
   *
   * @return the whole transfer's bytes when this chunk completed a kept transfer (which then ends),
   *     an empty array when it completed one followed for order only, else null
   * @throws ProtocolViolationException if no such transfer is in progress, or the chunk is out of
   *     order, past the end or declares another total
   */
  synchronized byte[] add(Kind kind, String docId, long total, long offset, byte[] chunk)
      throws ProtocolViolationException {
    Transfer t = map(kind).get(docId);
    String what = kind == Kind.PARTS ? "sync message part" : "snapshot chunk";
    if (t == null) {
      throw new ProtocolViolationException(what + " of " + docId + " without its first frame");
    }
    if (t.total != total || t.received != offset || chunk.length > total - offset) {
      throw new ProtocolViolationException(what + " of " + docId + " out of order");
    }
    t.received += chunk.length;
    if (t.keep && chunk.length > 0) {
      t.chunks.add(chunk);
    }
    if (t.received < t.total) {
      return null;
    }
    if (!t.keep) {
      end(t);
      return new byte[0];
    }
    byte[] all = new byte[(int) t.total];
    int at = 0;
    for (byte[] c : t.chunks) {
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    end(t);
    return all;
  }

  /**
   * Drops the snapshots of the spaces in {@code withdrawn} (their sender stopped offering them).
   */
  synchronized void dropSpaces(Set<SpaceId> withdrawn) {
    for (Transfer t : List.copyOf(snapshots.values())) {
      if (withdrawn.contains(t.space)) {
        end(t);
      }
    }
  }

  /** Ends every transfer and releases what they reserved (the session ended). */
  synchronized void clear() {
    for (Transfer t : List.copyOf(parts.values())) {
      end(t);
    }
    for (Transfer t : List.copyOf(snapshots.values())) {
      end(t);
    }
  }

  private void end(Transfer t) {
    if (map(t.kind).remove(t.docId, t) && t.keep) {
      reserved -= t.total;
      node.release(t.total);
      t.chunks.clear();
    }
  }

  int maxOf(Kind kind) {
    return kind == Kind.PARTS ? maxParts : maxSnapshots;
  }

  private Map<String, Transfer> map(Kind kind) {
    return kind == Kind.PARTS ? parts : snapshots;
  }
}
