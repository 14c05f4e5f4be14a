package org.dure.store.social;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;

/**
 * Friends: contacts kept on this computer only (never synced), each a peer ID with a petname the
 * user chose, when it was added and when it was last seen connected.
 */
public final class Friends {
  /** The longest petname. */
  public static final int MAX_PETNAME = 64;

  /** At most this many friends. */
  public static final int MAX_FRIENDS = 10_000;

  /** A friend. {@code lastSeen} is empty if never seen connected. */
  public record Friend(PeerId peerId, String petname, Instant added, Optional<Instant> lastSeen) {}

  private final Documents docs;

  public Friends(Documents docs) {
    this.docs = docs;
  }

  /**
   * Adds a friend, or leaves an existing one as it is. A blank petname becomes the short form of
   * the peer ID.
   *
   * @return whether the friend is new
   * @throws IllegalArgumentException for this node itself, or a petname that is too long
   */
  public boolean add(PeerId peerId, String petname) {
    if (peerId.equals(docs.identity().peerId())) {
      throw new IllegalArgumentException("That is this computer's own peer ID.");
    }
    String id = peerId.toString();
    String name = petname(petname, peerId);
    long now = docs.now().toEpochMilli();
    return docs.transaction(
        d -> {
          try (ResultSet rs = d.statement("SELECT COUNT(*) FROM friends").executeQuery()) {
            if (rs.next() && rs.getInt(1) >= MAX_FRIENDS) {
              throw new IllegalArgumentException(
                  "You have " + MAX_FRIENDS + " friends already; remove some first.");
            }
          }
          PreparedStatement ps =
              d.statement("INSERT OR IGNORE INTO friends(peer, petname, added) VALUES (?, ?, ?)");
          ps.setString(1, id);
          ps.setString(2, name);
          ps.setLong(3, now);
          return ps.executeUpdate() == 1;
        });
  }

  /** Adds {@code peerId} as a friend if it is not one (e.g. after an invite); not this node. */
  public void addQuietly(PeerId peerId) {
    try {
      add(peerId, "");
    } catch (IllegalArgumentException e) {
      // this node: nothing to add
    }
  }

  private static String petname(String petname, PeerId peerId) {
    String name = petname == null ? "" : petname.strip();
    if (name.codePointCount(0, name.length()) > MAX_PETNAME) {
      throw new IllegalArgumentException("A petname has at most " + MAX_PETNAME + " characters.");
    }
    return name.isEmpty() ? shortId(peerId) : name;
  }

  /** The short form of a peer ID: its last 8 characters. */
  public static String shortId(PeerId peerId) {
    String id = peerId.toString();
    return id.length() > 8 ? "…" + id.substring(id.length() - 8) : id;
  }

  /**
   * Renames a friend.
   *
   * @throws IllegalArgumentException for a petname that is too long
   * @throws java.util.NoSuchElementException if {@code peerId} is not a friend
   */
  public void rename(PeerId peerId, String petname) {
    String name = petname(petname, peerId);
    int n =
        docs.transaction(
            d -> {
              PreparedStatement ps = d.statement("UPDATE friends SET petname = ? WHERE peer = ?");
              ps.setString(1, name);
              ps.setString(2, peerId.toString());
              return ps.executeUpdate();
            });
    if (n == 0) {
      throw new java.util.NoSuchElementException("Not a friend: " + peerId);
    }
  }

  /** Removes a friend; returns whether it was one. */
  public boolean remove(PeerId peerId) {
    return docs.transaction(
        d -> {
          PreparedStatement ps = d.statement("DELETE FROM friends WHERE peer = ?");
          ps.setString(1, peerId.toString());
          return ps.executeUpdate() == 1;
        });
  }

  /** Notes that {@code peerId} was connected at {@code time} (nothing if it is not a friend). */
  public void seen(PeerId peerId, Instant time) {
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "UPDATE friends SET last_seen = MAX(COALESCE(last_seen, 0), ?)"
                      + " WHERE peer = ?");
          ps.setLong(1, time.toEpochMilli());
          ps.setString(2, peerId.toString());
          return ps.executeUpdate();
        });
  }

  /** Every friend, by petname. */
  public List<Friend> list() {
    return docs.read(
        d -> {
          List<Friend> out = new ArrayList<>();
          try (ResultSet rs =
              d.statement(
                      "SELECT peer, petname, added, last_seen FROM friends"
                          + " ORDER BY petname COLLATE NOCASE, peer")
                  .executeQuery()) {
            while (rs.next()) {
              long seen = rs.getLong(4);
              boolean never = rs.wasNull();
              out.add(
                  new Friend(
                      PeerId.parseBase58(rs.getString(1)), // written by add, from a PeerId
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3)),
                      never ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen))));
            }
          }
          return out;
        });
  }

  /** The friend with this peer ID, if it is one. */
  public Optional<Friend> find(PeerId peerId) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement("SELECT petname, added, last_seen FROM friends WHERE peer = ?");
          ps.setString(1, peerId.toString());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            long seen = rs.getLong(3);
            boolean never = rs.wasNull();
            return Optional.of(
                new Friend(
                    peerId,
                    rs.getString(1),
                    Instant.ofEpochMilli(rs.getLong(2)),
                    never ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen))));
          }
        });
  }
}
