package org.dure.store.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.automerge.SyncState;
import org.dure.store.doc.Documents;
import org.dure.store.doc.LiveDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync sessions with peers (one per connection) and the Automerge sync state per (peer, document):
 * kept in memory for the peer's current session, persisted in table {@code sync_states} so that a
 * reconnect exchanges only what changed.
 *
 * <p>The states are kept here, not with the document, so that a document leaving the memory cache
 * (a large one can be evicted after every use) does not take them along: reloaded from disk, a
 * state keeps only the shared heads and forgets what the peer said it has and needs, so the next
 * message carries no changes and the two sides could settle, idle, with a change never sent. Each
 * state is used only on its document's lane.
 */
final class SyncSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSessions.class);

  /** An Automerge sync state and the session it belongs to. */
  private record PeerSyncState(long session, SyncState state) {}

  private final Documents docs;
  private final ConcurrentHashMap<String, Long> sessions = new ConcurrentHashMap<>();

  /** Sync states by "peer/document". */
  private final ConcurrentHashMap<String, PeerSyncState> syncStates = new ConcurrentHashMap<>();

  private final AtomicLong sessionCounter = new AtomicLong();

  SyncSessions(Documents docs) {
    this.docs = docs;
  }

  /**
   * Starts a new sync session with {@code peer} (a new connection): sync states are taken from what
   * was persisted, as Automerge requires after a reconnect.
   */
  long start(String peer) {
    long session = sessionCounter.incrementAndGet();
    sessions.put(peer, session);
    return session;
  }

  /**
   * Ends sync session {@code session} with {@code peer} (its connection closed): the Automerge sync
   * states it held in memory are freed (what was agreed is kept in the database for the next
   * session), and calls still made with its token do nothing. Each state is freed on its document's
   * lane, after any task of the session still queued there.
   */
  void end(String peer, long session) {
    sessions.remove(peer, session);
    String prefix = peer + "/";
    docs.onEveryLane(
        lane -> {
          var it = syncStates.entrySet().iterator();
          while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().startsWith(prefix)
                && e.getValue().session() == session
                && docs.laneIndexOf(e.getKey().substring(prefix.length())) == lane) {
              it.remove();
              e.getValue().state().free();
            }
          }
        });
  }

  /** Number of sync states held in memory (for tests and diagnostics). */
  int held() {
    return syncStates.size();
  }

  /**
   * Whether {@code session} is {@code peer}'s current one. A session that ended may still have a
   * thread finishing a call; it must not touch the sync state of the session that replaced it
   * (generating a message marks its changes as sent, and the new session would then wait for a
   * reply to a message that went nowhere).
   */
  boolean isCurrent(String peer, long session) {
    Long now = sessions.get(peer);
    return now != null && now == session;
  }

  /** The peer's current session, started if it has none. */
  long current(String peer) {
    return sessions.computeIfAbsent(peer, p -> sessionCounter.incrementAndGet());
  }

  /** The sync state of {@code live} with {@code peer} in {@code session} (on its lane). */
  SyncState state(LiveDocument live, String peer, long session) {
    String key = peer + "/" + live.id();
    PeerSyncState held = syncStates.get(key);
    if (held != null && held.session() == session) {
      return held.state();
    }
    if (held != null) {
      held.state().free();
    }
    byte[] saved =
        docs.read(
            d -> {
              PreparedStatement ps =
                  d.statement("SELECT state FROM sync_states WHERE peer = ? AND doc_id = ?");
              ps.setString(1, peer);
              ps.setString(2, live.id());
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
              }
            });
    SyncState st;
    if (saved == null) {
      st = new SyncState();
    } else {
      try {
        // Written by this store from Automerge's own encoding.
        st = SyncState.decode(saved);
      } catch (RuntimeException e) {
        LOG.warn("Stored sync state of {} for {} unreadable; starting afresh", live.id(), peer, e);
        st = new SyncState();
      }
    }
    syncStates.put(key, new PeerSyncState(session, st));
    return st;
  }

  /** Persists what was agreed with {@code peer} about {@code docId}. */
  void save(String peer, String docId, SyncState st) {
    byte[] bytes = st.encode();
    docs.lazyTransaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT INTO sync_states(peer, doc_id, state) VALUES (?, ?, ?)"
                      + " ON CONFLICT(peer, doc_id) DO UPDATE SET state = excluded.state");
          ps.setString(1, peer);
          ps.setString(2, docId);
          ps.setBytes(3, bytes);
          ps.executeUpdate();
          return null;
        });
  }

  /** Forgets what was agreed with {@code peer} about every document (a full resync next time). */
  void forget(String peer) {
    start(peer);
    docs.transaction(
        d -> {
          PreparedStatement ps = d.statement("DELETE FROM sync_states WHERE peer = ?");
          ps.setString(1, peer);
          ps.executeUpdate();
          return null;
        });
  }
}
