package org.dure.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiki store: spaces and pages as Automerge documents in SQLite, with history, links and
 * search. Thread-safe; every call that returns has been committed to disk.
 *
 * <p>Text positions are Unicode code points, as in Automerge.
 */
public final class WikiStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WikiStore.class);
  static final String KIND_PAGE = "page";
  static final String KIND_SPACE = "space";
  static final String KIND_MEMBERS = "members";
  static final String KIND_PROFILE = "profile";
  static final String KIND_COMMENTS = "comments";
  static final String KIND_MODERATION = "moderation";
  public static final String DEFAULT_SPACE_NAME = "My wiki";
  public static final String WELCOME_TITLE = "Welcome";

  /** The SQLite database's file name in the data directory. */
  public static final String DATABASE_FILE = "dure.db";

  /**
   * What the store keeps in the data directory, owner-only (see {@link PrivateFiles}); an existing
   * one with looser permissions is tightened when the store opens.
   */
  static final List<String> PRIVATE_FILES =
      List.of(
          DATABASE_FILE,
          DATABASE_FILE + "-wal",
          DATABASE_FILE + "-shm",
          DATABASE_FILE + "-journal",
          "dure.lock",
          Journal.FILE_NAMES.get(0),
          Journal.FILE_NAMES.get(1),
          Identity.FILE_NAME,
          Identity.FILE_NAME + ".tmp",
          StoreSync.NATIVE_CRASH_MARKER,
          "inflight/");

  private final Database db;
  private final Identity identity;
  private final Attestations attestations;
  private final StoreOptions options;
  private final DocumentRepository repo;
  private final DocumentLanes lanes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean indexScheduled = new AtomicBoolean();
  private final ReentrantLock indexLock = new ReentrantLock();
  private final ReentrantLock createLock = new ReentrantLock();
  private final ScheduledThreadPoolExecutor indexer;
  private final StoreSync sync;
  private final InflightLog inflight;
  private final Quarantine quarantine;
  private final Invites invites = new Invites(this);
  private final Profiles profiles;
  private final Comments comments = new Comments(this);
  private final Activity activity = new Activity(this);
  private final Mentions mentions = new Mentions(this);
  private final Friends friends = new Friends(this);
  private final ModerationRecords moderation = new ModerationRecords(this);
  private final EditReverts reverts = new EditReverts(this);

  private WikiStore(
      Database db,
      Identity identity,
      StoreOptions options,
      FileChannel lockChannel,
      FileLock lock,
      Path inflightDir) {
    this.db = db;
    this.identity = identity;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    try {
      this.inflight = new InflightLog(inflightDir);
    } catch (IOException e) {
      throw new StoreException("Cannot open the in-flight records: " + e.getMessage(), e);
    }
    this.repo = new DocumentRepository(db, identity.author().publicKey(), inflight);
    this.lanes =
        new DocumentLanes(
            options.lanes(), options.nativeMemoryBudget(), repo::load, repo::compactIfDue);
    this.attestations = new Attestations(this);
    this.quarantine = new Quarantine(db, options.clock());
    NativeSandbox sandbox =
        options.sandboxCommand().isEmpty()
            ? NativeSandbox.childJvm()
            : NativeSandbox.worker(options.sandboxCommand(), java.time.Duration.ofSeconds(60));
    this.sync = new StoreSync(this, quarantine, sandbox);
    if (inflightDir != null) {
      recoverFromCrash(inflightDir.toAbsolutePath().getParent(), sandbox);
    }
    this.profiles = new Profiles(this);
    this.indexer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "dure-indexer");
              t.setDaemon(true);
              return t;
            });
    indexer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    dirty.addAll(
        db.read(
            d -> {
              List<String> ids = new ArrayList<>();
              try (ResultSet rs =
                  d.statement(
                          "SELECT p.id FROM pages p JOIN documents doc ON doc.id = p.id"
                              + " WHERE p.indexed_seq < doc.last_seq AND doc.damaged IS NULL")
                      .executeQuery()) {
                while (rs.next()) {
                  ids.add(rs.getString(1));
                }
              }
              return ids;
            }));
    if (!dirty.isEmpty()) {
      scheduleIndex();
    }
  }

  /** Deals with what a process that died in native code was doing (see {@link CrashRecovery}). */
  private void recoverFromCrash(Path dataDir, NativeSandbox sandbox) {
    try {
      CrashRecovery.recover(
          dataDir.resolve(CrashRecovery.NATIVE_CRASH_MARKER),
          inflight,
          quarantine,
          sandbox,
          new CrashRecovery.Store() {
            @Override
            public void blockPeer(String peer, String reason) {
              WikiStore.this.blockPeer(peer, reason);
            }

            @Override
            public void markDamaged(String docId, String reason) {
              repo.markDamaged(docId, reason);
            }

            @Override
            public byte[] storedBytes(String docId) {
              return repo.storedBytes(docId);
            }
          });
    } catch (IOException e) {
      throw new StoreException("Cannot check for inputs left in flight: " + e.getMessage(), e);
    }
  }

  /** Where native work on a peer's input or a stored document is recorded while it runs. */
  InflightLog inflight() {
    return inflight;
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}: {@code dure.db}, the identity key and
   * a lock file so only one process uses the directory.
   *
   * @throws StoreLockedException if another process has it open
   */
  public static WikiStore open(Path dataDir, StoreOptions options) {
    FileChannel ch = null;
    try {
      PrivateFiles.directory(dataDir);
      PrivateFiles.tighten(dataDir, PRIVATE_FILES);
      ch =
          PrivateFiles.open(
              dataDir.resolve("dure.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new StoreLockedException(dataDir);
      }
      Identity identity = Identity.loadOrCreate(dataDir);
      // Created owner-only here: SQLite gives its -wal and -shm files the database's permissions.
      PrivateFiles.ensureFile(dataDir.resolve(DATABASE_FILE));
      Database db = Database.open(dataDir.resolve(DATABASE_FILE), options.journalFlushInterval());
      return new WikiStore(db, identity, options, ch, lock, dataDir.resolve("inflight"));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new StoreException("Cannot open the data directory " + dataDir + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  public static WikiStore open(Path dataDir) {
    return open(dataDir, StoreOptions.defaults());
  }

  /** A store in memory, for tests and throw-away use. */
  public static WikiStore inMemory(Identity identity, StoreOptions options) {
    return new WikiStore(Database.inMemory(), identity, options, null, null, null);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  public Identity identity() {
    return identity;
  }

  DocumentRepository.CommitMeta meta(Optional<String> message) {
    return new DocumentRepository.CommitMeta(
        Optional.of(identity.author()),
        options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        message.map(String::strip).filter(m -> !m.isEmpty()));
  }

  // ---------------------------------------------------------------- spaces

  /** Creates a space, with this node's identity as its owner. */
  public Space createSpace(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > 100) {
      throw new IllegalArgumentException("A space needs a name of 1 to 100 characters.");
    }
    SpaceId id = SpaceId.random();
    var meta = meta(Optional.of("Created space"));
    lanes.create(
        id.value(),
        () ->
            repo.create(
                id.value(),
                KIND_SPACE,
                id.value(),
                tx -> {
                  tx.set(ObjectId.ROOT, "name", n);
                  tx.set(ObjectId.ROOT, "created", Date.from(meta.time()));
                  tx.set(ObjectId.ROOT, "pages", ObjectType.MAP);
                },
                meta,
                (d, seq) -> {
                  PreparedStatement ps =
                      d.statement("INSERT INTO spaces(id, name, created) VALUES (?, ?, ?)");
                  ps.setString(1, id.value());
                  ps.setString(2, n);
                  ps.setLong(3, meta.time().toEpochMilli());
                  ps.executeUpdate();
                }),
        live -> null);
    createMembership(id);
    createModerationDocument(id);
    fireChanged(id.value(), id, KIND_SPACE);
    fireChanged(membershipDocId(id), id, KIND_MEMBERS);
    fireChanged(ModerationRecords.documentId(id), id, KIND_MODERATION);
    return new Space(id, n, meta.time());
  }

  // ---------------------------------------------------------------- sync support

  /** What the sync protocol uses: documents to offer, sync messages, snapshots, change events. */
  /** Signed authorship: the attestations this node holds and signs. */
  public Attestations attestations() {
    return attestations;
  }

  public StoreSync sync() {
    return sync;
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

  DocumentRepository repo() {
    return repo;
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

  Instant now() {
    return options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  Database db() {
    return db;
  }

  DocumentLanes lanes() {
    return lanes;
  }

  void fireChanged(String docId, SpaceId spaceId, String kind) {
    sync.fire(new DocumentRef(docId, DocumentRef.Kind.ofKey(kind), spaceId), Optional.empty());
  }

  /**
   * Persists what a sync message changed in {@code live} (runs on its lane); keeps the page's or
   * space's listing up to date. Returns whether anything changed.
   */
  boolean persistSynced(LiveDocument live, DocumentRef ref, String peer, Set<Author> verified) {
    var meta =
        new DocumentRepository.CommitMeta(
            Optional.empty(),
            options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            Optional.of("Synced with " + shortPeer(peer)));
    String title = ref.kind() == DocumentRef.Kind.PAGE ? str(live.doc, "title", null) : null;
    String name = ref.kind() == DocumentRef.Kind.SPACE ? str(live.doc, "name", null) : null;
    var hidden = ref.kind() == DocumentRef.Kind.SPACE ? ModerationRecords.hiddenOf(live.doc) : null;
    OptionalLong seq =
        repo.persistExternal(
            live,
            meta,
            (d, s) -> {
              if (title != null) {
                PreparedStatement ps =
                    d.statement(
                        "UPDATE pages SET updated = ?, title = ?, title_key = ? WHERE id = ?");
                ps.setLong(1, meta.time().toEpochMilli());
                ps.setString(2, title);
                ps.setString(3, WikiLinks.key(title));
                ps.setString(4, live.id);
                ps.executeUpdate();
              }
              if (name != null && !name.isBlank()) {
                PreparedStatement ps = d.statement("UPDATE spaces SET name = ? WHERE id = ?");
                ps.setString(1, name);
                ps.setString(2, live.id);
                ps.executeUpdate();
              }
              if (hidden != null) {
                ModerationRecords.writeHidden(d, ref.space(), hidden);
              }
              ClaimedAuthors.markVerified(d, live.id, s, verified);
            });
    live.opsEstimate = Math.max(live.opsEstimate, LiveDocument.visibleTextLength(live.doc));
    return seq.isPresent();
  }

  void afterSynced(DocumentRef ref) {
    if (ref.kind() == DocumentRef.Kind.PAGE) {
      markDirty(new PageId(ref.id()));
    }
  }

  private static String shortPeer(String peer) {
    return peer.length() > 8 ? "…" + peer.substring(peer.length() - 8) : peer;
  }

  /**
   * Stores a document received whole from {@code peer}, after checking it is what {@code ref} says.
   * Loads it on its lane (the caller has already loaded it once in a sandbox).
   */
  void importDocument(
      DocumentRef ref,
      byte[] snapshot,
      String peer,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors,
      InflightLog.Entry inFlight)
      throws PeerDataException {
    var meta =
        new DocumentRepository.CommitMeta(
            Optional.empty(),
            options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            Optional.of("Received from " + shortPeer(peer)));
    try {
      lanes.create(
          ref.id(),
          () -> {
            // Again on the document's lane, where creations of one id run one at a time: two
            // sessions with one peer (a reconnect and the session it replaces) may both have
            // passed the caller's check with the same snapshot.
            if (documentExists(ref.id())) {
              throw new IllegalStateException("Document " + ref.id() + " is already here");
            }
            // Right before native code gets the bytes (not while the import waits for the lane).
            Path record = inflight.begin(inFlight);
            try {
              return importOnLane(ref, snapshot, meta, attestations, authors);
            } finally {
              inflight.end(record);
            }
          },
          live -> null);
    } catch (RefusedImport e) {
      throw e.toPeerData(ref.id());
    }
    if (ref.kind() == DocumentRef.Kind.PAGE) {
      markDirty(new PageId(ref.id()));
    }
  }

  /** The import of a snapshot, on its lane. */
  private LiveDocument importOnLane(
      DocumentRef ref,
      byte[] snapshot,
      DocumentRepository.CommitMeta meta,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors) {
    Document doc;
    try {
      Document loaded = Document.load(snapshot);
      try {
        doc = loaded.fork(repo.newActorId()); // write as this node
      } finally {
        loaded.free();
      }
    } catch (RuntimeException e) {
      throw new RefusedImport("Automerge could not load it: " + e.getMessage());
    }
    try {
      String problem = checkShape(ref, doc);
      if (problem != null) {
        throw new RefusedImport(problem);
      }
      Attestations.Coverage cover = checkAuthors(ref, doc, attestations, authors);
      String title = str(doc, "title", null);
      String name = str(doc, "name", null);
      long now = meta.time().toEpochMilli();
      return repo.importDocument(
          ref.id(),
          ref.kind().key(),
          ref.space().value(),
          doc,
          meta,
          (d, seq) -> {
            Attestations.save(d, cover.used());
            ClaimedAuthors.markVerified(d, ref.id(), seq, cover.authors());
            if (ref.kind() == DocumentRef.Kind.PAGE) {
              PreparedStatement ps =
                  d.statement(
                      "INSERT INTO pages(id, space_id, title, title_key, created, updated)"
                          + " VALUES (?, ?, ?, ?, ?, ?)");
              ps.setString(1, ref.id());
              ps.setString(2, ref.space().value());
              ps.setString(3, title);
              ps.setString(4, WikiLinks.key(title));
              ps.setLong(5, now);
              ps.setLong(6, now);
              ps.executeUpdate();
            } else if (ref.kind() == DocumentRef.Kind.SPACE) {
              PreparedStatement ps =
                  d.statement("INSERT INTO spaces(id, name, created, local) VALUES (?, ?, ?, 0)");
              ps.setString(1, ref.id());
              ps.setString(2, name.isBlank() ? "Shared space" : name);
              ps.setLong(3, now);
              ps.executeUpdate();
              ModerationRecords.writeHidden(d, ref.space(), ModerationRecords.hiddenOf(doc));
            }
          });
    } catch (RuntimeException e) {
      doc.free();
      throw e;
    }
  }

  /**
   * Whether documents of {@code kind} have one change without dependencies (their creation by one
   * peer): a space's index, membership and moderation records. A page's comments may be started by
   * two peers at once, pages and profiles by their one author.
   */
  static boolean hasOneRoot(String kind) {
    return kind.equals(KIND_SPACE) || kind.equals(KIND_MEMBERS) || kind.equals(KIND_MODERATION);
  }

  /**
   * Merges a document received whole from {@code peer} into the one held here, after checking it is
   * what {@code ref} says and that every change of its history is covered (as for an import). Runs
   * on the document's lane; returns whether anything changed.
   */
  boolean mergeDocument(
      DocumentRef ref,
      byte[] snapshot,
      String peer,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors,
      InflightLog.Entry inFlight)
      throws PeerDataException {
    try {
      return lanes.withDocument(
          ref.id(),
          live -> {
            // Right before native code gets the bytes (not while the merge waits for the lane).
            Path record = inflight.begin(inFlight);
            Document theirs;
            try {
              theirs = Document.load(snapshot);
            } catch (RuntimeException e) {
              inflight.end(record);
              throw new RefusedImport("Automerge could not load it: " + e.getMessage());
            }
            try {
              String problem = checkShape(ref, theirs);
              if (problem != null) {
                throw new RefusedImport(problem);
              }
              Attestations.Coverage cover = checkAuthors(ref, theirs, attestations, authors);
              live.doc.merge(theirs);
              live.formatContext = null; // it learned changes that did not pass through it
              boolean changed = persistSynced(live, ref, peer, cover.authors());
              if (changed) {
                db.transaction(
                    d -> {
                      Attestations.save(d, cover.used());
                      return null;
                    });
              }
              return changed;
            } finally {
              theirs.free();
              inflight.end(record);
            }
          });
    } catch (RefusedImport e) {
      throw e.toPeerData(ref.id());
    }
  }

  /** Why {@code doc} is not the kind of document {@code ref} says, or null if it is. */
  private static String checkShape(DocumentRef ref, Document doc) {
    switch (ref.kind()) {
      case PAGE -> {
        if (!ref.space().value().equals(str(doc, "space", null))) {
          return "the page does not belong to space " + ref.space();
        }
        try {
          WikiLinks.checkTitle(str(doc, "title", null));
        } catch (IllegalArgumentException e) {
          return "the page's title is not allowed (" + e.getMessage() + ")";
        }
        if (doc.get(ObjectId.ROOT, "body").filter(AmValue.Text.class::isInstance).isEmpty()) {
          return "the page has no text body";
        }
        return null;
      }
      case SPACE -> {
        if (doc.get(ObjectId.ROOT, "pages").filter(AmValue.Map.class::isInstance).isEmpty()) {
          return "the space index has no list of pages";
        }
        String name = str(doc, "name", null);
        return name.length() > 100 ? "the space's name is too long" : null;
      }
      case MODERATION -> {
        return ref.space().value().equals(str(doc, "space", null))
            ? null
            : "the moderation records are not those of space " + ref.space();
      }
      case MEMBERS -> {
        if (!ref.space().value().equals(str(doc, "space", null))) {
          return "the membership is not that of space " + ref.space();
        }
        try {
          PeerIds.check(str(doc, "owner", null));
        } catch (IllegalArgumentException e) {
          return "the membership has no valid owner";
        }
        return null;
      }
      case PROFILE -> {
        return Profiles.checkShape(ref, doc);
      }
      case COMMENTS -> {
        return Comments.checkShape(ref, doc);
      }
      default -> throw new AssertionError(ref.kind());
    }
  }

  /** Thrown on the lane when an imported document is refused. */
  private static final class RefusedImport extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean penalised;
    final Author culprit;

    RefusedImport(String message) {
      this(message, true, null);
    }

    RefusedImport(String message, boolean penalised, Author culprit) {
      super(message);
      this.penalised = penalised;
      this.culprit = culprit;
    }

    /** What the caller of an import or merge is told. */
    PeerDataException toPeerData(String docId) {
      String m = "Refused document " + docId + ": " + getMessage();
      return penalised ? new PeerDataException(m) : new PeerDataException(m, culprit);
    }
  }

  /**
   * Checks that every change of a document received whole is covered by a valid attestation of an
   * author who may write it (see {@link Attestations}): its whole history is here, so nothing can
   * be withheld.
   */
  private static Attestations.Coverage checkAuthors(
      DocumentRef ref,
      Document doc,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors) {
    org.dure.store.format.DocumentContext ctx;
    try {
      ctx =
          org.dure.store.format.DocumentContext.ofHistoryWithChanges(
              doc.encodeChangesSince(new org.automerge.ChangeHash[0]),
              org.dure.store.format.Limits.defaults(),
              authors.guardedKeys());
    } catch (org.dure.store.format.InvalidAutomergeDataException e) {
      throw new RefusedImport("its history does not validate: " + e.getMessage());
    }
    List<org.dure.store.format.ChangeHeader> history = ctx.lastValidatedChanges();
    if (hasOneRoot(ref.kind().key())
        && history.stream().filter(c -> c.deps().isEmpty()).count() > 1) {
      throw new RefusedImport("its history has more than one first change");
    }
    Attestations.Coverage cover;
    try {
      cover =
          Attestations.cover(
              ref.id(),
              history,
              java.util.Map.of(),
              java.util.Map.of(),
              h -> false,
              attestations,
              authors,
              c -> HeadsView.atDeps(doc, c.deps()));
    } catch (PeerDataException e) {
      throw new RefusedImport(e.getMessage(), e.penalised(), e.culprit());
    }
    if (!cover.withheld().isEmpty()) {
      throw new RefusedImport("its history is incomplete");
    }
    return cover;
  }

  // ---------------------------------------------------------------- blocked peers

  /** Refuses further input from {@code peer} (its connections are refused by the network). */
  public void blockPeer(String peer, String reason) {
    db.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR REPLACE INTO blocked_peers(peer, reason, time) VALUES (?, ?, ?)");
          ps.setString(1, peer);
          ps.setString(2, reason);
          ps.setLong(3, options.clock().millis());
          ps.executeUpdate();
          return null;
        });
  }

  public void unblockPeer(String peer) {
    db.transaction(
        d -> {
          PreparedStatement ps = d.statement("DELETE FROM blocked_peers WHERE peer = ?");
          ps.setString(1, peer);
          ps.executeUpdate();
          return null;
        });
  }

  /** Blocked peers and why. */
  public java.util.Map<String, String> blockedPeers() {
    return db.read(
        d -> {
          java.util.Map<String, String> out = new java.util.TreeMap<>();
          try (ResultSet rs =
              d.statement("SELECT peer, reason FROM blocked_peers").executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getString(2));
            }
          }
          return out;
        });
  }

  // ---------------------------------------------------------------- membership

  /** The id of a space's membership document: derived from the space's, the same everywhere. */
  public static String membershipDocId(SpaceId space) {
    return Ids.derived("members", space.value());
  }

  /** The id of a space's moderation document (reports and log): derived like the membership's. */
  public static String moderationDocId(SpaceId space) {
    return ModerationRecords.documentId(space);
  }

  /**
   * Who belongs to the space. A space created here before membership existed gets its membership
   * document now, with this node as the owner.
   *
   * @throws NoSuchElementException if there is no such space, or it came from a peer whose
   *     membership document has not arrived yet
   */
  public Membership membership(SpaceId spaceId) {
    String docId = membershipDocId(spaceId);
    if (!documentExists(docId)) {
      createLock.lock();
      try {
        if (!documentExists(docId)) {
          if (!isLocalSpace(spaceId)) {
            throw new NoSuchElementException(
                "The membership of space " + spaceId + " has not arrived yet");
          }
          createMembership(spaceId);
        }
      } finally {
        createLock.unlock();
      }
    }
    return lanes.withDocument(docId, live -> readMembership(spaceId, live.doc));
  }

  private static Membership readMembership(SpaceId spaceId, Document doc) {
    String owner = str(doc, "owner", null);
    java.util.Map<String, Role> members = new java.util.HashMap<>();
    doc.get(ObjectId.ROOT, "members")
        .filter(AmValue.Map.class::isInstance)
        .flatMap(m -> doc.mapEntries(((AmValue.Map) m).getId()))
        .ifPresent(
            entries -> {
              for (var e : entries) {
                if (e.getValue() instanceof AmValue.Str role) {
                  Role.ofKey(role.getValue()).ifPresent(r -> members.put(e.getKey(), r));
                }
              }
            });
    if (!owner.isEmpty()) {
      members.put(owner, Role.OWNER);
    }
    return new Membership(spaceId, owner, members);
  }

  /**
   * Adds {@code peerId} to the space with {@code role}, or changes its role. (Who may do this is
   * the moderation layer's decision; the store records it.)
   */
  public Membership addMember(SpaceId spaceId, String peerId, Role role) {
    PeerIds.check(peerId);
    if (role == Role.OWNER) {
      throw new IllegalArgumentException("A space has one owner, its creator");
    }
    Membership now = membership(spaceId);
    if (now.owner().equals(peerId)) {
      throw new IllegalArgumentException("The owner's role cannot change");
    }
    if (moderation.isBanned(spaceId, peerId)) {
      throw new IllegalArgumentException(
          "This peer is banned from the space; unban it first to add it again.");
    }
    var meta = meta(Optional.of("Added " + peerId + " as " + role.key()));
    lanes.withDocument(
        membershipDocId(spaceId),
        live ->
            repo.commit(
                live,
                tx -> tx.set(mapAt(live.doc, "members"), peerId, role.key()),
                meta,
                (d, seq) -> {}));
    fireChanged(membershipDocId(spaceId), spaceId, KIND_MEMBERS);
    return membership(spaceId);
  }

  /** Removes {@code peerId} from the space (not its owner). */
  public Membership removeMember(SpaceId spaceId, String peerId) {
    Membership now = membership(spaceId);
    if (now.owner().equals(peerId)) {
      throw new IllegalArgumentException("The owner cannot be removed");
    }
    if (!now.members().containsKey(peerId)) {
      return now;
    }
    var meta = meta(Optional.of("Removed " + peerId));
    Role was = now.members().get(peerId);
    long time = now().toEpochMilli();
    lanes.withDocument(
        membershipDocId(spaceId),
        live ->
            repo.commit(
                live,
                tx -> {
                  tx.delete(mapAt(live.doc, "members"), peerId);
                  ModerationRecords.recordFormer(live.doc, tx, peerId, was, time);
                },
                meta,
                (d, seq) -> {}));
    fireChanged(membershipDocId(spaceId), spaceId, KIND_MEMBERS);
    return membership(spaceId);
  }

  private void createMembership(SpaceId spaceId) {
    String docId = membershipDocId(spaceId);
    String me = identity.peerId();
    var meta = meta(Optional.of("Created membership"));
    lanes.create(
        docId,
        () ->
            repo.create(
                docId,
                KIND_MEMBERS,
                spaceId.value(),
                tx -> {
                  tx.set(ObjectId.ROOT, "space", spaceId.value());
                  tx.set(ObjectId.ROOT, "owner", me);
                  ObjectId members = tx.set(ObjectId.ROOT, "members", ObjectType.MAP);
                  tx.set(members, me, Role.OWNER.key());
                  tx.set(ObjectId.ROOT, "banned", ObjectType.MAP);
                  tx.set(ObjectId.ROOT, "former", ObjectType.MAP);
                },
                meta,
                (d, seq) -> {}),
        live -> null);
  }

  /** Creates the space's moderation document (its owner does, once). */
  void createModerationDocument(SpaceId spaceId) {
    String docId = ModerationRecords.documentId(spaceId);
    var meta = meta(Optional.of("Created moderation records"));
    createLock.lock();
    try {
      if (documentExists(docId)) {
        return;
      }
      lanes.create(
          docId,
          () ->
              repo.create(
                  docId,
                  KIND_MODERATION,
                  spaceId.value(),
                  tx -> {
                    tx.set(ObjectId.ROOT, "space", spaceId.value());
                    tx.set(ObjectId.ROOT, "reports", ObjectType.MAP);
                    tx.set(ObjectId.ROOT, "log", ObjectType.MAP);
                  },
                  meta,
                  (d, seq) -> {}),
          live -> null);
    } finally {
      createLock.unlock();
    }
  }

  boolean documentExists(String docId) {
    return db.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT 1 FROM documents WHERE id = ?");
          ps.setString(1, docId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  boolean isLocalSpace(SpaceId spaceId) {
    return db.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT local FROM spaces WHERE id = ?");
          ps.setString(1, spaceId.value());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new NoSuchElementException("No space " + spaceId);
            }
            return rs.getInt(1) == 1;
          }
        });
  }

  /** All spaces, oldest first. */
  public List<Space> spaces() {
    return db.read(
        d -> {
          List<Space> out = new ArrayList<>();
          try (ResultSet rs =
              d.statement("SELECT id, name, created FROM spaces ORDER BY created, id")
                  .executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Space(
                      new SpaceId(rs.getString(1)),
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3))));
            }
          }
          return out;
        });
  }

  public Space space(SpaceId id) {
    return spaces().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("No space " + id));
  }

  /** The first space; on first start creates "My wiki" with a welcome page that explains Dure. */
  public Space defaultSpace() {
    createLock.lock();
    try {
      List<Space> all = spaces();
      if (!all.isEmpty()) {
        return all.get(0);
      }
      Space space = createSpace(DEFAULT_SPACE_NAME);
      createPage(space.id(), WELCOME_TITLE, WelcomePage.BODY, Optional.of("Welcome to Dure"));
      return space;
    } finally {
      createLock.unlock();
    }
  }

  // ---------------------------------------------------------------- pages

  /**
   * Creates a page.
   *
   * @throws IllegalArgumentException if the title is not allowed or already used in the space
   */
  public PageSummary createPage(
      SpaceId spaceId, String title, String body, Optional<String> message) {
    String t = WikiLinks.checkTitle(title);
    checkLength(body);
    space(spaceId);
    createLock.lock();
    try {
      if (findPage(spaceId, t).isPresent()) {
        throw new IllegalArgumentException("A page called \"" + t + "\" already exists here.");
      }
      PageId id = PageId.random();
      var meta = meta(message.or(() -> Optional.of("Created page")));
      long now = meta.time().toEpochMilli();
      lanes.create(
          id.value(),
          () ->
              repo.create(
                  id.value(),
                  KIND_PAGE,
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
                  }),
          live -> null);
      // The space's index document lists its pages, so peers learn of them by syncing it.
      lanes.withDocument(
          spaceId.value(),
          live ->
              repo.commit(
                  live,
                  tx -> {
                    ObjectId pages = mapAt(live.doc, "pages");
                    tx.set(pages, id.value(), t);
                  },
                  meta,
                  (d, seq) -> {}));
      markDirty(id);
      fireChanged(id.value(), spaceId, KIND_PAGE);
      fireChanged(spaceId.value(), spaceId, KIND_SPACE);
      return summary(id);
    } finally {
      createLock.unlock();
    }
  }

  private void checkLength(String body) {
    if (body.length() > options.maxPageLength()
        && body.codePointCount(0, body.length()) > options.maxPageLength()) {
      throw new IllegalArgumentException(
          "A page can have at most " + options.maxPageLength() + " characters.");
    }
  }

  /** The page with this title in the space (titles compare case-insensitively). */
  public Optional<PageSummary> findPage(SpaceId spaceId, String title) {
    String key = WikiLinks.key(title);
    return querySummaries(
            "WHERE p.space_id = ? AND p.title_key = ?" + NOT_HIDDEN + " ORDER BY p.created LIMIT 1",
            ps -> {
              ps.setString(1, spaceId.value());
              ps.setString(2, key);
            })
        .stream()
        .findFirst();
  }

  public PageSummary summary(PageId id) {
    return querySummaries("WHERE p.id = ?", ps -> ps.setString(1, id.value())).stream()
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("No page " + id));
  }

  /** Pages of a space, most recently changed first. */
  public List<PageSummary> pages(SpaceId spaceId, int offset, int limit) {
    return querySummaries(
        "WHERE p.space_id = ?"
            + NOT_HIDDEN
            + " ORDER BY p.updated DESC, p.num DESC LIMIT ? OFFSET ?",
        ps -> {
          ps.setString(1, spaceId.value());
          ps.setInt(2, limit);
          ps.setInt(3, offset);
        });
  }

  public int pageCount(SpaceId spaceId) {
    return db.read(
        d -> {
          PreparedStatement ps =
              d.statement("SELECT count(*) FROM pages p WHERE p.space_id = ?" + NOT_HIDDEN);
          ps.setString(1, spaceId.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Leaves out pages hidden space-wide (see {@link ModerationRecords#hide}). */
  private static final String NOT_HIDDEN = " AND p.id NOT IN (SELECT page_id FROM hidden_pages)";

  private static final String SUMMARY_SELECT =
      "SELECT p.id, p.space_id, p.title, p.created, p.updated, doc.damaged FROM pages p"
          + " JOIN documents doc ON doc.id = p.id ";

  private List<PageSummary> querySummaries(String where, Binder binder) {
    return db.read(
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

  private static PageSummary summaryOf(ResultSet rs, int col) throws SQLException {
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
    return lanes.withDocument(id.value(), live -> readPage(live, null));
  }

  private static Page readPage(LiveDocument live, ChangeHash[] heads) {
    if (!KIND_PAGE.equals(live.kind)) {
      throw new NoSuchElementException("Document " + live.id + " is not a page");
    }
    Document doc = live.doc;
    ObjectId body = bodyOf(doc);
    String title = heads == null ? str(doc, "title", null) : str(doc, "title", heads);
    String text = (heads == null ? doc.text(body) : doc.text(body, heads)).orElse("");
    return new Page(new PageId(live.id), new SpaceId(live.spaceId), title, text, live.lastSeq);
  }

  static String str(Document doc, String key, ChangeHash[] heads) {
    Optional<AmValue> v =
        heads == null ? doc.get(ObjectId.ROOT, key) : doc.get(ObjectId.ROOT, key, heads);
    return v.filter(AmValue.Str.class::isInstance)
        .map(x -> ((AmValue.Str) x).getValue())
        .orElse("");
  }

  private static ObjectId bodyOf(LiveDocument live) {
    if (live.body == null) {
      live.body = bodyOf(live.doc);
    }
    return live.body;
  }

  private static ObjectId bodyOf(Document doc) {
    return doc.get(ObjectId.ROOT, "body")
        .filter(AmValue.Text.class::isInstance)
        .map(v -> ((AmValue.Text) v).getId())
        .orElseThrow(() -> new StoreException("The page document has no text body"));
  }

  static ObjectId mapAt(Document doc, String key) {
    return doc.get(ObjectId.ROOT, key)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseThrow(() -> new StoreException("The document has no map " + key));
  }

  /**
   * Replaces {@code deleteCount} code points at {@code pos} with {@code text}, as one persisted
   * version: a keystroke's worth of editing. It returns once the edit is safe from a crash of the
   * process; it is on the disk (safe from a power loss) within the journal's flush interval, or
   * when {@link #awaitDurable} returns.
   *
   * @return the page's version number afterwards
   */
  public long splice(PageId id, long pos, long deleteCount, String text) {
    return splice(id, pos, deleteCount, text, Optional.empty());
  }

  public long splice(PageId id, long pos, long deleteCount, String text, Optional<String> message) {
    var meta = meta(message);
    String[] space = new String[1];
    long v =
        lanes.withDocument(
            id.value(),
            live -> {
              requirePage(live);
              ObjectId body = bodyOf(live);
              long len = live.bodyLength(body);
              if (pos < 0 || deleteCount < 0 || pos + deleteCount > len) {
                throw new IllegalArgumentException(
                    "Splice " + pos + "+" + deleteCount + " is outside the text (" + len + ")");
              }
              long newLen = len - deleteCount + text.codePointCount(0, text.length());
              if (newLen > options.maxPageLength()) {
                throw new IllegalArgumentException(
                    "A page can have at most " + options.maxPageLength() + " characters.");
              }
              OptionalLong seq =
                  repo.commitPageEdit(
                      live, null, tx -> tx.spliceText(body, pos, deleteCount, text), meta);
              if (seq.isPresent()) {
                live.bodyLengthIs(newLen);
              }
              live.opsEstimate += deleteCount + text.length();
              space[0] = live.spaceId;
              return seq.orElse(live.lastSeq);
            });
    markDirty(id);
    fireChanged(id.value(), new SpaceId(space[0]), KIND_PAGE);
    return v;
  }

  /**
   * Saves {@code newText} as the page's body by applying only the character-level differences from
   * the current body, so concurrent edits elsewhere in the page survive a merge.
   *
   * @return the page's version number afterwards (unchanged if the text was the same)
   */
  public long replaceText(PageId id, String newText, Optional<String> message) {
    return replaceText(id, -1, newText, message);
  }

  /**
   * Saves {@code newText}, an edit of the page as it was at {@code baseVersion}: the differences
   * from that version are applied as a change based on it, so edits made since (here or merged from
   * elsewhere) are kept, not overwritten. A {@code baseVersion} of -1 means the current one.
   * Returns once the new version is on the disk (see {@link #awaitDurable}).
   *
   * @return the page's version number afterwards (unchanged if nothing changed)
   */
  public long replaceText(PageId id, long baseVersion, String newText, Optional<String> message) {
    checkLength(newText);
    var meta = meta(message);
    String[] space = new String[1];
    long v =
        lanes.withDocument(
            id.value(),
            live -> {
              requirePage(live);
              ObjectId body = bodyOf(live);
              ChangeHash[] at = null;
              if (baseVersion >= 0 && baseVersion != live.lastSeq) {
                at = repo.headsOf(id.value(), baseVersion);
                if (at == null) {
                  throw new NoSuchElementException("Page " + id + " has no version " + baseVersion);
                }
              }
              String old = (at == null ? live.doc.text(body) : live.doc.text(body, at)).orElse("");
              List<Splices.Splice> splices = Splices.between(old, newText);
              if (splices.isEmpty()) {
                return live.lastSeq;
              }
              space[0] = live.spaceId;
              return repo.commitPageEdit(
                      live,
                      at,
                      tx -> {
                        for (int i = splices.size() - 1; i >= 0; i--) {
                          Splices.Splice s = splices.get(i);
                          tx.spliceText(body, s.pos(), s.delete(), s.insert());
                          live.opsEstimate += s.delete() + s.insert().length();
                        }
                      },
                      meta)
                  .orElse(live.lastSeq);
            });
    if (space[0] != null) {
      db.awaitDurable(); // a saved version is acknowledged: it must survive a power loss
    }
    markDirty(id);
    if (space[0] != null) {
      fireChanged(id.value(), new SpaceId(space[0]), KIND_PAGE);
    }
    return v;
  }

  private static void requirePage(LiveDocument live) {
    if (!KIND_PAGE.equals(live.kind)) {
      throw new NoSuchElementException("Document " + live.id + " is not a page");
    }
  }

  private static void touch(Database d, PageId id, Instant time) throws SQLException {
    PreparedStatement ps = d.statement("UPDATE pages SET updated = ? WHERE id = ?");
    ps.setLong(1, time.toEpochMilli());
    ps.setString(2, id.value());
    ps.executeUpdate();
  }

  /**
   * Merges another store's copy of a document into this one and persists what was new (a local
   * stand-in for sync between peers; both stores must be trusted, as this passes their bytes to
   * Automerge unchecked).
   *
   * @return this store's version of the document afterwards
   */
  long mergeFrom(WikiStore other, String docId) {
    byte[] saved = other.lanes.withDocument(docId, live -> live.doc.save());
    long v =
        lanes.withDocument(
            docId,
            live -> {
              Document incoming = Document.load(saved);
              try {
                live.doc.merge(incoming);
              } finally {
                incoming.free();
              }
              var meta =
                  new DocumentRepository.CommitMeta(
                      Optional.empty(), options.clock().instant(), Optional.of("Merged"));
              return repo.persistExternal(
                      live,
                      meta,
                      (d, s) -> {
                        if (KIND_PAGE.equals(live.kind)) {
                          touch(d, new PageId(docId), meta.time());
                        }
                      })
                  .orElse(live.lastSeq);
            });
    dirty.add(docId);
    scheduleIndex();
    return v;
  }

  // ---------------------------------------------------------------- history

  /** The page's versions, newest first. */
  public List<Version> history(PageId id, int offset, int limit) {
    return db.read(
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
                      DocumentRepository.headsHex(rs.getBytes(2)),
                      rs.getBoolean(6)));
            }
          }
          return out;
        });
  }

  /** The page as it was at {@code version}. */
  public Page pageAt(PageId id, long version) {
    Page p =
        lanes.withDocument(
            id.value(),
            live -> {
              ChangeHash[] h = repo.headsOf(id.value(), version);
              if (h == null) {
                throw new NoSuchElementException("Page " + id + " has no version " + version);
              }
              return readPage(live, h);
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
    return replaceText(id, old, Optional.of("Reverted to version " + version));
  }

  // ---------------------------------------------------------------- links and search

  /** Pages in the same space that link to this page. */
  public List<PageSummary> backlinks(PageId id) {
    flushIndex();
    PageSummary target = summary(id);
    return querySummaries(
        "JOIN links l ON l.from_page = p.id WHERE l.space_id = ? AND l.to_key = ? AND p.id <> ?"
            + NOT_HIDDEN
            + " ORDER BY p.title_key",
        ps -> {
          ps.setString(1, target.spaceId().value());
          ps.setString(2, WikiLinks.key(target.title()));
          ps.setString(3, id.value());
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
    flushIndex();
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
    sql.append(NOT_HIDDEN);
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
    return db.read(
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
              out.add(new SearchHit(summaryOf(rs, 1), snippet));
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
    return db.read(
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

  private volatile long lastIndexNanos;

  private void markDirty(PageId id) {
    // Looking first is cheaper than adding again while a page is typed in. If the indexer takes
    // the id out just after, it reads the page afterwards, so it sees this edit anyway.
    if (!dirty.contains(id.value())) {
      dirty.add(id.value());
    }
    scheduleIndex();
  }

  /**
   * Schedules a background index update. The delay is the configured one, or ten times what the
   * last update took if that is longer, so re-indexing a big page while someone types in it takes
   * at most about a tenth of a core (searches and backlinks flush what is pending first).
   */
  private void scheduleIndex() {
    if (indexScheduled.compareAndSet(false, true)) {
      long delay = Math.max(options.indexDelay().toNanos(), 10 * lastIndexNanos);
      indexer.schedule(
          () -> {
            indexScheduled.set(false);
            long start = System.nanoTime();
            try {
              flushIndex();
            } catch (RuntimeException e) {
              LOG.warn("Updating the search index failed; will retry on the next edit", e);
            }
            lastIndexNanos = System.nanoTime() - start;
          },
          delay,
          TimeUnit.NANOSECONDS);
    }
  }

  /** Brings links and the search index up to date with every committed edit. */
  public void flushIndex() {
    indexLock.lock();
    try {
      for (String id : List.copyOf(dirty)) {
        dirty.remove(id);
        Page page;
        try {
          page = page(new PageId(id));
        } catch (DamagedDocumentException | NoSuchElementException e) {
          continue;
        }
        Set<String> targets = WikiLinks.targets(page.body());
        db.transaction(
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
              PreparedStatement del = d.statement("DELETE FROM page_fts WHERE rowid = ?");
              del.setLong(1, rowid);
              del.executeUpdate();
              PreparedStatement ins =
                  d.statement("INSERT INTO page_fts(rowid, title, body) VALUES (?, ?, ?)");
              ins.setLong(1, rowid);
              ins.setString(2, page.title());
              ins.setString(3, page.body());
              ins.executeUpdate();
              PreparedStatement delPairs = d.statement("DELETE FROM page_pairs WHERE rowid = ?");
              delPairs.setLong(1, rowid);
              delPairs.executeUpdate();
              PreparedStatement pairs =
                  d.statement("INSERT INTO page_pairs(rowid, grams) VALUES (?, ?)");
              pairs.setLong(1, rowid);
              pairs.setString(2, Bigrams.of(page.title() + "\n" + page.body()));
              pairs.executeUpdate();
              PreparedStatement delLinks = d.statement("DELETE FROM links WHERE from_page = ?");
              delLinks.setString(1, id);
              delLinks.executeUpdate();
              PreparedStatement link =
                  d.statement(
                      "INSERT OR IGNORE INTO links(from_page, space_id, to_key) VALUES (?, ?, ?)");
              for (String t : targets) {
                link.setString(1, id);
                link.setString(2, page.spaceId().value());
                link.setString(3, WikiLinks.key(t));
                link.executeUpdate();
              }
              PreparedStatement done = d.statement("UPDATE pages SET indexed_seq = ? WHERE id = ?");
              done.setLong(1, page.version());
              done.setString(2, id);
              done.executeUpdate();
              return null;
            });
      }
    } finally {
      indexLock.unlock();
    }
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Returns once every edit made so far is on the disk, safe from a power loss or OS crash as well
   * as from a crash of the process. Only {@link #splice} needs it: every other change returns once
   * it is on the disk, and a spliced edit is there within the journal's flush interval anyway.
   * Callers arriving together share one write to the disk.
   */
  public void awaitDurable() {
    db.awaitDurable();
  }

  /** The result of SQLite's {@code PRAGMA integrity_check}: "ok" when the database is sound. */
  public String integrityCheck() {
    return db.integrityCheck();
  }

  /**
   * Stops this store as a crash would: edits still in the journal are not applied and nothing is
   * flushed (for tests of recovery). The store cannot be used afterwards.
   */
  int recoveredEdits() {
    return db.recoveredEdits();
  }

  void abandonForTest() {
    indexer.shutdownNow();
    db.abandon();
    lanes.close();
    if (lock != null) {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        throw new StoreException("Cannot release the lock: " + e.getMessage(), e);
      }
    }
  }

  /** Open documents and their estimated native memory, for diagnostics and benchmarks. */
  public long[] cacheStats() {
    return lanes.stats();
  }

  @Override
  public void close() {
    mentions.close();
    indexer.shutdown();
    try {
      if (!indexer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("The search indexer did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      flushIndex();
    } catch (RuntimeException e) {
      LOG.warn("Could not update the search index on close; it is rebuilt on next start", e);
    }
    lanes.close();
    inflight.close();
    db.close();
    if (lock != null) {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("Releasing the data directory lock failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "WikiStore[" + identity.peerId().toLowerCase(Locale.ROOT) + "]";
  }
}
