package org.dure.store.sync;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.store.doc.Documents;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What crashed or failed native code, refused on sight before any native call: inputs by the
 * SHA-256 of their bytes ({@code quarantined_inputs}), and the changes that crashed it by change
 * hash ({@code quarantined_changes}), so that the same change relayed inside another message is
 * refused too.
 *
 * <p>A refusal penalises the sender only if it is the peer blamed for the input: anyone else may be
 * an honest member relaying what it received, and is told no without being counted against. A
 * snapshot does not list its changes' hashes (a document chunk stores only its heads), so a
 * snapshot is refused if one of its heads is a quarantined change or if it holds a change with a
 * quarantined change's actor and seq (the validator sees every change's actor and seq). The second
 * rule can also refuse a document whose change with that actor and seq differs from the quarantined
 * one: only an actor that made two different changes with one seq, which Automerge never does, can
 * cause that.
 */
final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

  /** A quarantined change: its actor and seq, and whom it was blamed on. */
  private record Held(byte[] actor, long seq, String peer, String docId) {}

  private final Documents db;
  private final Clock clock;
  private final Map<ByteBuffer, Held> changes = new ConcurrentHashMap<>();

  Quarantine(Documents db, Clock clock) {
    this.db = db;
    this.clock = clock;
    db.read(
        d -> {
          try (ResultSet rs =
              d.statement("SELECT hash, actor, seq, peer, doc_id FROM quarantined_changes")
                  .executeQuery()) {
            while (rs.next()) {
              changes.put(
                  ByteBuffer.wrap(rs.getBytes(1)),
                  new Held(rs.getBytes(2), rs.getLong(3), rs.getString(4), rs.getString(5)));
            }
          }
          return null;
        });
  }

  /**
   * Refuses input whose bytes are quarantined.
   *
   * @throws PeerDataException if they are (penalised only if {@code peer} is the one blamed)
   */
  void refuseInput(String peer, String docId, byte[] sha, String what) throws PeerDataException {
    String blamed =
        db.read(
            d -> {
              PreparedStatement ps =
                  d.statement("SELECT peer FROM quarantined_inputs WHERE sha = ?");
              ps.setBytes(1, sha);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
              }
            });
    if (blamed != null) {
      throw refusal(
          peer,
          blamed,
          what + " for " + docId,
          "This input is quarantined: it crashed or failed native code before");
    }
  }

  /**
   * Refuses input that carries a quarantined change ({@code arriving}: the changes the validator
   * read in it).
   *
   * @throws PeerDataException if it does (penalised only if {@code peer} is the one blamed)
   */
  void refuseChanges(String peer, String docId, String what, List<ChangeHeader> arriving)
      throws PeerDataException {
    if (changes.isEmpty()) {
      return;
    }
    for (ChangeHeader c : arriving) {
      Held h = changes.get(ByteBuffer.wrap(c.hash()));
      if (h != null) {
        throw refusal(peer, h.peer(), what + " for " + docId, carries(c.hash(), h));
      }
    }
  }

  /**
   * Refuses a snapshot that holds a quarantined change ({@code snapshot}: the validator's context
   * of it, see the class comment).
   *
   * @throws PeerDataException if it does (penalised only if {@code peer} is the one blamed)
   */
  void refuseSnapshot(String peer, String docId, DocumentContext snapshot)
      throws PeerDataException {
    for (Map.Entry<ByteBuffer, Held> e : changes.entrySet()) {
      Held h = e.getValue();
      byte[] hash = e.getKey().array();
      if (snapshot.knows(hash) || snapshot.lastSeq(h.actor()) >= h.seq()) {
        throw refusal(peer, h.peer(), "a snapshot for " + docId, carries(hash, h));
      }
    }
  }

  private static String carries(byte[] hash, Held h) {
    return "It holds change "
        + HexFormat.of().formatHex(hash, 0, 8)
        + "… (seq "
        + h.seq()
        + "), quarantined after it crashed Dure";
  }

  private static PeerDataException refusal(String peer, String blamed, String what, String why) {
    boolean original = peer.equals(blamed);
    if (original) {
      LOG.warn("Refused {} from {} (rule: quarantine): {}; it sent it first", what, peer, why);
    } else {
      LOG.info(
          "Refused {} from {} (rule: quarantine): {}; not penalised, it may be relaying what {}"
              + " sent",
          what,
          peer,
          why,
          blamed);
    }
    return new PeerDataException(why, original);
  }

  /** Records {@code sha} as a harmful input from {@code peer} so it is refused on sight. */
  void quarantineInput(byte[] sha, String peer, String docId, String what, String reason) {
    db.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR REPLACE INTO quarantined_inputs(sha, peer, doc_id, what, reason,"
                      + " time) VALUES (?, ?, ?, ?, ?, ?)");
          ps.setBytes(1, sha);
          ps.setString(2, peer);
          ps.setString(3, docId);
          ps.setString(4, what);
          ps.setString(5, reason);
          ps.setLong(6, clock.millis());
          ps.executeUpdate();
          return null;
        });
  }

  /** Records changes that crashed native code, blamed on {@code peer}, so they are refused. */
  void quarantineChanges(List<InflightLog.ChangeId> ids, String peer, String docId, String reason) {
    if (ids.isEmpty()) {
      return;
    }
    db.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR IGNORE INTO quarantined_changes(hash, actor, seq, peer, doc_id,"
                      + " reason, time) VALUES (?, ?, ?, ?, ?, ?, ?)");
          for (InflightLog.ChangeId c : ids) {
            ps.setBytes(1, c.hash());
            ps.setBytes(2, c.actor());
            ps.setLong(3, c.seq());
            ps.setString(4, peer);
            ps.setString(5, docId);
            ps.setString(6, reason);
            ps.setLong(7, clock.millis());
            ps.executeUpdate();
          }
          return null;
        });
    for (InflightLog.ChangeId c : ids) {
      changes.putIfAbsent(ByteBuffer.wrap(c.hash()), new Held(c.actor(), c.seq(), peer, docId));
    }
  }

  /** Number of quarantined changes (for tests and diagnostics). */
  int changeCount() {
    return changes.size();
  }
}
