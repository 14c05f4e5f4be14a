package org.dure.store.moderation;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;
import org.dure.store.wiki.SpaceId;

/**
 * What this computer does for others, as stored: the per-peer usage ledger (bytes in and out,
 * connections), the user's resource settings (key = value; the moderation module gives them
 * meaning), and the bytes held of each space. Thread-safe (every call is one database transaction).
 */
public final class UsageTables {
  /** Longest settings key or value stored. */
  public static final int MAX_SETTING_LENGTH = 256;

  /** One peer's totals. */
  public record PeerTotals(
      PeerId peer,
      long bytesIn,
      long bytesOut,
      long connections,
      Instant firstSeen,
      Instant lastSeen) {}

  /** Bytes and connections to add to a peer's totals. */
  public record Delta(long bytesIn, long bytesOut, long connections) {
    public Delta {
      if (bytesIn < 0 || bytesOut < 0 || connections < 0) {
        throw new IllegalArgumentException("usage deltas are not negative");
      }
    }

    public boolean isEmpty() {
      return bytesIn == 0 && bytesOut == 0 && connections == 0;
    }
  }

  private final Documents docs;

  public UsageTables(Documents docs) {
    this.docs = docs;
  }

  /** Every peer's totals, by peer ID (a row whose peer is not a peer ID is left out). */
  public Map<PeerId, PeerTotals> ledger() {
    return docs.read(
        d -> {
          Map<PeerId, PeerTotals> out = new TreeMap<>();
          try (ResultSet rs =
              d.statement(
                      "SELECT peer, bytes_in, bytes_out, connections, first_seen, last_seen"
                          + " FROM peer_usage")
                  .executeQuery()) {
            while (rs.next()) {
              PeerId peer;
              try {
                peer = PeerId.parse(rs.getString(1));
              } catch (RuntimeException e) {
                continue;
              }
              out.put(
                  peer,
                  new PeerTotals(
                      peer,
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      Instant.ofEpochMilli(rs.getLong(5)),
                      Instant.ofEpochMilli(rs.getLong(6))));
            }
          }
          return out;
        });
  }

  /** Adds {@code deltas} (by peer ID) to the ledger in one transaction, seen at {@code now}. */
  public void add(Map<PeerId, Delta> deltas, Instant now) {
    if (deltas.values().stream().allMatch(Delta::isEmpty)) {
      return;
    }
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT INTO peer_usage(peer, bytes_in, bytes_out, connections, first_seen,"
                      + " last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(peer) DO UPDATE SET"
                      + " bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out +"
                      + " excluded.bytes_out, connections = connections + excluded.connections,"
                      + " last_seen = excluded.last_seen");
          for (Map.Entry<PeerId, Delta> e : deltas.entrySet()) {
            Delta x = e.getValue();
            if (x.isEmpty()) {
              continue;
            }
            ps.setString(1, e.getKey().toString());
            ps.setLong(2, x.bytesIn());
            ps.setLong(3, x.bytesOut());
            ps.setLong(4, x.connections());
            ps.setLong(5, now.toEpochMilli());
            ps.setLong(6, now.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The stored resource settings. */
  public Map<String, String> settings() {
    return docs.read(
        d -> {
          Map<String, String> out = new LinkedHashMap<>();
          try (ResultSet rs =
              d.statement("SELECT key, value FROM resource_settings ORDER BY key").executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getString(2));
            }
          }
          return out;
        });
  }

  /** Replaces the stored resource settings with {@code values}. */
  public void saveSettings(Map<String, String> values) {
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().length() > MAX_SETTING_LENGTH || e.getValue().length() > MAX_SETTING_LENGTH) {
        throw new IllegalArgumentException("setting too long: " + e.getKey());
      }
    }
    docs.transaction(
        d -> {
          d.statement("DELETE FROM resource_settings").executeUpdate();
          PreparedStatement ps =
              d.statement("INSERT INTO resource_settings(key, value) VALUES (?, ?)");
          for (Map.Entry<String, String> e : values.entrySet()) {
            ps.setString(1, e.getKey());
            ps.setString(2, e.getValue());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Bytes stored for each space held here (snapshots plus changes since), by space id. Edits still
   * in the journal count once they reach the database (within a tenth of a second).
   */
  public Map<SpaceId, Long> bytesBySpace() {
    return docs.read(
        d -> {
          Map<SpaceId, Long> out = new TreeMap<>(java.util.Comparator.comparing(SpaceId::value));
          try (ResultSet rs =
              d.statement(
                      "SELECT space_id, COALESCE(SUM(LENGTH(snapshot)), 0) +"
                          + " COALESCE(SUM(change_bytes), 0) FROM documents GROUP BY space_id")
                  .executeQuery()) {
            while (rs.next()) {
              out.put(new SpaceId(rs.getString(1)), rs.getLong(2));
            }
          }
          return out;
        });
  }
}
