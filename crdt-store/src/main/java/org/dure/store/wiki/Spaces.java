package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.dure.store.doc.Documents;

/**
 * The spaces held here: each an index document ({@link SpaceIndexKind}) listed in table {@code
 * spaces}, made here ({@code local}) or received from a peer.
 */
public final class Spaces {
  private final Documents docs;

  Spaces(Documents docs) {
    this.docs = docs;
  }

  /** Creates a space's index document, with this node's identity as its owner (no event yet). */
  Space createIndex(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > 100) {
      throw new IllegalArgumentException("A space needs a name of 1 to 100 characters.");
    }
    SpaceId id = SpaceId.random();
    var meta = docs.meta(Optional.of("Created space"));
    docs.createDocument(
        id.value(),
        SpaceIndexKind.KIND,
        id.value(),
        tx -> {
          tx.set(ObjectId.ROOT, "name", n);
          tx.set(ObjectId.ROOT, "created", Date.from(meta.time()));
          tx.set(ObjectId.ROOT, "pages", ObjectType.MAP);
        },
        meta,
        (d, seq) -> {
          PreparedStatement ps =
              d.statement("INSERT INTO spaces(id, name, created) VALUES (?, ?, ?)");
          ps.setString(1, id.value());
          ps.setString(2, n);
          ps.setLong(3, meta.time().toEpochMilli());
          ps.executeUpdate();
        });
    return new Space(id, n, meta.time());
  }

  /** All spaces, oldest first. */
  public List<Space> all() {
    return docs.read(
        d -> {
          List<Space> out = new ArrayList<>();
          try (ResultSet rs =
              d.statement("SELECT id, name, created FROM spaces ORDER BY created, id")
                  .executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Space(
                      new SpaceId(rs.getString(1)),
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3))));
            }
          }
          return out;
        });
  }

  /**
   * The space with this id.
   *
   * @throws NoSuchElementException if there is none here
   */
  public Space get(SpaceId id) {
    return all().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("No space " + id));
  }

  /**
   * Whether the space was created here (not received from a peer).
   *
   * @throws NoSuchElementException if there is no such space here
   */
  public boolean isLocal(SpaceId spaceId) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT local FROM spaces WHERE id = ?");
          ps.setString(1, spaceId.value());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new NoSuchElementException("No space " + spaceId);
            }
            return rs.getInt(1) == 1;
          }
        });
  }
}
