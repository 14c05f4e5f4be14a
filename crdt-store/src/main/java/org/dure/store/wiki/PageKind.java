package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.MapEntry;
import org.automerge.ObjectId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Fields;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;
import org.dure.store.doc.StoreException;

/**
 * A wiki page: {@code title}, {@code space} (its space's id), {@code created} and {@code body}, a
 * text of Markdown; {@code formerTitles} (title key → title: the titles it had, through which links
 * to them still resolve) and, while it is in its space's trash, {@code deleted} ({@code {by,
 * time}}: who deleted it, signed, and when). Listed in table {@code pages} (title, times, the
 * deletion) and {@code page_aliases} for page lists, links and search.
 */
public final class PageKind implements DocumentKind {
  /** The one instance. */
  public static final PageKind KIND = new PageKind();

  /** What a page keeps in memory while loaded: its text object and the text's length. */
  private static final LiveDocument.Slot<Body> BODY = LiveDocument.Slot.content();

  /** The key of the map that marks a page deleted: {@code {by, time}}. */
  static final String DELETED = "deleted";

  /** The key of the map of a page's former titles: title key → title. */
  static final String FORMER_TITLES = "formerTitles";

  /** The most former titles read from a page (a bound against a flooding peer). */
  static final int MAX_FORMER_TITLES = 100;

  private PageKind() {}

  /** The {@code deleted} map: who deletes and restores is judged by signer, role by role. */
  @Override
  public Set<String> guardedKeys() {
    return Set.of(DELETED);
  }

  @Override
  public String key() {
    return "page";
  }

  @Override
  public long textLength(Document doc) {
    return doc.get(ObjectId.ROOT, "body")
        .filter(AmValue.Text.class::isInstance)
        .map(v -> doc.length(((AmValue.Text) v).getId()))
        .orElse(0L);
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    if (!spaceId.equals(Fields.str(doc, "space"))) {
      return "the page does not belong to space " + spaceId;
    }
    try {
      WikiLinks.checkTitle(Fields.str(doc, "title"));
    } catch (IllegalArgumentException e) {
      return "the page's title is not allowed (" + e.getMessage() + ")";
    }
    if (doc.get(ObjectId.ROOT, "body").filter(AmValue.Text.class::isInstance).isEmpty()) {
      return "the page has no text body";
    }
    for (String key : List.of(DELETED, FORMER_TITLES)) {
      if (doc.get(ObjectId.ROOT, key).filter(v -> !(v instanceof AmValue.Map)).isPresent()) {
        return "the page's " + key + " is not a map";
      }
    }
    return null;
  }

  @Override
  public Sql.OnCommit afterImport(String docId, String spaceId, Document doc, long timeMillis) {
    String title = Fields.str(doc, "title");
    Sql.OnCommit relist = relist(docId, spaceId, doc, timeMillis);
    return (d, seq) -> {
      PreparedStatement ps =
          d.statement(
              "INSERT INTO pages(id, space_id, title, title_key, created, updated)"
                  + " VALUES (?, ?, ?, ?, ?, ?)");
      ps.setString(1, docId);
      ps.setString(2, spaceId);
      ps.setString(3, title);
      ps.setString(4, WikiLinks.key(title));
      ps.setLong(5, timeMillis);
      ps.setLong(6, timeMillis);
      ps.executeUpdate();
      relist.run(d, seq);
    };
  }

  @Override
  public Sql.OnCommit afterMerge(LiveDocument live, long timeMillis) {
    return relist(live.id(), live.spaceId(), live.doc(), timeMillis);
  }

  /**
   * SQL that brings the page's listing up to date with {@code doc} at {@code timeMillis}: its
   * title, time of change, deletion (the time this node first saw it deleted is kept while it stays
   * so) and former titles.
   */
  static Sql.OnCommit relist(String id, String spaceId, Document doc, long timeMillis) {
    String title = Fields.str(doc, "title");
    Optional<Deletion> deleted = deletion(doc, null);
    Set<String> aliases = new LinkedHashSet<>();
    for (String former : formerTitles(doc)) {
      aliases.add(WikiLinks.key(former));
    }
    aliases.remove(WikiLinks.key(title));
    return (d, seq) -> {
      PreparedStatement ps =
          d.statement(
              "UPDATE pages SET updated = ?, title = ?, title_key = ?, deleted_by = ?,"
                  + " deleted_time = ?, deleted_seen = CASE WHEN ? THEN COALESCE(deleted_seen, ?)"
                  + " END WHERE id = ?");
      ps.setLong(1, timeMillis);
      ps.setString(2, title);
      ps.setString(3, WikiLinks.key(title));
      ps.setString(4, deleted.map(Deletion::by).orElse(null));
      if (deleted.isPresent()) {
        ps.setLong(5, deleted.get().time().toEpochMilli());
      } else {
        ps.setNull(5, java.sql.Types.INTEGER);
      }
      ps.setBoolean(6, deleted.isPresent());
      ps.setLong(7, timeMillis);
      ps.setString(8, id);
      ps.executeUpdate();
      PreparedStatement del = d.statement("DELETE FROM page_aliases WHERE page_id = ?");
      del.setString(1, id);
      del.executeUpdate();
      PreparedStatement ins =
          d.statement(
              "INSERT OR IGNORE INTO page_aliases(page_id, space_id, title_key) VALUES (?, ?, ?)");
      for (String key : aliases) {
        ins.setString(1, id);
        ins.setString(2, spaceId);
        ins.setString(3, key);
        ins.executeUpdate();
      }
    };
  }

  /**
   * Who deleted a page and when, as its {@code deleted} map says.
   *
   * @param by the peer ID the map names (checked against the change's signer by peers that take it)
   * @param time when its author says it deleted the page
   */
  record Deletion(String by, java.time.Instant time) {}

  /** The page's deletion in {@code doc} at {@code heads} (null: now), if it is deleted. */
  static Optional<Deletion> deletion(Document doc, ChangeHash[] heads) {
    Optional<AmValue> v =
        heads == null ? doc.get(ObjectId.ROOT, DELETED) : doc.get(ObjectId.ROOT, DELETED, heads);
    if (v.isEmpty() || !(v.get() instanceof AmValue.Map m)) {
      return Optional.empty();
    }
    ObjectId map = m.getId();
    String by = fieldOf(doc, map, "by", heads);
    String time = fieldOf(doc, map, "time", heads);
    return Optional.of(new Deletion(by, FieldMaps.time(time)));
  }

  private static String fieldOf(Document doc, ObjectId map, String key, ChangeHash[] heads) {
    Optional<AmValue> v = heads == null ? doc.get(map, key) : doc.get(map, key, heads);
    return v.filter(AmValue.Str.class::isInstance)
        .map(x -> ((AmValue.Str) x).getValue())
        .orElse("");
  }

  /** The page's former titles (at most {@link #MAX_FORMER_TITLES}). */
  static List<String> formerTitles(Document doc) {
    Optional<ObjectId> map =
        doc.get(ObjectId.ROOT, FORMER_TITLES)
            .filter(AmValue.Map.class::isInstance)
            .map(v -> ((AmValue.Map) v).getId());
    List<String> out = new ArrayList<>();
    if (map.isEmpty()) {
      return out;
    }
    for (MapEntry e : doc.mapEntries(map.get()).orElse(new MapEntry[0])) {
      if (out.size() >= MAX_FORMER_TITLES) {
        break;
      }
      if (e.getValue() instanceof AmValue.Str t) {
        try {
          out.add(WikiLinks.checkTitle(t.getValue()));
        } catch (IllegalArgumentException bad) {
          // a peer's malformed entry: no link resolves through it
        }
      }
    }
    return out;
  }

  /** Sets a page's time of change to {@code timeMillis} (run with each journalled edit). */
  static void touch(Sql d, String pageId, long timeMillis) throws java.sql.SQLException {
    PreparedStatement ps = d.statement("UPDATE pages SET updated = ? WHERE id = ?");
    ps.setLong(1, timeMillis);
    ps.setString(2, pageId);
    ps.executeUpdate();
  }

  /**
   * The page {@code live} holds, now or at {@code heads} (null: now).
   *
   * @throws java.util.NoSuchElementException if it is not a page
   */
  static Page read(LiveDocument live, ChangeHash[] heads) {
    require(live);
    Document doc = live.doc();
    ObjectId body = bodyOf(doc);
    String title = Fields.str(doc, "title", heads);
    String text = (heads == null ? doc.text(body) : doc.text(body, heads)).orElse("");
    return new Page(
        new PageId(live.id()), new SpaceId(live.spaceId()), title, text, live.lastSeq());
  }

  /**
   * @throws java.util.NoSuchElementException if {@code live} is not a page
   */
  static void require(LiveDocument live) {
    if (live.kind() != KIND) {
      throw new java.util.NoSuchElementException("Document " + live.id() + " is not a page");
    }
  }

  /** The page's text object, looked up once while it is loaded. */
  static ObjectId body(LiveDocument live) {
    Body b = state(live);
    if (b.text == null) {
      b.text = bodyOf(live.doc());
    }
    return b.text;
  }

  /**
   * The length of the page's text object {@code text} in code points, remembered from the last
   * splice while the version is the same, so typing does not ask Automerge for it on every
   * keystroke.
   */
  static long bodyLength(LiveDocument live, ObjectId text) {
    Body b = state(live);
    if (b.lengthAt != live.lastSeq()) {
      b.length = live.doc().length(text);
      b.lengthAt = live.lastSeq();
    }
    return b.length;
  }

  /** Records the body's length after a change that made the page's current version. */
  static void bodyLengthIs(LiveDocument live, long length) {
    Body b = state(live);
    b.length = length;
    b.lengthAt = live.lastSeq();
  }

  private static Body state(LiveDocument live) {
    Body b = live.get(BODY);
    if (b == null) {
      b = new Body();
      live.set(BODY, b);
    }
    return b;
  }

  private static ObjectId bodyOf(Document doc) {
    return doc.get(ObjectId.ROOT, "body")
        .filter(AmValue.Text.class::isInstance)
        .map(v -> ((AmValue.Text) v).getId())
        .orElseThrow(() -> new StoreException("The page document has no text body"));
  }

  /** A page's text object and its remembered length (at version {@code lengthAt}). */
  private static final class Body {
    ObjectId text;
    long length;
    long lengthAt = -1;
  }

  @Override
  public String toString() {
    return key();
  }
}
