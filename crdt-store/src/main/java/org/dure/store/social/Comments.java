package org.dure.store.social;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.dure.identity.PeerId;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Fields;
import org.dure.store.doc.Ids;
import org.dure.store.doc.Sql;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;

/**
 * The discussion thread of each page: one comments document per page (id derived from the page's),
 * in the page's space. Each comment is a map at the document's root under its own random id, so two
 * peers that start a page's thread at once (each creating the document) lose nothing when their
 * documents merge.
 *
 * <p>The author may edit and delete their own comments (a tombstone: the text goes, replies stay);
 * that is checked here. Who may comment, reply and hide is the space's rule, not the store's: this
 * node's user is asked first by {@code org.dure.moderation.CommentRules} (the permission table in
 * the moderation module), which also decides whether a hide counts in the thread it shows; changes
 * from peers are checked by signer when they arrive (the moderation module's write rules). What
 * arrives is also checked for sizes and types when read.
 */
public final class Comments {
  /** The longest comment, in characters. */
  public static final int MAX_BODY = 4_000;

  /** At most this many comments of a page are read (a bound against a flooding peer). */
  static final int MAX_COMMENTS = 10_000;

  /** Replies deeper than this are shown at this depth. */
  public static final int MAX_DEPTH = 6;

  /**
   * A comment.
   *
   * @param author the peer ID of whoever wrote it (as it claims)
   * @param parent the comment it replies to, if any
   * @param body Markdown; empty once deleted
   * @param hiddenBy who last hid or unhid it (empty if the document names no valid peer ID)
   */
  public record Comment(
      String id,
      PageId page,
      PeerId author,
      Optional<String> parent,
      String body,
      Instant created,
      Optional<Instant> edited,
      boolean deleted,
      boolean hidden,
      Optional<PeerId> hiddenBy) {}

  /** A comment in the thread's display order, with how deep a reply it is (0: not a reply). */
  public record Entry(Comment comment, int depth) {}

  /** Why a comment operation was refused. */
  public enum Reason {
    EMPTY,
    TOO_LONG,
    /** Only members who may edit the space (not readers) may comment. */
    NOT_A_WRITER,
    /** Only the author may edit or delete a comment. */
    NOT_YOURS,
    /** Only the space's owner and moderators may hide comments. */
    NOT_A_MODERATOR,
    NO_SUCH_COMMENT,
    /** The comment was deleted. */
    DELETED
  }

  /** A comment operation this node's user may not do, and why. */
  public static final class RefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    public RefusedException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  private final Documents docs;
  private final Wiki wiki;
  private final ReentrantLock createLock = new ReentrantLock();

  public Comments(Documents docs, Wiki wiki) {
    this.docs = docs;
    this.wiki = wiki;
  }

  /** The id of the comments document of {@code page}. */
  public static String docId(PageId page) {
    return Ids.derived("comments", page.value());
  }

  /**
   * The page's thread: comments oldest first, each followed by its replies (oldest first, depth one
   * more, at most {@link #MAX_DEPTH}). Includes deleted and hidden comments, marked, as written
   * (whether a hide counts is the space's rule: {@code CommentRules#thread}).
   */
  public List<Entry> thread(PageId page) {
    String id = docId(page);
    if (!docs.exists(id)) {
      return List.of();
    }
    List<Comment> all;
    try {
      all = docs.withDocument(id, live -> readAll(live.doc(), page));
    } catch (DamagedDocumentException | NoSuchElementException e) {
      return List.of();
    }
    return order(all);
  }

  /** The number of comments of the page that are not deleted. */
  public int count(PageId page) {
    return (int) thread(page).stream().filter(e -> !e.comment().deleted()).count();
  }

  /** Adds a comment to the page's thread (whether this node's user may: {@code CommentRules}). */
  public Comment add(PageId page, String body) {
    return write(page, Optional.empty(), body);
  }

  /** Adds a reply to comment {@code parentId}. */
  public Comment reply(PageId page, String parentId, String body) {
    find(page, parentId);
    return write(page, Optional.of(parentId), body);
  }

  /** Changes the text of one of this node's own comments. */
  public Comment edit(PageId page, String commentId, String body) {
    String b = checkBody(body);
    Comment c = own(page, commentId);
    Instant now = docs.now();
    commit(
        page,
        "Edited a comment",
        (doc, tx) -> {
          ObjectId obj = commentObject(doc, commentId);
          tx.set(obj, "body", b);
          tx.set(obj, "edited", Date.from(now));
        });
    return find(page, c.id());
  }

  /** Deletes one of this node's own comments: its text goes, "deleted" is shown, replies stay. */
  public void delete(PageId page, String commentId) {
    own(page, commentId);
    Instant now = docs.now();
    commit(
        page,
        "Deleted a comment",
        (doc, tx) -> {
          ObjectId obj = commentObject(doc, commentId);
          tx.set(obj, "body", "");
          tx.set(obj, "deleted", true);
          tx.set(obj, "edited", Date.from(now));
        });
  }

  /**
   * Hides or shows again a comment, signed by this node's user (whether it may: {@code
   * CommentRules}).
   */
  public void hide(PageId page, String commentId, boolean hidden) {
    find(page, commentId);
    String me = docs.identity().peerId().toString();
    commit(
        page,
        hidden ? "Hid a comment" : "Showed a comment again",
        (doc, tx) -> {
          ObjectId obj = commentObject(doc, commentId);
          tx.set(obj, "hidden", hidden);
          tx.set(obj, "hiddenBy", me);
        });
  }

  private SpaceId spaceOf(PageId page) {
    return wiki.pages().summary(page).spaceId();
  }

  private static String checkBody(String body) {
    String b = body == null ? "" : body.strip();
    if (b.isEmpty()) {
      throw new RefusedException(Reason.EMPTY, "A comment needs some text.");
    }
    if (b.codePointCount(0, b.length()) > MAX_BODY) {
      throw new RefusedException(
          Reason.TOO_LONG, "A comment can have at most " + MAX_BODY + " characters.");
    }
    return b;
  }

  private Comment find(PageId page, String commentId) {
    return thread(page).stream()
        .map(Entry::comment)
        .filter(c -> c.id().equals(commentId))
        .findFirst()
        .orElseThrow(
            () -> new RefusedException(Reason.NO_SUCH_COMMENT, "There is no such comment."));
  }

  private Comment own(PageId page, String commentId) {
    Comment c = find(page, commentId);
    if (!c.author().equals(docs.identity().peerId())) {
      throw new RefusedException(Reason.NOT_YOURS, "Only its author may edit or delete a comment.");
    }
    if (c.deleted()) {
      throw new RefusedException(Reason.DELETED, "The comment was deleted.");
    }
    return c;
  }

  private Comment write(PageId page, Optional<String> parent, String body) {
    String b = checkBody(body);
    SpaceId space = spaceOf(page);
    String cid = Ids.random();
    String me = docs.identity().peerId().toString();
    Instant now = docs.now();
    Ops ops =
        (doc, tx) -> {
          ObjectId obj = tx.set(ObjectId.ROOT, cid, ObjectType.MAP);
          tx.set(obj, "author", me);
          parent.ifPresent(p -> tx.set(obj, "parent", p));
          tx.set(obj, "body", b);
          tx.set(obj, "created", Date.from(now));
          tx.set(obj, "deleted", false);
          tx.set(obj, "hidden", false);
        };
    String id = docId(page);
    createLock.lock();
    try {
      if (!docs.exists(id)) {
        var meta = docs.meta(Optional.of("Commented"));
        docs.createDocument(
            id,
            CommentsKind.KIND,
            space.value(),
            tx -> {
              tx.set(ObjectId.ROOT, "space", space.value());
              tx.set(ObjectId.ROOT, "page", page.value());
              ops.apply(null, tx);
            },
            meta,
            Sql.OnCommit.NONE);
        docs.fire(id, CommentsKind.KIND, space.value(), Optional.empty());
      } else {
        commit(page, parent.isPresent() ? "Replied" : "Commented", ops);
      }
    } finally {
      createLock.unlock();
    }
    return find(page, cid);
  }

  private interface Ops {
    void apply(Document doc, org.automerge.Transaction tx);
  }

  private void commit(PageId page, String message, Ops ops) {
    String id = docId(page);
    var meta = docs.meta(Optional.of(message));
    String space =
        docs.withDocument(
            id,
            live -> {
              docs.commit(live, tx -> ops.apply(live.doc(), tx), meta, Sql.OnCommit.NONE);
              return live.spaceId();
            });
    docs.fire(id, CommentsKind.KIND, space, Optional.empty());
  }

  private static ObjectId commentObject(Document doc, String commentId) {
    return doc.get(ObjectId.ROOT, commentId)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseThrow(
            () -> new RefusedException(Reason.NO_SUCH_COMMENT, "There is no such comment."));
  }

  /** Every well-formed comment in {@code doc} (others are skipped), in no order. */
  private static List<Comment> readAll(Document doc, PageId page) {
    List<Comment> out = new ArrayList<>();
    String[] keys = doc.keys(ObjectId.ROOT).orElse(new String[0]);
    for (String key : keys) {
      if (out.size() >= MAX_COMMENTS) {
        break;
      }
      if (!Ids.isValid(key)) {
        continue;
      }
      Optional<AmValue> v = doc.get(ObjectId.ROOT, key);
      if (v.isEmpty() || !(v.get() instanceof AmValue.Map m)) {
        continue;
      }
      read(doc, m.getId(), key, page).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<Comment> read(Document doc, ObjectId obj, String id, PageId page) {
    Optional<String> author = string(doc, obj, "author");
    Optional<String> body = string(doc, obj, "body");
    Optional<Instant> created = time(doc, obj, "created");
    if (author.isEmpty() || body.isEmpty() || created.isEmpty()) {
      return Optional.empty();
    }
    Optional<PeerId> writer = author.flatMap(Fields::peerId);
    if (writer.isEmpty()) {
      return Optional.empty();
    }
    String b = body.get();
    if (b.codePointCount(0, b.length()) > MAX_BODY) {
      return Optional.empty();
    }
    Optional<String> parent = string(doc, obj, "parent").filter(Ids::isValid);
    boolean deleted = bool(doc, obj, "deleted");
    return Optional.of(
        new Comment(
            id,
            page,
            writer.get(),
            parent,
            deleted ? "" : b,
            created.get(),
            time(doc, obj, "edited"),
            deleted,
            bool(doc, obj, "hidden"),
            string(doc, obj, "hiddenBy").flatMap(Fields::peerId)));
  }

  private static Optional<String> string(Document doc, ObjectId obj, String key) {
    return doc.get(obj, key)
        .filter(AmValue.Str.class::isInstance)
        .map(v -> ((AmValue.Str) v).getValue());
  }

  private static Optional<Instant> time(Document doc, ObjectId obj, String key) {
    return doc.get(obj, key)
        .filter(AmValue.Timestamp.class::isInstance)
        .map(v -> ((AmValue.Timestamp) v).getValue().toInstant());
  }

  private static boolean bool(Document doc, ObjectId obj, String key) {
    return doc.get(obj, key)
        .filter(AmValue.Bool.class::isInstance)
        .map(v -> ((AmValue.Bool) v).getValue())
        .orElse(false);
  }

  /**
   * Display order: top-level comments oldest first, each followed by its replies. A reply whose
   * parent is missing is shown at the top level, and so is a comment caught in a cycle of replies
   * (a peer may have written any parents).
   */
  static List<Entry> order(List<Comment> comments) {
    Comparator<Comment> byAge = Comparator.comparing(Comment::created).thenComparing(Comment::id);
    Map<String, Comment> byId = new HashMap<>();
    for (Comment c : comments) {
      byId.put(c.id(), c);
    }
    Map<String, List<Comment>> children = new HashMap<>();
    List<Comment> roots = new ArrayList<>();
    for (Comment c : comments) {
      if (c.parent().isPresent()
          && byId.containsKey(c.parent().get())
          && !c.parent().get().equals(c.id())) {
        children.computeIfAbsent(c.parent().get(), k -> new ArrayList<>()).add(c);
      } else {
        roots.add(c);
      }
    }
    children.values().forEach(l -> l.sort(byAge));
    roots.sort(byAge);
    List<Entry> out = new ArrayList<>(comments.size());
    Set<String> seen = new HashSet<>();
    walk(roots, children, seen, out);
    if (seen.size() < comments.size()) {
      List<Comment> cycles = new ArrayList<>();
      for (Comment c : comments) {
        if (!seen.contains(c.id())) {
          cycles.add(c);
        }
      }
      cycles.sort(byAge);
      for (Comment c : cycles) {
        if (!seen.contains(c.id())) {
          walk(List.of(c), children, seen, out);
        }
      }
    }
    return out;
  }

  private record Pending(Comment comment, int depth) {}

  private static void walk(
      List<Comment> roots, Map<String, List<Comment>> children, Set<String> seen, List<Entry> out) {
    ArrayDeque<Pending> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Pending(roots.get(i), 0));
    }
    while (!stack.isEmpty()) {
      Pending p = stack.pop();
      if (!seen.add(p.comment().id())) {
        continue;
      }
      out.add(new Entry(p.comment(), Math.min(p.depth(), MAX_DEPTH)));
      List<Comment> kids = children.getOrDefault(p.comment().id(), List.of());
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.push(new Pending(kids.get(i), p.depth() + 1));
      }
    }
  }

  /** Why {@code doc} is not a comments document with id {@code docId} of {@code space}, or null. */
  static String checkShape(String docId, SpaceId space, Document doc) {
    if (!space.value().equals(Fields.str(doc, "space"))) {
      return "the comments are not of space " + space;
    }
    String page = Fields.str(doc, "page");
    if (!Ids.isValid(page) || !docId.equals(docId(new PageId(page)))) {
      return "the comments' id is not the one derived from their page";
    }
    return null;
  }
}
