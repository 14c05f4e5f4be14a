package org.dure.store.wiki;

import java.sql.PreparedStatement;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Fields;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;
import org.dure.store.doc.StoreException;

/**
 * A wiki page: {@code title}, {@code space} (its space's id), {@code created} and {@code body}, a
 * text of Markdown. Listed in table {@code pages} (title, times) for page lists, links and search.
 */
public final class PageKind implements DocumentKind {
  /** The one instance. */
  public static final PageKind KIND = new PageKind();

  /** What a page keeps in memory while loaded: its text object and the text's length. */
  private static final LiveDocument.Slot<Body> BODY = LiveDocument.Slot.content();

  private PageKind() {}

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
    return null;
  }

  @Override
  public Sql.OnCommit afterImport(String docId, String spaceId, Document doc, long timeMillis) {
    String title = Fields.str(doc, "title");
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
    };
  }

  @Override
  public Sql.OnCommit afterMerge(LiveDocument live, long timeMillis) {
    String title = Fields.str(live.doc(), "title");
    String id = live.id();
    return (d, seq) -> {
      PreparedStatement ps =
          d.statement("UPDATE pages SET updated = ?, title = ?, title_key = ? WHERE id = ?");
      ps.setLong(1, timeMillis);
      ps.setString(2, title);
      ps.setString(3, WikiLinks.key(title));
      ps.setString(4, id);
      ps.executeUpdate();
    };
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
