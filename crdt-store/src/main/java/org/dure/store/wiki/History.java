package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.automerge.ChangeHash;
import org.dure.store.doc.Author;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Heads;

/**
 * The versions of pages: every persisted commit with who made it (this node's user, or for changes
 * from a peer the author its attestation proves or its actor id claims), when and why; the page at
 * any version, differences between versions, and reverting to one.
 */
public final class History {
  private final Documents docs;
  private final Pages pages;

  History(Documents docs, Pages pages) {
    this.docs = docs;
    this.pages = pages;
  }

  /** The page's versions, newest first. */
  public List<Version> of(PageId id, int offset, int limit) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT c.seq, c.heads, COALESCE(c.author, (SELECT cc.claimed_author FROM"
                      + " change_claims cc WHERE cc.doc_id = c.doc_id AND cc.seq = c.seq"
                      + " ORDER BY cc.verified DESC LIMIT 1)), c.time, c.message,"
                      + " c.author IS NOT NULL OR EXISTS (SELECT 1 FROM change_claims cc WHERE"
                      + " cc.doc_id = c.doc_id AND cc.seq = c.seq AND cc.verified = 1)"
                      + " FROM changes c WHERE c.doc_id = ? ORDER BY c.seq DESC LIMIT ? OFFSET ?");
          ps.setString(1, id.value());
          ps.setInt(2, limit);
          ps.setInt(3, offset);
          List<Version> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byte[] author = rs.getBytes(3);
              out.add(
                  new Version(
                      id,
                      rs.getLong(1),
                      Optional.ofNullable(author).map(Author::new),
                      Instant.ofEpochMilli(rs.getLong(4)),
                      Optional.ofNullable(rs.getString(5)),
                      Heads.hex(rs.getBytes(2)),
                      rs.getBoolean(6)));
            }
          }
          return out;
        });
  }

  /**
   * What the given versions of the page did to it beside its text (renames, deletes, restores), at
   * most one event a kind per version, in the order of {@code versions}.
   */
  public List<PageEvent> events(PageId id, List<Version> versions) {
    if (versions.isEmpty()) {
      return List.of();
    }
    return docs.withDocument(
        id.value(),
        live -> {
          PageKind.require(live);
          var doc = live.doc();
          List<PageEvent> out = new ArrayList<>();
          for (Version v : versions) {
            ChangeHash[] after = docs.headsOf(id.value(), v.number());
            if (after == null || v.number() <= 1) {
              continue;
            }
            ChangeHash[] before = docs.headsOf(id.value(), v.number() - 1);
            if (before == null) {
              continue;
            }
            String t0 = org.dure.store.doc.Fields.str(doc, "title", before);
            String t1 = org.dure.store.doc.Fields.str(doc, "title", after);
            if (!t0.equals(t1)) {
              out.add(new PageEvent(v.number(), PageEvent.Type.RENAMED, t0, t1));
            }
            boolean d0 = PageKind.deletion(doc, before).isPresent();
            boolean d1 = PageKind.deletion(doc, after).isPresent();
            if (d0 != d1) {
              out.add(
                  new PageEvent(
                      v.number(), d1 ? PageEvent.Type.DELETED : PageEvent.Type.RESTORED, t1, t1));
            }
          }
          return out;
        });
  }

  /** The page as it was at {@code version}. */
  public Page pageAt(PageId id, long version) {
    Page p =
        docs.withDocument(
            id.value(),
            live -> {
              ChangeHash[] h = docs.headsOf(id.value(), version);
              if (h == null) {
                throw new NoSuchElementException("Page " + id + " has no version " + version);
              }
              return PageKind.read(live, h);
            });
    return new Page(p.id(), p.spaceId(), p.title(), p.body(), version);
  }

  /** The differences from one version of a page to another. */
  public TextDiff diff(PageId id, long fromVersion, long toVersion) {
    return TextDiff.between(pageAt(id, fromVersion).body(), pageAt(id, toVersion).body());
  }

  /** Makes the page's text what it was at {@code version}, as a new version. */
  public long revert(PageId id, long version) {
    String old = pageAt(id, version).body();
    return pages.replaceText(id, -1, old, Optional.of("Reverted to version " + version));
  }
}
