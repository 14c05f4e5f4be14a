package org.dure.store.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;

/**
 * Peers whose input this node refuses (table {@code blocked_peers}): the network refuses their
 * connections. Blocked by the user, or by the store after a peer's input crashed native code
 * ({@link CrashRecovery}).
 */
public final class BlockedPeers {
  private final Documents docs;
  private final Clock clock;

  public BlockedPeers(Documents docs, Clock clock) {
    this.docs = docs;
    this.clock = clock;
  }

  /** Refuses further input from {@code peer} (its connections are refused by the network). */
  public void block(PeerId peer, String reason) {
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR REPLACE INTO blocked_peers(peer, reason, time) VALUES (?, ?, ?)");
          ps.setString(1, peer.toString());
          ps.setString(2, reason);
          ps.setLong(3, clock.millis());
          ps.executeUpdate();
          return null;
        });
  }

  /** Takes {@code peer} off the list. */
  public void unblock(PeerId peer) {
    docs.transaction(
        d -> {
          PreparedStatement ps = d.statement("DELETE FROM blocked_peers WHERE peer = ?");
          ps.setString(1, peer.toString());
          ps.executeUpdate();
          return null;
        });
  }

  /** Blocked peers and why. */
  public Map<PeerId, String> all() {
    return docs.read(
        d -> {
          Map<PeerId, String> out = new TreeMap<>(Comparator.comparing(PeerId::toString));
          try (ResultSet rs =
              d.statement("SELECT peer, reason FROM blocked_peers").executeQuery()) {
            while (rs.next()) {
              // Written by block alone, from a PeerId.
              out.put(PeerId.parseBase58(rs.getString(1)), rs.getString(2));
            }
          }
          return out;
        });
  }
}
