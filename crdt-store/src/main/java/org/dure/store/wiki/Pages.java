package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.dure.store.doc.CommitMeta;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Fields;
import org.dure.store.doc.Sql;

/**
 * Wiki pages ({@link PageKind}): creating, reading and editing them, and lists of them from table
 * {@code pages}. Text positions are Unicode code points, as in Automerge.
 */
public final class Pages {
  private final Documents docs;
  private final Spaces spaces;
  private final SearchIndex index;
  private final ReentrantLock createLock;
  private final int maxPageLength;

  Pages(
      Documents docs,
      Spaces spaces,
      SearchIndex index,
      ReentrantLock createLock,
      int maxPageLength) {
    this.docs = docs;
    this.spaces = spaces;
    this.index = index;
    this.createLock = createLock;
    this.maxPageLength = maxPageLength;
  }

  /**
   * Creates a page.
   *
   * @throws IllegalArgumentException if the title is not allowed or already used in the space
   */
  public PageSummary create(SpaceId spaceId, String title, String body, Optional<String> message) {
    String t = WikiLinks.checkTitle(title);
    checkLength(body);
    spaces.get(spaceId);
    createLock.lock();
    try {
      if (titled(spaceId, t).isPresent()) {
        throw new IllegalArgumentException("A page called \"" + t + "\" already exists here.");
      }
      PageId id = PageId.random();
      var meta = docs.meta(message.or(() -> Optional.of("Created page")));
      long now = meta.time().toEpochMilli();
      docs.createDocument(
          id.value(),
          PageKind.KIND,
          spaceId.value(),
          tx -> {
            tx.set(ObjectId.ROOT, "title", t);
            tx.set(ObjectId.ROOT, "space", spaceId.value());
            tx.set(ObjectId.ROOT, "created", Date.from(meta.time()));
            ObjectId text = tx.set(ObjectId.ROOT, "body", ObjectType.TEXT);
            tx.spliceText(text, 0, 0, body);
          },
          meta,
          (d, seq) -> {
            PreparedStatement ps =
                d.statement(
                    "INSERT INTO pages(id, space_id, title, title_key, created, updated)"
                        + " VALUES (?, ?, ?, ?, ?, ?)");
            ps.setString(1, id.value());
            ps.setString(2, spaceId.value());
            ps.setString(3, t);
            ps.setString(4, WikiLinks.key(t));
            ps.setLong(5, now);
            ps.setLong(6, now);
            ps.executeUpdate();
          });
      // The space's index document lists its pages, so peers learn of them by syncing it.
      docs.withDocument(
          spaceId.value(),
          live ->
              docs.commit(
                  live,
                  tx -> {
                    ObjectId pages = Fields.mapAt(live.doc(), "pages");
                    tx.set(pages, id.value(), t);
                  },
                  meta,
                  Sql.OnCommit.NONE));
      index.markDirty(id.value());
      docs.fire(id.value(), PageKind.KIND, spaceId.value(), Optional.empty());
      docs.fire(spaceId.value(), SpaceIndexKind.KIND, spaceId.value(), Optional.empty());
      return summary(id);
    } finally {
      createLock.unlock();
    }
  }

  /**
   * Renames a page. Its former title is kept in its {@code formerTitles}, so links to it keep
   * resolving to the page (a redirect) until another page takes that title; the space's index lists
   * the new title.
   *
   * @return the page's version number afterwards
   * @throws IllegalArgumentException if the title is not allowed, another page of the space has it,
   *     or the page is in the trash
   */
  public long rename(PageId id, String newTitle, Optional<String> message) {
    String t = WikiLinks.checkTitle(newTitle);
    createLock.lock();
    try {
      PageSummary page = summary(id);
      Optional<PageSummary> other = titled(page.spaceId(), t);
      if (other.isPresent() && !other.get().id().equals(id)) {
        throw new IllegalArgumentException("A page called \"" + t + "\" already exists here.");
      }
      var meta =
          docs.meta(message.or(() -> Optional.of("Renamed from " + page.title() + " to " + t)));
      return lifecycle(
          page,
          meta,
          doc -> {
            requireNotDeleted(doc);
            String old = Fields.str(doc, "title");
            if (old.equals(t)) {
              return null;
            }
            return tx -> {
              tx.set(ObjectId.ROOT, "title", t);
              ObjectId former = FieldMaps.mapOrCreate(doc, tx, PageKind.FORMER_TITLES);
              if (!WikiLinks.key(old).equals(WikiLinks.key(t))) {
                tx.set(former, WikiLinks.key(old), old);
              }
              if (doc.get(former, WikiLinks.key(t)).isPresent()) {
                tx.delete(former, WikiLinks.key(t));
              }
            };
          },
          Optional.of(t));
    } finally {
      createLock.unlock();
    }
  }

  /**
   * Moves a page to its space's trash: it leaves page lists, search and link resolution on every
   * node that takes the change, and its space's index no longer lists it; it can be {@linkplain
   * #restore restored}. Its document records who deleted it and when ({@code deleted}).
   *
   * @return the page's version number afterwards
   * @throws IllegalArgumentException if it is in the trash already
   */
  public long delete(PageId id, Optional<String> message) {
    createLock.lock();
    try {
      PageSummary page = summary(id);
      var meta = docs.meta(message.or(() -> Optional.of("Deleted page")));
      return lifecycle(
          page,
          meta,
          doc -> {
            requireNotDeleted(doc);
            return tx -> {
              ObjectId del = tx.set(ObjectId.ROOT, PageKind.DELETED, ObjectType.MAP);
              tx.set(del, "by", docs.identity().peerId().toString());
              tx.set(del, "time", Long.toString(meta.time().toEpochMilli()));
            };
          },
          Optional.empty());
    } finally {
      createLock.unlock();
    }
  }

  /**
   * Takes a page out of its space's trash: it is listed, found and linked to again.
   *
   * @return the page's version number afterwards
   * @throws IllegalArgumentException if it is not in the trash, or another page of the space has
   *     its title now (rename that one first)
   */
  public long restore(PageId id, Optional<String> message) {
    createLock.lock();
    try {
      PageSummary page = summary(id);
      if (titled(page.spaceId(), page.title()).isPresent()) {
        throw new IllegalArgumentException(
            "Another page is called \""
                + page.title()
                + "\" now: rename it first, then restore this one.");
      }
      var meta = docs.meta(message.or(() -> Optional.of("Restored page")));
      return lifecycle(
          page,
          meta,
          doc -> {
            if (PageKind.deletion(doc, null).isEmpty()) {
              throw new IllegalArgumentException("The page is not in the trash.");
            }
            return tx -> tx.delete(ObjectId.ROOT, PageKind.DELETED);
          },
          Optional.of(page.title()));
    } finally {
      createLock.unlock();
    }
  }

  /**
   * Commits a rename, delete or restore of {@code page} (under {@code createLock}): {@code change}
   * checks the page's document and gives the writes, or null when there is nothing to write; the
   * page is then listed again where the rules say, its space's index lists it under {@code listed}
   * (empty: not at all), and the views hear of it.
   *
   * @return the page's version number afterwards
   */
  private long lifecycle(
      PageSummary page,
      CommitMeta meta,
      Function<Document, Consumer<Transaction>> change,
      Optional<String> listed) {
    PageId id = page.id();
    long v =
        docs.withDocument(
            id.value(),
            live -> {
              PageKind.require(live);
              Document doc = live.doc();
              Consumer<Transaction> writes = change.apply(doc);
              if (writes == null) {
                return live.lastSeq();
              }
              return docs.commit(
                      live,
                      writes,
                      meta,
                      (d, seq) ->
                          PageKind.relist(
                                  id.value(), live.spaceId(), doc, meta.time().toEpochMilli())
                              .run(d, seq))
                  .orElse(live.lastSeq());
            });
    listInIndex(page.spaceId(), id, listed, meta);
    afterLifecycleChange(id, page.spaceId());
    return v;
  }

  /**
   * Moves a page to another space: a new page there with the same title and text (its history stays
   * with the old one), and the old one goes to its space's trash, as a delete, since the spaces'
   * members differ (no redirect points into a space its readers may not see).
   *
   * @return the new page
   * @throws IllegalArgumentException if the target is the page's own space, the target has a page
   *     of that title, or the page is in the trash
   */
  public PageSummary move(PageId id, SpaceId target) {
    PageSummary page = summary(id);
    if (page.spaceId().equals(target)) {
      throw new IllegalArgumentException("The page is in that space already.");
    }
    Space from = spaces.get(page.spaceId());
    Space to = spaces.get(target);
    Page content = page(id);
    if (docs.withDocument(id.value(), live -> PageKind.deletion(live.doc(), null)).isPresent()) {
      throw new IllegalArgumentException("Restore the page before moving it.");
    }
    PageSummary moved =
        create(target, content.title(), content.body(), Optional.of("Moved from " + from.name()));
    delete(id, Optional.of("Moved to " + to.name()));
    return moved;
  }

  private static void requireNotDeleted(Document doc) {
    if (PageKind.deletion(doc, null).isPresent()) {
      throw new IllegalArgumentException("The page is in the trash: restore it first.");
    }
  }

  /** Lists the page in its space's index under {@code title}, or takes it out (empty). */
  private void listInIndex(
      SpaceId spaceId, PageId id, Optional<String> title, org.dure.store.doc.CommitMeta meta) {
    docs.withDocument(
        spaceId.value(),
        live ->
            docs.commit(
                live,
                tx -> {
                  ObjectId pages = Fields.mapAt(live.doc(), "pages");
                  if (title.isPresent()) {
                    tx.set(pages, id.value(), title.get());
                  } else if (live.doc().get(pages, id.value()).isPresent()) {
                    tx.delete(pages, id.value());
                  }
                },
                meta,
                Sql.OnCommit.NONE));
  }

  private void afterLifecycleChange(PageId id, SpaceId spaceId) {
    index.markDirty(id.value());
    docs.fire(id.value(), PageKind.KIND, spaceId.value(), Optional.empty());
    docs.fire(spaceId.value(), SpaceIndexKind.KIND, spaceId.value(), Optional.empty());
  }

  private void checkLength(String body) {
    if (body.length() > maxPageLength && body.codePointCount(0, body.length()) > maxPageLength) {
      throw new IllegalArgumentException(
          "A page can have at most " + maxPageLength + " characters.");
    }
  }

  /**
   * The page with this title in the space (titles compare case-insensitively), or else the one that
   * had it before a rename; never a page hidden space-wide or in the trash.
   */
  public Optional<PageSummary> find(SpaceId spaceId, String title) {
    return titled(spaceId, title).or(() -> formerlyTitled(spaceId, WikiLinks.key(title)));
  }

  /** The page of the space with this title now (not hidden or in the trash). */
  private Optional<PageSummary> titled(SpaceId spaceId, String title) {
    String key = WikiLinks.key(title);
    return querySummaries(
            "WHERE p.space_id = ? AND p.title_key = ?"
                + HiddenPages.NOT_HIDDEN
                + Trash.NOT_DELETED
                + " ORDER BY p.created LIMIT 1",
            ps -> {
              ps.setString(1, spaceId.value());
              ps.setString(2, key);
            })
        .stream()
        .findFirst();
  }

  /**
   * The page of the space that had a title with this key before it was renamed (a redirect), the
   * most recently changed first; only when no page has that title now.
   */
  private Optional<PageSummary> formerlyTitled(SpaceId spaceId, String key) {
    return querySummaries(
            "JOIN page_aliases a ON a.page_id = p.id WHERE a.space_id = ? AND a.title_key = ?"
                + HiddenPages.NOT_HIDDEN
                + Trash.NOT_DELETED
                + " ORDER BY p.updated DESC LIMIT 1",
            ps -> {
              ps.setString(1, spaceId.value());
              ps.setString(2, key);
            })
        .stream()
        .findFirst();
  }

  /**
   * What a page list shows about the page.
   *
   * @throws NoSuchElementException if there is no such page
   */
  public PageSummary summary(PageId id) {
    return querySummaries("WHERE p.id = ? AND p.purged = 0", ps -> ps.setString(1, id.value()))
        .stream()
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("No page " + id));
  }

  /** Pages of a space, most recently changed first (not those hidden or in its trash). */
  public List<PageSummary> list(SpaceId spaceId, int offset, int limit) {
    return querySummaries(
        "WHERE p.space_id = ?"
            + HiddenPages.NOT_HIDDEN
            + Trash.NOT_DELETED
            + " ORDER BY p.updated DESC, p.num DESC LIMIT ? OFFSET ?",
        ps -> {
          ps.setString(1, spaceId.value());
          ps.setInt(2, limit);
          ps.setInt(3, offset);
        });
  }

  /** The number of pages of a space (not those hidden space-wide or in its trash). */
  public int count(SpaceId spaceId) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT count(*) FROM pages p WHERE p.space_id = ?"
                      + HiddenPages.NOT_HIDDEN
                      + Trash.NOT_DELETED);
          ps.setString(1, spaceId.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  /**
   * Every page here that is not purged, in any space: those hidden and those in a trash included
   * (all that may be shown again). One query, so a page edited, moved or deleted meanwhile is not
   * missed.
   */
  public List<PageId> allKept() {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT p.id FROM pages p WHERE p.purged = 0");
          List<PageId> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new PageId(rs.getString(1)));
            }
          }
          return out;
        });
  }

  /** Binds the parameters of a query. */
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static final String SUMMARY_SELECT =
      "SELECT p.id, p.space_id, p.title, p.created, p.updated, doc.damaged FROM pages p"
          + " JOIN documents doc ON doc.id = p.id ";

  /** The summaries of the pages {@code where} selects (a clause on {@code pages p}). */
  List<PageSummary> querySummaries(String where, Binder binder) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement(SUMMARY_SELECT + where);
          binder.bind(ps);
          List<PageSummary> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(summaryOf(rs, 1));
            }
          }
          return out;
        });
  }

  /**
   * The summary in columns {@code col} to {@code col + 5} of {@code rs}: id, space, title, created,
   * updated, damaged.
   */
  static PageSummary summaryOf(ResultSet rs, int col) throws SQLException {
    return new PageSummary(
        new PageId(rs.getString(col)),
        new SpaceId(rs.getString(col + 1)),
        rs.getString(col + 2),
        Instant.ofEpochMilli(rs.getLong(col + 3)),
        Instant.ofEpochMilli(rs.getLong(col + 4)),
        Optional.ofNullable(rs.getString(col + 5)));
  }

  /**
   * The page's current content.
   *
   * @throws DamagedDocumentException if its document cannot be loaded
   * @throws NoSuchElementException if there is no such page
   */
  public Page page(PageId id) {
    return docs.withDocument(id.value(), live -> PageKind.read(live, null));
  }

  /**
   * Replaces {@code deleteCount} code points at {@code pos} with {@code text}, as one persisted
   * version: a keystroke's worth of editing. It returns once the edit is safe from a crash of the
   * process; it is on the disk (safe from a power loss) within the journal's flush interval, or
   * when {@link Documents#awaitDurable} returns.
   *
   * @return the page's version number afterwards
   */
  public long splice(PageId id, long pos, long deleteCount, String text, Optional<String> message) {
    var meta = docs.meta(message);
    String[] space = new String[1];
    long v =
        docs.withDocument(
            id.value(),
            live -> {
              PageKind.require(live);
              ObjectId body = PageKind.body(live);
              long len = PageKind.bodyLength(live, body);
              if (pos < 0 || deleteCount < 0 || pos + deleteCount > len) {
                throw new IllegalArgumentException(
                    "Splice " + pos + "+" + deleteCount + " is outside the text (" + len + ")");
              }
              long newLen = len - deleteCount + text.codePointCount(0, text.length());
              if (newLen > maxPageLength) {
                throw new IllegalArgumentException(
                    "A page can have at most " + maxPageLength + " characters.");
              }
              OptionalLong seq =
                  docs.commitJournalled(
                      live, null, tx -> tx.spliceText(body, pos, deleteCount, text), meta);
              if (seq.isPresent()) {
                PageKind.bodyLengthIs(live, newLen);
              }
              live.addOps(deleteCount + text.length());
              space[0] = live.spaceId();
              return seq.orElse(live.lastSeq());
            });
    index.markDirty(id.value());
    docs.fire(id.value(), PageKind.KIND, space[0], Optional.empty());
    return v;
  }

  /**
   * Saves {@code newText}, an edit of the page as it was at {@code baseVersion}: the differences
   * from that version are applied as a change based on it, so edits made since (here or merged from
   * elsewhere) are kept, not overwritten. A {@code baseVersion} of -1 means the current one.
   * Returns once the new version is on the disk.
   *
   * @return the page's version number afterwards (unchanged if nothing changed)
   */
  public long replaceText(PageId id, long baseVersion, String newText, Optional<String> message) {
    checkLength(newText);
    var meta = docs.meta(message);
    String[] space = new String[1];
    long v =
        docs.withDocument(
            id.value(),
            live -> {
              PageKind.require(live);
              ObjectId body = PageKind.body(live);
              ChangeHash[] at = null;
              if (baseVersion >= 0 && baseVersion != live.lastSeq()) {
                at = docs.headsOf(id.value(), baseVersion);
                if (at == null) {
                  throw new NoSuchElementException("Page " + id + " has no version " + baseVersion);
                }
              }
              Document doc = live.doc();
              String old = (at == null ? doc.text(body) : doc.text(body, at)).orElse("");
              List<Splices.Splice> splices = Splices.between(old, newText);
              if (splices.isEmpty()) {
                return live.lastSeq();
              }
              space[0] = live.spaceId();
              return docs.commitJournalled(
                      live,
                      at,
                      tx -> {
                        for (int i = splices.size() - 1; i >= 0; i--) {
                          Splices.Splice s = splices.get(i);
                          tx.spliceText(body, s.pos(), s.delete(), s.insert());
                          live.addOps(s.delete() + s.insert().length());
                        }
                      },
                      meta)
                  .orElse(live.lastSeq());
            });
    if (space[0] != null) {
      docs.awaitDurable(); // a saved version is acknowledged: it must survive a power loss
    }
    index.markDirty(id.value());
    if (space[0] != null) {
      docs.fire(id.value(), PageKind.KIND, space[0], Optional.empty());
    }
    return v;
  }

  /**
   * Merges {@code saved}, another store's copy of document {@code docId}, into this one and
   * persists what was new (a local stand-in for sync between peers; both stores must be trusted, as
   * this passes the bytes to Automerge unchecked).
   *
   * @return this store's version of the document afterwards
   */
  public long mergeFrom(byte[] saved, String docId) {
    long v =
        docs.withDocument(
            docId,
            live -> {
              Document incoming = Document.load(saved);
              try {
                live.doc().merge(incoming);
              } finally {
                incoming.free();
              }
              var meta =
                  new CommitMeta(Optional.empty(), docs.clock().instant(), Optional.of("Merged"));
              Sql.OnCommit relist =
                  live.kind() == PageKind.KIND
                      ? PageKind.relist(
                          docId, live.spaceId(), live.doc(), meta.time().toEpochMilli())
                      : Sql.OnCommit.NONE;
              return docs.persistExternal(live, meta, relist).orElse(live.lastSeq());
            });
    index.markDirty(docId);
    return v;
  }
}
