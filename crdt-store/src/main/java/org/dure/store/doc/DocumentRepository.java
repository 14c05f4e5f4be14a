package org.dure.store.doc;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists Automerge documents: each commit's new changes are appended as one row, and from time to
 * time the document is compacted to a snapshot. Every method runs on the document's lane.
 */
final class DocumentRepository {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRepository.class);

  /**
   * Compaction: a document is saved as a new snapshot once the commits since the last one number at
   * least max(this, a quarter of the commits in the snapshot), so the work stays amortised O(1) per
   * commit however long the history grows (a snapshot costs O(document)).
   *
   * <p>A local edit does not pay for that: the document is marked and compacted when its lane is
   * idle and the document has not been edited for {@link #QUIET_NANOS} ({@link #compactIfDue}),
   * after the user's burst of typing (a lane is idle between two keystrokes; compacting there would
   * save a growing document several times in one burst). Only when the commits since the snapshot
   * reach as many as the snapshot holds (a long burst with no pause) does the edit compact at once,
   * which bounds what a reload has to replay to half the history.
   */
  static final long COMPACT_MIN_CHANGES = 64;

  /** How long a document must go without a local edit before an idle lane compacts it. */
  static final long QUIET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  /**
   * Also compact when the changes since the snapshot exceed max(this, 16 × the snapshot): a few
   * very large changes (pastes) cost a reload more than their number says. Not lower: a snapshot is
   * compressed to well under a byte per operation while a one-character change takes about 100
   * bytes, so a small bound would compact a typed page many times more often than the count rule
   * (with 4 MiB, the editing trace's 260,000 keystrokes were saved 16 times instead of 12, which
   * cost twice the time).
   */
  static final long COMPACT_MIN_BYTES = 32L * 1024 * 1024;

  private final DocumentStore db;

  /** This node's public key: the first 32 bytes of the actor id of every document it writes. */
  private final byte[] actorKey;

  /** The kinds of document, to know a stored one's. */
  private final DocumentKinds kinds;

  /** Where a load names the document it hands to native code (see {@link NativeLoads}). */
  private final NativeLoads loads;

  /** Told of the changes of every version persisted (see {@link ChangeObserver}). */
  private volatile ChangeObserver observer = ChangeObserver.NONE;

  DocumentRepository(DocumentStore db, byte[] actorKey, DocumentKinds kinds, NativeLoads loads) {
    this.db = db;
    this.kinds = kinds;
    this.loads = loads;
    this.actorKey = actorKey.clone();
  }

  /** Sets what is told of the changes of every version persisted from now on. */
  void observe(ChangeObserver observer) {
    this.observer = observer;
  }

  /**
   * A fresh actor id for a document instance this node writes with: the node's 32-byte Ed25519
   * public key and 8 random bytes, new for every loaded instance, so that (actor, seq) is never
   * reused, even after a crash lost changes the instance had made. Peers read the first 32 bytes as
   * the change's claimed author ({@link ClaimedAuthors}).
   */
  byte[] newActorId() {
    return ClaimedAuthors.actorId(actorKey);
  }

  /** Creates, commits and persists a new document. */
  LiveDocument create(
      String id,
      DocumentKind kind,
      String spaceId,
      Consumer<Transaction> init,
      CommitMeta meta,
      Sql.OnCommit extra) {
    LiveDocument live = new LiveDocument(id, kind, spaceId, new Document(newActorId()));
    db.transaction(
        d -> {
          PreparedStatement ps =
              d.statement("INSERT INTO documents(id, kind, space_id) VALUES (?, ?, ?)");
          ps.setString(1, id);
          ps.setString(2, kind.key());
          ps.setString(3, spaceId);
          ps.executeUpdate();
          return null;
        });
    commit(live, init, meta, extra);
    live.opsEstimate = kind.textLength(live.doc);
    return live;
  }

  /**
   * Applies {@code ops} as one Automerge commit and persists it with {@code meta}. Returns the new
   * sequence number, or empty when the operations changed nothing.
   */
  OptionalLong commit(
      LiveDocument live, Consumer<Transaction> ops, CommitMeta meta, Sql.OnCommit extra) {
    return commitAt(live, null, ops, meta, extra);
  }

  /**
   * Like {@link #commit}, but the operations see the document as it was at {@code at} (when not
   * null): positions refer to that version, and the change merges with everything since. Such a
   * change is made in a fork at {@code at} under a fresh actor id of this node (a native copy of
   * the document's history: for saves, not keystrokes).
   */
  OptionalLong commitAt(
      LiveDocument live,
      ChangeHash[] at,
      Consumer<Transaction> ops,
      CommitMeta meta,
      Sql.OnCommit extra) {
    return commitAt(live, at, ops, meta, extra, false);
  }

  /**
   * Commits an edit based on {@code at} (null: the current version) through the journal (see {@link
   * DocumentStore#appendEdit}): a keystroke's worth of editing does not wait for a SQLite
   * transaction, and the snapshot goes there too when it is time to compact.
   */
  OptionalLong commitJournalled(
      LiveDocument live, ChangeHash[] at, Consumer<Transaction> ops, CommitMeta meta) {
    return commitAt(live, at, ops, meta, Sql.OnCommit.NONE, true);
  }

  private OptionalLong commitAt(
      LiveDocument live,
      ChangeHash[] at,
      Consumer<Transaction> ops,
      CommitMeta meta,
      Sql.OnCommit extra,
      boolean journal) {
    ChangeHash[] before = live.heads;
    // A change on older heads is made in a fork at those heads, under a fresh actor id of this
    // node, and merged in. Automerge-Java 0.0.7's transaction at old heads on the document itself
    // writes under a derived actor id (which peers refuse as naming no author) whenever this actor
    // has changes past those heads, and may count text positions in the current text.
    Document fork = at == null ? null : live.doc.fork(at, newActorId());
    try {
      Transaction tx = fork == null ? live.doc.startTransaction() : fork.startTransaction();
      Optional<ChangeHash> hash;
      try {
        ops.accept(tx);
        hash = tx.commit();
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
      if (hash.isEmpty()) {
        return OptionalLong.empty();
      }
      if (fork != null) {
        live.doc.applyEncodedChanges(fork.encodeChangesSince(at));
      }
      // A local change depends on all the heads it was made on: made on the current ones, it is
      // the only head afterwards, and asking Automerge again would cost a native call per edit.
      ChangeHash[] after = at == null ? new ChangeHash[] {hash.get()} : live.doc.getHeads();
      return persistSince(live, before, after, meta, extra, journal);
    } finally {
      if (fork != null) {
        fork.free();
      }
    }
  }

  private OptionalLong persistSince(
      LiveDocument live,
      ChangeHash[] before,
      ChangeHash[] after,
      CommitMeta meta,
      Sql.OnCommit extra,
      boolean journal) {
    byte[] data = live.doc.encodeChangesSince(before);
    observer.persisting(live, data);
    long seq = live.lastSeq + 1;
    long newChangeBytes = live.changeBytes + data.length;
    byte[] snapshot = null;
    long since = seq - live.snapshotSeq;
    boolean due = since >= Math.max(COMPACT_MIN_CHANGES, live.snapshotSeq / 4);
    boolean urgent =
        since >= Math.max(COMPACT_MIN_CHANGES, live.snapshotSeq)
            || newChangeBytes > Math.max(COMPACT_MIN_BYTES, 16 * live.snapshotBytes);
    if (urgent || (due && !journal)) {
      snapshot = live.doc.save();
    } else if (due) {
      live.compactionDue = true;
    }
    byte[] snap = snapshot;
    if (journal) {
      try {
        db.appendEdit(
            new Journal.Entry(
                live.id,
                seq,
                data,
                Heads.sha256(data),
                Heads.encode(after),
                meta.author().map(Author::publicKey).orElse(null),
                meta.time().toEpochMilli(),
                meta.message().orElse(null)));
        if (snap != null) {
          // Written with the journalled edits, off this thread; the edit itself is safe already.
          db.appendSnapshot(live.id, new DocumentStore.Snapshot(seq, live.snapshotSeq, snap));
        }
      } catch (RuntimeException e) {
        live.stale = true; // memory holds a change the disk does not: reload on next use
        throw e;
      }
      live.lastSeq = seq;
      live.heads = after;
      live.lastLocalEditNanos = System.nanoTime();
      if (snap != null) {
        live.snapshotSeq = seq;
        live.snapshotBytes = snap.length;
        live.changeBytes = 0;
        live.compactionDue = false;
      } else {
        live.changeBytes = newChangeBytes;
      }
      return OptionalLong.of(seq);
    }
    // Changes from elsewhere (a peer): remember who their actors claim to be.
    List<byte[]> claimed = meta.author().isEmpty() ? ClaimedAuthors.of(data) : List.of();
    // This node's own change must be on the disk when it returns; a peer's is sent again if a
    // power loss takes it.
    Sql.Work<Void> write =
        d -> {
          PreparedStatement ins =
              d.statement(
                  "INSERT INTO changes(doc_id, seq, data, sha, heads, author, time, message)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
          ins.setString(1, live.id);
          ins.setLong(2, seq);
          ins.setBytes(3, data);
          ins.setBytes(4, Heads.sha256(data));
          ins.setBytes(5, Heads.encode(after));
          ins.setBytes(6, meta.author().map(Author::publicKey).orElse(null));
          ins.setLong(7, meta.time().toEpochMilli());
          ins.setString(8, meta.message().orElse(null));
          ins.executeUpdate();
          if (snap != null) {
            PreparedStatement up =
                d.statement(
                    "UPDATE documents SET snapshot = ?, snapshot_sha = ?, snapshot_seq = ?,"
                        + " last_seq = ?, change_bytes = 0 WHERE id = ?");
            up.setBytes(1, snap);
            up.setBytes(2, Heads.sha256(snap));
            up.setLong(3, seq);
            up.setLong(4, seq);
            up.setString(5, live.id);
            up.executeUpdate();
            PreparedStatement drop =
                d.statement(
                    "UPDATE changes SET data = NULL, sha = NULL WHERE doc_id = ? AND seq > ?"
                        + " AND seq <= ?");
            drop.setString(1, live.id);
            drop.setLong(2, live.snapshotSeq);
            drop.setLong(3, seq);
            drop.executeUpdate();
          } else {
            PreparedStatement up =
                d.statement(
                    "UPDATE documents SET last_seq = ?, change_bytes = change_bytes + ?"
                        + " WHERE id = ?");
            up.setLong(1, seq);
            up.setLong(2, data.length);
            up.setString(3, live.id);
            up.executeUpdate();
          }
          ClaimedAuthors.record(d, live.id, seq, claimed);
          extra.run(d, seq);
          return null;
        };
    try {
      if (meta.author().isPresent()) {
        db.transaction(write);
      } else {
        db.lazyTransaction(write);
      }
    } catch (RuntimeException e) {
      live.stale = true; // memory holds a change the disk does not: reload on next use
      throw e;
    }
    live.lastSeq = seq;
    live.heads = after;
    if (snap != null) {
      live.snapshotSeq = seq;
      live.snapshotBytes = snap.length;
      live.changeBytes = 0;
    } else {
      live.changeBytes = newChangeBytes;
    }
    return OptionalLong.of(seq);
  }

  /**
   * Compacts a document whose local edits made a snapshot due (see {@link #COMPACT_MIN_CHANGES})
   * once it has not been edited for {@link #QUIET_NANOS} (or the store is {@code closing}); runs on
   * its lane when the lane has nothing else to do. Returns whether it did anything.
   */
  boolean compactIfDue(LiveDocument live, boolean closing) {
    if (!live.compactionDue || live.stale) {
      return false;
    }
    if (!closing && System.nanoTime() - live.lastLocalEditNanos < QUIET_NANOS) {
      return false; // still being edited: a snapshot now would be outdated in a moment
    }
    live.compactionDue = false;
    byte[] snap = live.doc.save();
    db.appendSnapshot(live.id, new DocumentStore.Snapshot(live.lastSeq, live.snapshotSeq, snap));
    live.snapshotSeq = live.lastSeq;
    live.snapshotBytes = snap.length;
    live.changeBytes = 0;
    return true;
  }

  /**
   * Stores a document received whole (a snapshot from a peer, already checked) as version 1. {@code
   * extra} runs in the same transaction (e.g. to list the page or space). Not waiting for the disk:
   * a power loss may take it, and it is then asked for again (a space being joined is recorded
   * durably before its documents come).
   */
  LiveDocument importDocument(
      String id,
      DocumentKind kind,
      String spaceId,
      Document doc,
      CommitMeta meta,
      List<byte[]> actors,
      Sql.OnCommit extra) {
    byte[] snapshot = doc.save();
    ChangeHash[] heads = doc.getHeads();
    List<byte[]> claimed =
        meta.author().isPresent()
            ? List.of()
            : actors != null ? ClaimedAuthors.ofActors(actors) : ClaimedAuthors.of(snapshot);
    db.lazyTransaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT INTO documents(id, kind, space_id, snapshot, snapshot_sha, snapshot_seq,"
                      + " last_seq) VALUES (?, ?, ?, ?, ?, 1, 1)");
          ps.setString(1, id);
          ps.setString(2, kind.key());
          ps.setString(3, spaceId);
          ps.setBytes(4, snapshot);
          ps.setBytes(5, Heads.sha256(snapshot));
          ps.executeUpdate();
          PreparedStatement ins =
              d.statement(
                  "INSERT INTO changes(doc_id, seq, data, sha, heads, author, time, message)"
                      + " VALUES (?, 1, NULL, NULL, ?, ?, ?, ?)");
          ins.setString(1, id);
          ins.setBytes(2, Heads.encode(heads));
          ins.setBytes(3, meta.author().map(Author::publicKey).orElse(null));
          ins.setLong(4, meta.time().toEpochMilli());
          ins.setString(5, meta.message().orElse(null));
          ins.executeUpdate();
          ClaimedAuthors.record(d, id, 1, claimed);
          extra.run(d, 1);
          return null;
        });
    LiveDocument live = new LiveDocument(id, kind, spaceId, doc);
    live.snapshotSeq = 1;
    live.lastSeq = 1;
    live.snapshotBytes = snapshot.length;
    live.opsEstimate = kind.textLength(doc);
    return live;
  }

  /**
   * Persists changes that reached the document other than through {@link #commit} (a merge or
   * sync), as one version without an author. Returns empty if the heads did not move.
   */
  OptionalLong persistExternal(LiveDocument live, CommitMeta meta, Sql.OnCommit extra) {
    live.forgetContent();
    ChangeHash[] before = live.heads;
    ChangeHash[] after = live.doc.getHeads();
    if (Arrays.equals(before, after)) {
      return OptionalLong.empty();
    }
    return persistSince(live, before, after, meta, extra, false);
  }

  /** The heads stored with version {@code seq} of a document, or null if there is none. */
  ChangeHash[] headsOf(String id, long seq) {
    byte[] heads =
        db.read(
            d -> {
              PreparedStatement ps =
                  d.statement("SELECT heads FROM changes WHERE doc_id = ? AND seq = ?");
              ps.setString(1, id);
              ps.setLong(2, seq);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
              }
            });
    return heads == null ? null : Heads.decode(heads);
  }

  /**
   * Loads a stored document, or quarantines it and throws if it cannot be loaded. While native code
   * works on its bytes, an in-flight record names it: if that crashes the process, the next start
   * marks it damaged instead of crashing on it again.
   */
  LiveDocument load(String id) {
    record Row(
        String kind,
        String spaceId,
        byte[] snapshot,
        byte[] snapshotSha,
        long snapshotSeq,
        long lastSeq,
        String damaged) {}
    Row row =
        db.read(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "SELECT kind, space_id, snapshot, snapshot_sha, snapshot_seq, last_seq,"
                          + " damaged FROM documents WHERE id = ?");
              ps.setString(1, id);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return null;
                }
                return new Row(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getBytes(3),
                    rs.getBytes(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getString(7));
              }
            });
    if (row == null) {
      throw new NoSuchElementException("No document " + id);
    }
    if (row.damaged() != null) {
      throw new DamagedDocumentException(id, row.damaged());
    }
    List<byte[]> changes = new ArrayList<>();
    String problem =
        db.read(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "SELECT seq, data, sha FROM changes WHERE doc_id = ? AND seq > ?"
                          + " ORDER BY seq");
              ps.setString(1, id);
              ps.setLong(2, row.snapshotSeq());
              long expect = row.snapshotSeq() + 1;
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  long seq = rs.getLong(1);
                  byte[] data = rs.getBytes(2);
                  if (seq != expect || data == null) {
                    return "change " + expect + " is missing";
                  }
                  if (!Arrays.equals(Heads.sha256(data), rs.getBytes(3))) {
                    return "change " + seq + " fails its checksum";
                  }
                  changes.add(data);
                  expect++;
                }
              }
              if (expect != row.lastSeq() + 1) {
                return "changes after " + (expect - 1) + " are missing";
              }
              return null;
            });
    if (problem == null
        && row.snapshot() != null
        && !Arrays.equals(Heads.sha256(row.snapshot()), row.snapshotSha())) {
      problem = "the snapshot fails its checksum";
    }
    if (problem != null) {
      throw quarantine(id, problem);
    }
    // Only bytes this store wrote and whose checksums match reach native code here.
    Document doc = null;
    Runnable loaded = loads.loading(id);
    try {
      // Write as this node (see newActorId). Document.load would give a random actor, and a
      // fork(actor) after it costs 50-75% of the load again (a copy of the whole document); an
      // empty document with the actor loads the same snapshot through applyEncodedChanges at the
      // cost of a load. These are this store's own bytes, checked against their checksums.
      doc = new Document(newActorId());
      if (row.snapshot() != null) {
        doc.applyEncodedChanges(row.snapshot());
      }
      if (!changes.isEmpty()) {
        // One call for all of them: applying change by change is much slower for long histories.
        ByteBuffer all = ByteBuffer.allocate(changes.stream().mapToInt(c -> c.length).sum());
        changes.forEach(all::put);
        doc.applyEncodedChanges(all.array());
      }
    } catch (RuntimeException e) {
      if (doc != null) {
        doc.free();
      }
      throw quarantine(id, "Automerge could not load it (" + e.getMessage() + ")");
    } finally {
      loaded.run();
    }
    LiveDocument live = new LiveDocument(id, kinds.of(row.kind()), row.spaceId(), doc);
    live.snapshotSeq = row.snapshotSeq();
    live.lastSeq = row.lastSeq();
    live.snapshotBytes = row.snapshot() == null ? 0 : row.snapshot().length;
    live.changeBytes = changes.stream().mapToLong(c -> c.length).sum();
    live.opsEstimate = live.kind.textLength(doc);
    return live;
  }

  /**
   * A stored document's bytes as {@link #load} hands them to native code: its snapshot and the
   * changes after it; null if it is not stored (or damaged).
   */
  byte[] storedBytes(String id) {
    return db.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT snapshot, snapshot_seq FROM documents WHERE id = ? AND damaged IS NULL");
          ps.setString(1, id);
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          long since;
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return null;
            }
            byte[] snapshot = rs.getBytes(1);
            if (snapshot != null) {
              out.writeBytes(snapshot);
            }
            since = rs.getLong(2);
          }
          PreparedStatement changes =
              d.statement(
                  "SELECT data FROM changes WHERE doc_id = ? AND seq > ? AND data IS NOT NULL"
                      + " ORDER BY seq");
          changes.setString(1, id);
          changes.setLong(2, since);
          try (ResultSet rs = changes.executeQuery()) {
            while (rs.next()) {
              out.writeBytes(rs.getBytes(1));
            }
          }
          return out.toByteArray();
        });
  }

  /** Marks a stored document damaged (see {@link DamagedDocumentException}). */
  void markDamaged(String id, String reason) {
    quarantine(id, reason);
  }

  private DamagedDocumentException quarantine(String id, String reason) {
    LOG.warn("Quarantining document {}: {}", id, reason);
    db.transaction(
        d -> {
          PreparedStatement ps = d.statement("UPDATE documents SET damaged = ? WHERE id = ?");
          ps.setString(1, reason);
          ps.setString(2, id);
          ps.executeUpdate();
          return null;
        });
    return new DamagedDocumentException(id, reason);
  }
}
