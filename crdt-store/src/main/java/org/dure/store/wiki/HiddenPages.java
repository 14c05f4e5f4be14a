package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Ids;
import org.dure.store.doc.Sql;

/**
 * Pages hidden space-wide: the space index's {@code hidden} map (page id → {@code {by, time,
 * reason}}, written by moderators), mirrored in table {@code hidden_pages} whenever the index
 * changes, so that page lists, links and search leave them out.
 */
public final class HiddenPages {
  /** A condition on {@code pages p} that leaves out pages hidden space-wide. */
  static final String NOT_HIDDEN = " AND p.id NOT IN (SELECT page_id FROM hidden_pages)";

  private final Documents docs;

  HiddenPages(Documents docs) {
    this.docs = docs;
  }

  /** The pages the index {@code doc} hides (its {@code hidden} map's well-formed entries). */
  public static Set<PageId> in(Document doc) {
    Set<PageId> out = new LinkedHashSet<>();
    for (String key : FieldMaps.entries(doc, ObjectId.ROOT, "hidden").keySet()) {
      if (Ids.FORMAT.matcher(key).matches()) {
        out.add(new PageId(key));
      }
    }
    return out;
  }

  /** Rewrites the table of hidden pages of {@code space} (in the caller's transaction). */
  public static void write(Sql d, SpaceId space, Set<PageId> hidden) throws SQLException {
    PreparedStatement del = d.statement("DELETE FROM hidden_pages WHERE space_id = ?");
    del.setString(1, space.value());
    del.executeUpdate();
    PreparedStatement ins =
        d.statement("INSERT OR REPLACE INTO hidden_pages(page_id, space_id) VALUES (?, ?)");
    for (PageId p : hidden) {
      ins.setString(1, p.value());
      ins.setString(2, space.value());
      ins.executeUpdate();
    }
  }

  /** Whether the page is hidden space-wide. */
  public boolean isHidden(PageId page) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT 1 FROM hidden_pages WHERE page_id = ?");
          ps.setString(1, page.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }
}
