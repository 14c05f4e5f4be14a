package org.dure.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.DocumentKinds;
import org.dure.store.doc.DocumentStore;
import org.dure.store.doc.Documents;
import org.dure.store.doc.StoreException;
import org.dure.store.moderation.EditReverts;
import org.dure.store.moderation.Invites;
import org.dure.store.moderation.ModerationKind;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.moderation.UsageTables;
import org.dure.store.social.Activity;
import org.dure.store.social.Comments;
import org.dure.store.social.CommentsKind;
import org.dure.store.social.Friends;
import org.dure.store.social.Mentions;
import org.dure.store.social.ProfileKind;
import org.dure.store.social.Profiles;
import org.dure.store.sync.Attestations;
import org.dure.store.sync.BlockedPeers;
import org.dure.store.sync.InflightLog;
import org.dure.store.sync.NativeSandbox;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.History;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Memberships;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Pages;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Search;
import org.dure.store.wiki.SearchHit;
import org.dure.store.wiki.SearchIndex;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Spaces;
import org.dure.store.wiki.TextDiff;
import org.dure.store.wiki.Version;
import org.dure.store.wiki.Wiki;

/**
 * The wiki store: opens a data directory (its lock file, database, journal and identity), builds
 * the document kernel ({@link Documents}) and the features on it, hands them out, and closes them.
 * Thread-safe; every call that returns has been committed to disk.
 *
 * <p>Its remaining methods are the wiki's most used calls, each a one-line delegate to the feature
 * that does it ({@link Wiki}: {@link Spaces}, {@link Memberships}, {@link Pages}, {@link History},
 * {@link Search}).
 */
public final class WikiStore implements AutoCloseable {
  /** See {@link Wiki#DEFAULT_SPACE_NAME}. */
  public static final String DEFAULT_SPACE_NAME = Wiki.DEFAULT_SPACE_NAME;

  /** See {@link Wiki#WELCOME_TITLE}. */
  public static final String WELCOME_TITLE = Wiki.WELCOME_TITLE;

  /** The SQLite database's file name in the data directory. */
  public static final String DATABASE_FILE = DataDirectory.DATABASE_FILE;

  private final DataDirectory dir;
  private final InflightLog inflight;
  private final Documents documents;
  private final Wiki wiki;
  private final Attestations attestations;
  private final BlockedPeers blocked;
  private final StoreSync sync;
  private final Friends friends;
  private final Profiles profiles;
  private final Comments comments;
  private final Activity activity;
  private final ModerationRecords moderation;
  private final Mentions mentions;
  private final Invites invites;
  private final EditReverts reverts;
  private final UsageTables usage;

  private WikiStore(DocumentStore db, Identity identity, StoreOptions options, DataDirectory dir) {
    this.dir = dir;
    try {
      this.inflight = InflightLog.open(dir == null ? null : dir.inflight());
    } catch (IOException e) {
      throw new StoreException("Cannot open the in-flight records: " + e.getMessage(), e);
    }
    List<DocumentKind> kinds = new ArrayList<>(Wiki.kinds());
    kinds.addAll(List.of(ProfileKind.KIND, CommentsKind.KIND, ModerationKind.KIND));
    this.documents =
        new Documents(
            db,
            identity,
            options.clock(),
            options.lanes(),
            options.nativeMemoryBudget(),
            new DocumentKinds(kinds),
            inflight.loads());
    this.wiki = new Wiki(documents, options.indexDelay(), options.maxPageLength());
    this.attestations = new Attestations(documents);
    this.blocked = new BlockedPeers(documents, options.clock());
    NativeSandbox sandbox =
        options.sandboxCommand().isEmpty()
            ? NativeSandbox.childJvm()
            : NativeSandbox.worker(options.sandboxCommand(), Duration.ofSeconds(60));
    this.sync = new StoreSync(documents, wiki, attestations, blocked, inflight, sandbox);
    if (dir != null) {
      sync.recoverFromCrash(dir.inflight().toAbsolutePath().getParent());
    }
    wiki.start(); // after recovery: what crashed the last process is known before pages load
    this.friends = new Friends(documents);
    this.profiles = new Profiles(documents, wiki);
    this.comments = new Comments(documents, wiki);
    this.activity = new Activity(documents, wiki);
    this.moderation = new ModerationRecords(documents, wiki);
    this.mentions = new Mentions(documents, wiki, () -> moderation.mutedPeers().keySet());
    this.invites = new Invites(documents, wiki.memberships(), friends);
    this.reverts = new EditReverts(documents, wiki, profiles, moderation);
    this.usage = new UsageTables(documents);
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}: {@code dure.db}, the identity key and
   * a lock file so only one process uses the directory.
   *
   * @throws StoreLockedException if another process has it open
   */
  public static WikiStore open(Path dataDir, StoreOptions options) {
    DataDirectory dir;
    try {
      dir = DataDirectory.take(dataDir);
    } catch (IOException e) {
      throw new StoreException("Cannot open the data directory " + dataDir + ": " + e, e);
    }
    try {
      DocumentStore db =
          DocumentStore.open(
              dir.database(), options.journalFlushInterval(), StoreSchema.SCHEMA, Wiki.ON_EDIT);
      return new WikiStore(db, dir.identity(), options, dir);
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  public static WikiStore open(Path dataDir) {
    return open(dataDir, StoreOptions.defaults());
  }

  /** A store in memory, for tests and throw-away use. */
  public static WikiStore inMemory(Identity identity, StoreOptions options) {
    return new WikiStore(
        DocumentStore.inMemory(StoreSchema.SCHEMA, Wiki.ON_EDIT), identity, options, null);
  }

  // ---------------------------------------------------------------- features

  public Identity identity() {
    return documents.identity();
  }

  /** The document kernel under the features (for this package's tests and tools). */
  Documents documents() {
    return documents;
  }

  /** Spaces, membership, pages, history, links and search. */
  public Wiki wiki() {
    return wiki;
  }

  /** What the sync protocol uses: documents to offer, sync messages, snapshots, change events. */
  public StoreSync sync() {
    return sync;
  }

  /** Signed authorship: the attestations this node holds and signs. */
  public Attestations attestations() {
    return attestations;
  }

  /** Invitations to spaces: made here, redeemed by peers, or accepted from peers. */
  public Invites invites() {
    return invites;
  }

  /** Members' profiles: display name, bio and avatar, one document per space and member. */
  public Profiles profiles() {
    return profiles;
  }

  /** The discussion threads of pages. */
  public Comments comments() {
    return comments;
  }

  /** Bans, hidden pages, reports and the moderation log of spaces; muted peers. */
  public ModerationRecords moderation() {
    return moderation;
  }

  /** Reverting every edit by one peer since a time across a space (a moderator's action). */
  public EditReverts reverts() {
    return reverts;
  }

  /** The activity feed across every space here. */
  public Activity activity() {
    return activity;
  }

  /** Notifications of @mentions of this node. */
  public Mentions mentions() {
    return mentions;
  }

  /** Friends: local contacts, not synced. */
  public Friends friends() {
    return friends;
  }

  /** The usage ledger, resource settings and bytes held per space. */
  public UsageTables usageTables() {
    return usage;
  }

  // ---------------------------------------------------------------- the wiki's calls

  /** See {@link Wiki#createSpace}. */
  public Space createSpace(String name) {
    return wiki.createSpace(name);
  }

  /** See {@link Spaces#all}. */
  public List<Space> spaces() {
    return wiki.spaces().all();
  }

  /** See {@link Spaces#get}. */
  public Space space(SpaceId id) {
    return wiki.spaces().get(id);
  }

  /** See {@link Wiki#defaultSpace}. */
  public Space defaultSpace() {
    return wiki.defaultSpace();
  }

  /** See {@link Memberships#docId}. */
  public static String membershipDocId(SpaceId space) {
    return Memberships.docId(space);
  }

  /** See {@link ModerationRecords#documentId}. */
  public static String moderationDocId(SpaceId space) {
    return ModerationRecords.documentId(space);
  }

  /** See {@link Memberships#of}. */
  public Membership membership(SpaceId spaceId) {
    return wiki.memberships().of(spaceId);
  }

  /** See {@link Memberships#add}. */
  public Membership addMember(SpaceId spaceId, PeerId peerId, Role role) {
    return wiki.memberships().add(spaceId, peerId, role);
  }

  /** See {@link Memberships#remove}. */
  public Membership removeMember(SpaceId spaceId, PeerId peerId) {
    return wiki.memberships().remove(spaceId, peerId);
  }

  /** See {@link Pages#create}. */
  public PageSummary createPage(
      SpaceId spaceId, String title, String body, Optional<String> message) {
    return wiki.pages().create(spaceId, title, body, message);
  }

  /** See {@link Pages#find}. */
  public Optional<PageSummary> findPage(SpaceId spaceId, String title) {
    return wiki.pages().find(spaceId, title);
  }

  /** See {@link Pages#summary}. */
  public PageSummary summary(PageId id) {
    return wiki.pages().summary(id);
  }

  /** See {@link Pages#list}. */
  public List<PageSummary> pages(SpaceId spaceId, int offset, int limit) {
    return wiki.pages().list(spaceId, offset, limit);
  }

  /** See {@link Pages#count}. */
  public int pageCount(SpaceId spaceId) {
    return wiki.pages().count(spaceId);
  }

  /** See {@link Pages#page}. */
  public Page page(PageId id) {
    return wiki.pages().page(id);
  }

  /** See {@link Pages#splice}. */
  public long splice(PageId id, long pos, long deleteCount, String text) {
    return wiki.pages().splice(id, pos, deleteCount, text, Optional.empty());
  }

  /** See {@link Pages#splice}. */
  public long splice(PageId id, long pos, long deleteCount, String text, Optional<String> message) {
    return wiki.pages().splice(id, pos, deleteCount, text, message);
  }

  /** See {@link Pages#replaceText}; based on the current version. */
  public long replaceText(PageId id, String newText, Optional<String> message) {
    return wiki.pages().replaceText(id, -1, newText, message);
  }

  /** See {@link Pages#replaceText}. */
  public long replaceText(PageId id, long baseVersion, String newText, Optional<String> message) {
    return wiki.pages().replaceText(id, baseVersion, newText, message);
  }

  /** See {@link History#of}. */
  public List<Version> history(PageId id, int offset, int limit) {
    return wiki.history().of(id, offset, limit);
  }

  /** See {@link History#pageAt}. */
  public Page pageAt(PageId id, long version) {
    return wiki.history().pageAt(id, version);
  }

  /** See {@link History#diff}. */
  public TextDiff diff(PageId id, long fromVersion, long toVersion) {
    return wiki.history().diff(id, fromVersion, toVersion);
  }

  /** See {@link History#revert}. */
  public long revert(PageId id, long version) {
    return wiki.history().revert(id, version);
  }

  /** See {@link Search#backlinks}. */
  public List<PageSummary> backlinks(PageId id) {
    return wiki.search().backlinks(id);
  }

  /** See {@link Search#search}. */
  public List<SearchHit> search(Optional<SpaceId> spaceId, String query, int limit) {
    return wiki.search().search(spaceId, query, limit);
  }

  /** See {@link SearchIndex#flush}. */
  public void flushIndex() {
    wiki.index().flush();
  }

  /** See {@link BlockedPeers#block}. */
  public void blockPeer(PeerId peer, String reason) {
    blocked.block(peer, reason);
  }

  /** See {@link BlockedPeers#unblock}. */
  public void unblockPeer(PeerId peer) {
    blocked.unblock(peer);
  }

  /** See {@link BlockedPeers#all}. */
  public Map<PeerId, String> blockedPeers() {
    return blocked.all();
  }

  /**
   * Merges another store's copy of a document into this one and persists what was new (a local
   * stand-in for sync between peers; both stores must be trusted, as this passes their bytes to
   * Automerge unchecked).
   *
   * @return this store's version of the document afterwards
   */
  long mergeFrom(WikiStore other, String docId) {
    byte[] saved = other.documents.withDocument(docId, live -> live.doc().save());
    return wiki.pages().mergeFrom(saved, docId);
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Returns once every edit made so far is on the disk, safe from a power loss or OS crash as well
   * as from a crash of the process. Only {@link #splice} needs it: every other change returns once
   * it is on the disk, and a spliced edit is there within the journal's flush interval anyway.
   * Callers arriving together share one write to the disk.
   */
  public void awaitDurable() {
    documents.awaitDurable();
  }

  /** The result of SQLite's {@code PRAGMA integrity_check}: "ok" when the database is sound. */
  public String integrityCheck() {
    return documents.integrityCheck();
  }

  /** How many journalled edits were found (and applied) when the store was opened. */
  int recoveredEdits() {
    return documents.recoveredEdits();
  }

  /**
   * Stops this store as a crash would: edits still in the journal are not applied and nothing is
   * flushed (for tests of recovery). The store cannot be used afterwards.
   */
  void abandonForTest() {
    wiki.abandon();
    documents.abandon();
    if (dir != null) {
      try {
        dir.release();
      } catch (IOException e) {
        throw new StoreException("Cannot release the lock: " + e.getMessage(), e);
      }
    }
  }

  /** Open documents and their estimated native memory, for diagnostics and benchmarks. */
  public long[] cacheStats() {
    return documents.cacheStats();
  }

  @Override
  public void close() {
    mentions.close();
    wiki.close();
    documents.close();
    inflight.close();
    if (dir != null) {
      dir.close();
    }
  }

  @Override
  public String toString() {
    return "WikiStore[" + identity().peerId().toString().toLowerCase(Locale.ROOT) + "]";
  }
}
