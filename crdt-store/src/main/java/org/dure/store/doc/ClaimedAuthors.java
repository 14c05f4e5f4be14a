package org.dure.store.doc;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dure.store.format.AutomergeFormat;
import org.dure.store.format.InvalidAutomergeDataException;
import org.dure.store.format.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who changes from a peer <em>claim</em> to be by. Every Dure node writes with an Automerge actor
 * id of its 32-byte Ed25519 public key followed by 8 random bytes, so the first 32 bytes of a
 * 40-byte actor name the author. Nothing proves it: any peer can write with any actor id, so this
 * is shown as a claim until changes are signed (issue 5).
 */
public final class ClaimedAuthors {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimedAuthors.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The length of an actor id written by Dure: public key and random suffix. */
  public static final int ACTOR_ID_BYTES = 40;

  /** Distinct authors recorded for one version at most (a snapshot may hold many). */
  static final int MAX_PER_VERSION = 64;

  private ClaimedAuthors() {}

  /** A fresh actor id for {@code publicKey} (32 bytes) and 8 random bytes. */
  public static byte[] actorId(byte[] publicKey) {
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("An Ed25519 public key has 32 bytes");
    }
    byte[] actor = Arrays.copyOf(publicKey, ACTOR_ID_BYTES);
    byte[] suffix = new byte[ACTOR_ID_BYTES - 32];
    RANDOM.nextBytes(suffix);
    System.arraycopy(suffix, 0, actor, 32, suffix.length);
    return actor;
  }

  /** The claimed author of an actor id, or null if the actor is not of Dure's form. */
  static byte[] authorOf(byte[] actor) {
    return actor.length == ACTOR_ID_BYTES ? Arrays.copyOf(actor, 32) : null;
  }

  /**
   * The distinct claimed authors of the changes in {@code bytes} (change chunks or a saved
   * document), in order of first appearance, at most {@link #MAX_PER_VERSION}. Bytes that do not
   * parse give none (they come from this node's own Automerge, after validation).
   */
  static List<byte[]> of(byte[] bytes) {
    List<byte[]> actors;
    try {
      actors = AutomergeFormat.changeActors(bytes, Limits.defaults());
    } catch (InvalidAutomergeDataException e) {
      LOG.warn("Cannot read the actors of changes: {}", e.getMessage());
      return List.of();
    }
    return ofActors(actors);
  }

  /**
   * The distinct claimed authors of changes by {@code actors}, in order of first appearance, at
   * most {@link #MAX_PER_VERSION}.
   */
  static List<byte[]> ofActors(Iterable<byte[]> actors) {
    Set<ByteBuffer> seen = new LinkedHashSet<>();
    for (byte[] actor : actors) {
      byte[] key = authorOf(actor);
      if (key != null && seen.size() < MAX_PER_VERSION) {
        seen.add(ByteBuffer.wrap(key));
      }
    }
    List<byte[]> out = new ArrayList<>();
    seen.forEach(b -> out.add(b.array()));
    return out;
  }

  /** Records the claimed authors of version {@code seq} of a document. */
  static void record(Sql d, String docId, long seq, List<byte[]> authors) throws SQLException {
    if (authors.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        d.statement(
            "INSERT OR IGNORE INTO change_claims(doc_id, seq, claimed_author) VALUES (?, ?, ?)");
    for (byte[] a : authors) {
      ps.setString(1, docId);
      ps.setLong(2, seq);
      ps.setBytes(3, a);
      ps.executeUpdate();
    }
  }

  /** Marks the claims of version {@code seq} by {@code verified} authors as verified. */
  public static void markVerified(Sql d, String docId, long seq, java.util.Set<Author> verified)
      throws SQLException {
    if (verified.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        d.statement(
            "INSERT INTO change_claims(doc_id, seq, claimed_author, verified) VALUES (?, ?, ?, 1)"
                + " ON CONFLICT(doc_id, seq, claimed_author) DO UPDATE SET verified = 1");
    for (Author a : verified) {
      ps.setString(1, docId);
      ps.setLong(2, seq);
      ps.setBytes(3, a.publicKey());
      ps.executeUpdate();
    }
  }
}
