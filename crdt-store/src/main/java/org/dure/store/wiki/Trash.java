package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each space's trash: the pages deleted there ({@link Pages#delete}), with who deleted them and
 * when, restorable for {@link #RETENTION} after this node first saw them deleted; then purged here.
 *
 * <p>The 30 days count from when this node saw the deletion, not from the time the deletion states
 * (a peer's clock, or a back-dated deletion, cannot make pages vanish early). A purge is local: the
 * page leaves the trash, its search and link rows are dropped, and its document is never loaded,
 * offered to peers or taken from them again (it is kept in the database file, quarantined with the
 * reason "purged", as the kernel has no removal of a document yet).
 */
public final class Trash {
  private static final Logger LOG = LoggerFactory.getLogger(Trash.class);

  /** How long a deleted page can be restored. */
  public static final Duration RETENTION = Duration.ofDays(30);

  /** A condition on {@code pages p} that leaves out pages in the trash (and those purged). */
  static final String NOT_DELETED = " AND p.deleted_seen IS NULL AND p.purged = 0";

  /** The reason a purged page's document is quarantined with. */
  static final String PURGED = "purged: deleted more than 30 days ago";

  private final Documents docs;

  Trash(Documents docs) {
    this.docs = docs;
  }

  /**
   * A page in the trash.
   *
   * @param by the peer ID that deleted it (as its document says; peers only take a deletion whose
   *     {@code by} is its signer); empty if the document names no valid peer ID
   * @param time when it was deleted, as the deletion says
   * @param purgeAt when this node purges it
   */
  public record DeletedPage(PageSummary page, Optional<PeerId> by, Instant time, Instant purgeAt) {}

  /** The pages in the space's trash, most recently deleted first (purging expired ones first). */
  public List<DeletedPage> list(SpaceId space) {
    purgeExpired();
    return query("p.space_id = ?", space.value());
  }

  /** The page's deletion, if it is in the trash. */
  public Optional<DeletedPage> of(PageId page) {
    return query("p.id = ?", page.value()).stream().findFirst();
  }

  private List<DeletedPage> query(String where, String value) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT p.id, p.space_id, p.title, p.created, p.updated, doc.damaged,"
                      + " p.deleted_by, p.deleted_time, p.deleted_seen FROM pages p"
                      + " JOIN documents doc ON doc.id = p.id WHERE "
                      + where
                      + " AND p.deleted_seen IS NOT NULL AND p.purged = 0"
                      + " ORDER BY p.deleted_time DESC, p.num DESC");
          ps.setString(1, value);
          List<DeletedPage> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new DeletedPage(
                      Pages.summaryOf(rs, 1),
                      Fields.peerId(Objects.requireNonNullElse(rs.getString(7), "")),
                      Instant.ofEpochMilli(rs.getLong(8)),
                      Instant.ofEpochMilli(rs.getLong(9)).plus(RETENTION)));
            }
          }
          return out;
        });
  }

  /**
   * Purges the pages deleted more than {@link #RETENTION} ago (by this node's clock, since it saw
   * the deletion).
   *
   * @return how many it purged
   */
  public int purgeExpired() {
    long cutoff = docs.clock().instant().minus(RETENTION).toEpochMilli();
    List<String> expired =
        docs.read(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "SELECT id FROM pages WHERE deleted_seen IS NOT NULL AND deleted_seen <= ?"
                          + " AND purged = 0");
              ps.setLong(1, cutoff);
              List<String> ids = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ids.add(rs.getString(1));
                }
              }
              return ids;
            });
    for (String id : expired) {
      docs.transaction(
          d -> {
            PreparedStatement num = d.statement("SELECT num FROM pages WHERE id = ?");
            num.setString(1, id);
            long rowid;
            try (ResultSet rs = num.executeQuery()) {
              if (!rs.next()) {
                return null;
              }
              rowid = rs.getLong(1);
            }
            for (String sql :
                List.of(
                    "DELETE FROM page_fts WHERE rowid = ?",
                    "DELETE FROM page_pairs WHERE rowid = ?")) {
              PreparedStatement ps = d.statement(sql);
              ps.setLong(1, rowid);
              ps.executeUpdate();
            }
            for (String sql :
                List.of(
                    "DELETE FROM links WHERE from_page = ?",
                    "DELETE FROM page_aliases WHERE page_id = ?",
                    "UPDATE pages SET purged = 1 WHERE id = ?")) {
              PreparedStatement ps = d.statement(sql);
              ps.setString(1, id);
              ps.executeUpdate();
            }
            return null;
          });
      docs.markDamaged(id, PURGED);
      docs.forget(id);
      LOG.info("Purged page {} from the trash", id);
    }
    return expired.size();
  }
}
