package org.dure.store.wiki;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Sql;

/**
 * The wiki: spaces, their membership, pages, history, links and search, on the document kernel.
 * Thread-safe; every call that returns has been committed to disk.
 */
public final class Wiki implements AutoCloseable {
  /** The name of the space a new data directory starts with. */
  public static final String DEFAULT_SPACE_NAME = "My wiki";

  /** The title of the page it starts with. */
  public static final String WELCOME_TITLE = "Welcome";

  /**
   * What a journalled edit of a page updates when it reaches SQLite: the page's time of change (the
   * kernel's {@link Sql.OnEdit} for a store holding a wiki).
   */
  public static final Sql.OnEdit ON_EDIT = PageKind::touch;

  /** A document a feature makes with every space created here (the space's moderation records). */
  @FunctionalInterface
  public interface SpaceDocument {
    /** Creates its document of the new space {@code space}; returns what it created. */
    Created create(SpaceId space);

    /** A document created with a space. */
    record Created(String docId, DocumentKind kind) {}
  }

  private final Documents docs;
  // Creations that first look whether something exists take it, so two cannot both create it.
  private final ReentrantLock createLock = new ReentrantLock();
  private final List<SpaceDocument> spaceDocuments = new CopyOnWriteArrayList<>();
  private final Spaces spaces;
  private final Memberships memberships;
  private final SearchIndex index;
  private final Pages pages;
  private final History history;
  private final Search search;
  private final HiddenPages hidden;
  private final Trash trash;

  /**
   * The wiki on {@code docs}.
   *
   * @param indexDelay how long after an edit links and the search index are brought up to date
   * @param maxPageLength the most code points a page body may have
   */
  public Wiki(Documents docs, Duration indexDelay, int maxPageLength) {
    this.docs = docs;
    this.spaces = new Spaces(docs);
    this.memberships = new Memberships(docs, spaces, createLock);
    this.index = new SearchIndex(docs, indexDelay);
    this.pages = new Pages(docs, spaces, index, createLock, maxPageLength);
    this.history = new History(docs, pages);
    this.search = new Search(docs, pages, index);
    this.hidden = new HiddenPages(docs);
    this.trash = new Trash(docs);
  }

  /** The kinds of document the wiki holds. */
  public static List<DocumentKind> kinds() {
    return List.of(SpaceIndexKind.KIND, MembershipKind.KIND, PageKind.KIND);
  }

  /** Makes {@code document} part of every space created here from now on. */
  public void onNewSpace(SpaceDocument document) {
    spaceDocuments.add(document);
  }

  public Spaces spaces() {
    return spaces;
  }

  public Memberships memberships() {
    return memberships;
  }

  public Pages pages() {
    return pages;
  }

  public History history() {
    return history;
  }

  public Search search() {
    return search;
  }

  public SearchIndex index() {
    return index;
  }

  /** Each space's deleted pages, restorable for 30 days. */
  public Trash trash() {
    return trash;
  }

  /** Pages hidden space-wide. */
  public HiddenPages hidden() {
    return hidden;
  }

  /**
   * Creates a space, with this node's identity as its owner: its index, its membership and what
   * other features make with every space ({@link #onNewSpace}).
   */
  public Space createSpace(String name) {
    Space s = spaces.createIndex(name);
    SpaceId id = s.id();
    memberships.create(id);
    List<SpaceDocument.Created> more = new ArrayList<>();
    for (SpaceDocument d : spaceDocuments) {
      more.add(d.create(id));
    }
    docs.fire(id.value(), SpaceIndexKind.KIND, id.value(), Optional.empty());
    memberships.fireChanged(id);
    for (SpaceDocument.Created c : more) {
      docs.fire(c.docId(), c.kind(), id.value(), Optional.empty());
    }
    return s;
  }

  /** The first space; on first start creates "My wiki" with a welcome page that explains Dure. */
  public Space defaultSpace() {
    createLock.lock();
    try {
      List<Space> all = spaces.all();
      if (!all.isEmpty()) {
        return all.get(0);
      }
      Space space = createSpace(DEFAULT_SPACE_NAME);
      pages.create(space.id(), WELCOME_TITLE, WelcomePage.BODY, Optional.of("Welcome to Dure"));
      return space;
    } finally {
      createLock.unlock();
    }
  }

  /**
   * Reads the spaces' memberships, starts indexing the pages whose last versions are not indexed
   * yet and purges the trash of pages deleted over 30 days ago (the store calls it once it has
   * dealt with what a crash left behind: these load documents).
   */
  public void start() {
    memberships.readAll();
    index.start();
    trash.purgeExpired();
  }

  /** Stops the indexer thread at once (for tests of recovery). */
  public void abandon() {
    index.abandon();
  }

  /** Stops the indexer, indexing what is pending. */
  @Override
  public void close() {
    index.close();
  }
}
