package org.dure.store.moderation;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Heads;
import org.dure.store.social.Friends;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Memberships;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * Invitations to spaces. The inviter keeps only a hash of each invite's secret; the secret itself
 * travels in the invite link. Redeeming an invite (once, before it expires) adds the redeeming peer
 * to the space's membership with the invite's role. The invitee records which spaces it asked to
 * join from whom, so that it accepts those spaces when the inviter offers them.
 */
public final class Invites {
  /** The longest an invite may stay valid. */
  public static final Duration MAX_VALIDITY = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** An invite just made: the secret to put in the link. */
  public record Created(SpaceId space, Role role, byte[] secret, Instant expires) {}

  private final Documents docs;
  private final Memberships memberships;
  private final Friends friends;

  public Invites(Documents docs, Memberships memberships, Friends friends) {
    this.docs = docs;
    this.memberships = memberships;
    this.friends = friends;
  }

  /**
   * Makes a single-use invite to {@code space} with {@code role}, valid for {@code validity}.
   *
   * @throws IllegalArgumentException for the owner role or a validity beyond {@link #MAX_VALIDITY}
   */
  public Created create(SpaceId space, Role role, Duration validity) {
    if (role == Role.OWNER) {
      throw new IllegalArgumentException("An invite cannot make someone the owner");
    }
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new IllegalArgumentException("An invite is valid for up to 30 days");
    }
    memberships.of(space); // the space exists and has its membership here
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Instant now = docs.now();
    Instant expires = now.plus(validity);
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT INTO invites(secret_sha, space_id, role, created, expires)"
                      + " VALUES (?, ?, ?, ?, ?)");
          ps.setBytes(1, Heads.sha256(secret));
          ps.setString(2, space.value());
          ps.setString(3, role.key());
          ps.setLong(4, now.toEpochMilli());
          ps.setLong(5, expires.toEpochMilli());
          ps.executeUpdate();
          return null;
        });
    return new Created(space, role, secret.clone(), expires);
  }

  /**
   * Redeems the invite with {@code secret} for {@code space} on behalf of {@code peerId} (the
   * authenticated remote peer): marks it used and adds the peer as a member.
   *
   * @return the membership afterwards, or empty if there is no such unused, unexpired invite
   */
  public Optional<Membership> redeem(SpaceId space, byte[] secret, PeerId peerId) {
    String peer = peerId.toString();
    if (memberships.isBanned(space, peerId)) {
      return Optional.empty(); // refused, and the invite stays unused
    }
    byte[] sha = Heads.sha256(secret);
    long now = docs.now().toEpochMilli();
    Optional<Role> role =
        docs.transaction(
            d -> {
              PreparedStatement q =
                  d.statement(
                      "SELECT role FROM invites WHERE secret_sha = ? AND space_id = ?"
                          + " AND used_by IS NULL AND expires > ?");
              q.setBytes(1, sha);
              q.setString(2, space.value());
              q.setLong(3, now);
              String r;
              try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                  return Optional.<Role>empty();
                }
                r = rs.getString(1);
              }
              PreparedStatement up =
                  d.statement("UPDATE invites SET used_by = ?, used_at = ? WHERE secret_sha = ?");
              up.setString(1, peer);
              up.setLong(2, now);
              up.setBytes(3, sha);
              up.executeUpdate();
              return Role.ofKey(r);
            });
    if (role.isEmpty()) {
      return Optional.empty();
    }
    friends.addQuietly(peerId); // someone joined through my invite
    Membership m = memberships.of(space);
    if (m.owner().equals(peerId)) {
      return Optional.of(m);
    }
    Optional<Role> current = m.roleOf(peerId);
    if (current.isPresent() && current.get().ordinal() <= role.get().ordinal()) {
      return Optional.of(m); // already a member with this role or a stronger one
    }
    return Optional.of(memberships.add(space, peerId, role.get()));
  }

  /**
   * Records that the user asked to join {@code space} through {@code inviter}'s invite (stored as
   * its base58 text).
   */
  public void join(SpaceId space, PeerId inviter) {
    String peer = inviter.toString();
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR REPLACE INTO joined_spaces(space_id, peer, time) VALUES (?, ?, ?)");
          ps.setString(1, space.value());
          ps.setString(2, peer);
          ps.setLong(3, docs.now().toEpochMilli());
          ps.executeUpdate();
          return null;
        });
    friends.addQuietly(inviter); // the inviter
  }

  /** Whether the user asked to join {@code space} through {@code peer}. */
  public boolean joined(SpaceId space, PeerId peer) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement("SELECT 1 FROM joined_spaces WHERE space_id = ? AND peer = ?");
          ps.setString(1, space.value());
          ps.setString(2, peer.toString());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  /**
   * The peers whose invites the user accepted: worth reconnecting to even before the space's
   * membership (which lists them) has arrived.
   */
  public java.util.Set<PeerId> inviters() {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT DISTINCT peer FROM joined_spaces");
          java.util.Set<PeerId> out = new java.util.LinkedHashSet<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(PeerId.parseBase58(rs.getString(1))); // written by join, from a PeerId
            }
          }
          return out;
        });
  }
}
