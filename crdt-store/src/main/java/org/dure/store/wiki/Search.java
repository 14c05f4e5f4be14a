package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dure.store.doc.Documents;

/**
 * Searching pages and following links back: queries of the indexes {@link SearchIndex} keeps (it is
 * brought up to date first). Pages hidden space-wide or in the trash are left out.
 */
public final class Search {
  private final Documents docs;
  private final Pages pages;
  private final SearchIndex index;

  Search(Documents docs, Pages pages, SearchIndex index) {
    this.docs = docs;
    this.pages = pages;
    this.index = index;
  }

  /** Pages in the same space that link to this page (by its title or a former one). */
  public List<PageSummary> backlinks(PageId id) {
    index.flush();
    PageSummary target = pages.summary(id);
    return pages.querySummaries(
        // Links to its title, or to a former title no live page has now (they resolve to it).
        "JOIN links l ON l.from_page = p.id WHERE l.space_id = ? AND p.id <> ? AND (l.to_key = ?"
            + " OR (l.to_key IN (SELECT title_key FROM page_aliases WHERE page_id = ?)"
            + " AND NOT EXISTS (SELECT 1 FROM pages p2 WHERE p2.space_id = l.space_id"
            + " AND p2.title_key = l.to_key AND p2.deleted_seen IS NULL AND p2.purged = 0"
            + " AND p2.id NOT IN (SELECT page_id FROM hidden_pages))))"
            + HiddenPages.NOT_HIDDEN
            + Trash.NOT_DELETED
            + " ORDER BY p.title_key",
        ps -> {
          ps.setString(1, target.spaceId().value());
          ps.setString(2, id.value());
          ps.setString(3, WikiLinks.key(target.title()));
          ps.setString(4, id.value());
        });
  }

  /**
   * Full-text search over titles and bodies, best first. Each word of the query must occur (as a
   * substring, case-insensitive): words of 3 or more characters through the trigram index, words of
   * two Korean, Chinese or Japanese characters through the pair index, other short words by
   * scanning the text of the candidates.
   *
   * @param spaceId the space to search, or empty for all spaces
   */
  public List<SearchHit> search(Optional<SpaceId> spaceId, String query, int limit) {
    index.flush();
    List<String> terms = new ArrayList<>();
    for (String t : query.strip().split("\\s+")) {
      String term = t.strip();
      if (!term.isEmpty() && terms.size() < 10) {
        terms.add(term.length() > 100 ? term.substring(0, 100) : term);
      }
    }
    if (terms.isEmpty()) {
      return List.of();
    }
    List<String> longTerms = new ArrayList<>();
    List<String> pairTerms = new ArrayList<>();
    List<String> likeTerms = new ArrayList<>();
    for (String t : terms) {
      if (t.codePointCount(0, t.length()) >= 3) {
        longTerms.add(t);
      } else if (Bigrams.isIndexed(t)) {
        pairTerms.add(t);
      } else {
        likeTerms.add(t);
      }
    }
    boolean fts = !longTerms.isEmpty();
    // A word found in most pages cannot be ranked usefully, and ranking every match is what makes
    // it slow: such searches list the newest matching pages first instead.
    boolean common = fts && matchEstimate(longTerms) > COMMON_MATCHES;
    // First the best `limit` rows, ranked on the indexes alone; then snippets and bodies for
    // those rows only (computing them for every match is what makes common words slow).
    StringBuilder sql = new StringBuilder("WITH top AS (SELECT p.num AS rid, ");
    if (fts) {
      sql.append(
          (common ? "-f.rowid" : "bm25(page_fts, 10.0, 1.0)")
              + " AS ord FROM page_fts f JOIN pages p ON p.num = f.rowid WHERE page_fts MATCH ?");
    } else if (!likeTerms.isEmpty()) {
      sql.append("-p.updated AS ord FROM pages p JOIN page_fts f ON f.rowid = p.num WHERE 1");
    } else {
      sql.append("-p.updated AS ord FROM pages p WHERE 1");
    }
    spaceId.ifPresent(s -> sql.append(" AND p.space_id = ?"));
    sql.append(HiddenPages.NOT_HIDDEN).append(Trash.NOT_DELETED);
    for (int i = 0; i < pairTerms.size(); i++) {
      sql.append(" AND p.num IN (SELECT rowid FROM page_pairs WHERE page_pairs MATCH ?)");
    }
    for (int i = 0; i < likeTerms.size(); i++) {
      sql.append(" AND (f.title LIKE ? ESCAPE '\\' OR f.body LIKE ? ESCAPE '\\')");
    }
    sql.append(" ORDER BY ord LIMIT ?)");
    // Snippets are made here from the bodies of the rows shown: FTS5's snippet() would need the
    // MATCH again in this outer query, and SQLite then evaluates it for every matching page.
    sql.append(
        " SELECT p.id, p.space_id, p.title, p.created, p.updated, doc.damaged, NULL,"
            + " f.title, f.body FROM top JOIN page_fts f ON f.rowid = top.rid"
            + " JOIN pages p ON p.num = top.rid JOIN documents doc ON doc.id = p.id"
            + " ORDER BY top.ord");
    String match = fts ? quoteAll(longTerms) : null;
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement(sql.toString());
          int i = 1;
          if (fts) {
            ps.setString(i++, match);
          }
          if (spaceId.isPresent()) {
            ps.setString(i++, spaceId.get().value());
          }
          for (String t : pairTerms) {
            ps.setString(i++, quoteAll(List.of(t)));
          }
          for (String t : likeTerms) {
            String like =
                "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            ps.setString(i++, like);
            ps.setString(i++, like);
          }
          ps.setInt(i, limit);
          List<SearchHit> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String snippet = rs.getString(7);
              if (snippet == null || snippet.indexOf(SearchHit.MARK_START) < 0) {
                snippet = Snippets.around(rs.getString(9), terms);
              }
              out.add(new SearchHit(Pages.summaryOf(rs, 1), snippet));
            }
          }
          return out;
        });
  }

  /** Above this many estimated matches, search results are listed newest first, unranked. */
  static final long COMMON_MATCHES = 2000;

  /**
   * An upper bound of the pages matching all {@code terms}: for each term the fewest pages any of
   * its trigrams occurs in, and the least of those.
   */
  private long matchEstimate(List<String> terms) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT doc FROM page_fts_vocab WHERE term = ?");
          long best = Long.MAX_VALUE;
          for (String t : terms) {
            int[] cps = t.toLowerCase(Locale.ROOT).codePoints().toArray();
            for (int i = 0; i + 3 <= cps.length; i++) {
              ps.setString(1, new String(cps, i, 3));
              long n = 0;
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  n = rs.getLong(1);
                }
              }
              best = Math.min(best, n);
            }
          }
          return best == Long.MAX_VALUE ? 0 : best;
        });
  }

  /** An FTS5 query requiring every term as a phrase. */
  private static String quoteAll(List<String> terms) {
    List<String> quoted = new ArrayList<>();
    for (String t : terms) {
      quoted.add('"' + t.replace("\"", "\"\"") + '"');
    }
    return String.join(" AND ", quoted);
  }
}
