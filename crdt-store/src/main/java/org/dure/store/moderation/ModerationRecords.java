package org.dure.store.moderation;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.dure.identity.PeerId;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Fields;
import org.dure.store.doc.Ids;
import org.dure.store.doc.Sql;
import org.dure.store.wiki.FieldMaps;
import org.dure.store.wiki.HiddenPages;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Memberships;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.SpaceIndexKind;
import org.dure.store.wiki.Wiki;

/**
 * What moderation records in a space's documents, and this node's own lists of muted peers.
 *
 * <ul>
 *   <li>the membership document's {@code banned} map: peer → {@code {by, time, reason}};
 *   <li>the space index's {@code hidden} map: page id → {@code {by, time, reason}} (a tombstone:
 *       the page stays, but page lists, search and links leave it out for everyone);
 *   <li>the space's moderation document (id derived from {@code "moderation"} and the space id,
 *       created by the owner): {@code reports} (id → {@code {reporter, page, version, reason, time,
 *       resolvedBy, resolvedAt, resolution}}) and {@code log} (id → {@code {who, action, target,
 *       time, reason}}).
 * </ul>
 *
 * <p>Who may do what is not decided here (the moderation layer asks first), except that a banned
 * peer cannot be added to a space and the owner cannot be banned. Texts are bounded: reasons to
 * {@value #MAX_REASON} characters.
 */
public final class ModerationRecords {
  /** The longest reason or note kept. */
  public static final int MAX_REASON = 1000;

  /** The most reports or log entries read from one document (the newest are kept). */
  public static final int MAX_READ = FieldMaps.MAX_ENTRIES;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A ban: who banned the peer, when and why. */
  public record Ban(PeerId peer, String by, Instant time, String reason) {}

  /** A page hidden space-wide. */
  public record Hidden(PageId page, String by, Instant time, String reason) {}

  /**
   * A report of a page (or one version of it, {@code version} > 0) by a member.
   *
   * @param resolvedBy empty while the report is open
   */
  public record Report(
      String id,
      String reporter,
      PageId page,
      long version,
      String reason,
      Instant time,
      Optional<String> resolvedBy,
      Optional<Instant> resolvedAt,
      String resolution) {
    public boolean open() {
      return resolvedBy.isEmpty();
    }
  }

  /** One entry of the moderation log: who did what to whom or what, when and why. */
  public record LogEntry(String who, String action, String target, Instant time, String reason) {}

  private final Documents docs;
  private final Wiki wiki;
  private final ReentrantLock createLock = new ReentrantLock();

  public ModerationRecords(Documents docs, Wiki wiki) {
    this.docs = docs;
    this.wiki = wiki;
    wiki.onNewSpace(
        space -> new Wiki.SpaceDocument.Created(createDocument(space), ModerationKind.KIND));
  }

  private static String reason(String reason) {
    String r = reason == null ? "" : reason.strip();
    if (r.length() > MAX_REASON) {
      throw new IllegalArgumentException(
          "A reason can have at most " + MAX_REASON + " characters.");
    }
    return r;
  }

  // ---------------------------------------------------------------- bans

  /** Banned peers of the space (empty while its membership has not arrived). */
  public Map<PeerId, Ban> banned(SpaceId space) {
    return wiki.memberships()
        .entries(
            space,
            "banned",
            (peer, f) -> new Ban(peer, f.get("by"), time(f.get("time")), f.get("reason")));
  }

  /**
   * A member who was removed or banned: the role it had and when it lost it. Its changes signed
   * before then stay acceptable (they are history); see {@code Attestations}.
   */
  public record Former(PeerId peer, Role role, Instant until) {}

  /** Members the space had and no longer has (removed or banned), by peer ID. */
  public Map<PeerId, Former> formerMembers(SpaceId space) {
    return wiki.memberships()
        .entries(
            space,
            "former",
            (peer, f) -> {
              Optional<Role> role = Role.ofKey(f.get("role"));
              Instant until = time(f.get("time"));
              return role.isPresent() && until.toEpochMilli() > 0
                  ? new Former(peer, role.get(), until)
                  : null;
            });
  }

  public boolean isBanned(SpaceId space, PeerId peer) {
    return wiki.memberships().isBanned(space, peer);
  }

  /** Removes {@code peer} from the space and puts it on the ban list, in one change. */
  public Membership ban(SpaceId space, PeerId peer, String reason) {
    String why = reason(reason);
    Membership now = wiki.memberships().of(space);
    if (now.owner().equals(peer)) {
      throw new IllegalArgumentException("The owner of a space cannot be banned.");
    }
    String docId = Memberships.docId(space);
    String me = docs.identity().peerId().toString();
    long time = docs.now().toEpochMilli();
    docs.withDocument(
        docId,
        live ->
            docs.commit(
                live,
                tx -> {
                  ObjectId members = Fields.mapAt(live.doc(), "members");
                  if (live.doc().get(members, peer.toString()).isPresent()) {
                    tx.delete(members, peer.toString());
                  }
                  Role was = now.members().get(peer);
                  if (was != null) {
                    Memberships.recordFormer(live.doc(), tx, peer, was, time);
                  }
                  ObjectId entry =
                      tx.set(
                          FieldMaps.mapOrCreate(live.doc(), tx, "banned"),
                          peer.toString(),
                          ObjectType.MAP);
                  tx.set(entry, "by", me);
                  tx.set(entry, "time", Long.toString(time));
                  tx.set(entry, "reason", why);
                },
                docs.meta(Optional.of("Banned " + peer)),
                Sql.OnCommit.NONE));
    wiki.memberships().fireChanged(space);
    return wiki.memberships().of(space);
  }

  /** Takes {@code peer} off the ban list (it is not a member again until added). */
  public void unban(SpaceId space, PeerId peer) {
    if (!wiki.memberships().isBanned(space, peer)) {
      return;
    }
    String docId = Memberships.docId(space);
    docs.withDocument(
        docId,
        live ->
            docs.commit(
                live,
                tx -> tx.delete(Fields.mapAt(live.doc(), "banned"), peer.toString()),
                docs.meta(Optional.of("Unbanned " + peer)),
                Sql.OnCommit.NONE));
    wiki.memberships().fireChanged(space);
  }

  // ---------------------------------------------------------------- hidden pages

  /** Pages of the space hidden space-wide, as its index says. */
  public Map<PageId, Hidden> hidden(SpaceId space) {
    return docs.withDocument(space.value(), live -> hiddenOf(live.doc()));
  }

  private static Map<PageId, Hidden> hiddenOf(Document doc) {
    Map<PageId, Hidden> out = new LinkedHashMap<>();
    for (var e : FieldMaps.entries(doc, ObjectId.ROOT, "hidden").entrySet()) {
      if (!Ids.FORMAT.matcher(e.getKey()).matches()) {
        continue;
      }
      Map<String, String> f = e.getValue();
      PageId id = new PageId(e.getKey());
      out.put(id, new Hidden(id, f.get("by"), time(f.get("time")), f.get("reason")));
    }
    return out;
  }

  /** Hides the page space-wide (a tombstone in the space index; reversible). */
  public void hide(PageId page, String reason) {
    String why = reason(reason);
    SpaceId space = wiki.pages().summary(page).spaceId();
    String me = docs.identity().peerId().toString();
    long time = docs.now().toEpochMilli();
    changeHidden(
        space,
        "Hid " + page.value(),
        (doc, tx) -> {
          ObjectId entry =
              tx.set(FieldMaps.mapOrCreate(doc, tx, "hidden"), page.value(), ObjectType.MAP);
          tx.set(entry, "by", me);
          tx.set(entry, "time", Long.toString(time));
          tx.set(entry, "reason", why);
        });
  }

  /** Shows a hidden page again. */
  public void unhide(PageId page) {
    SpaceId space = wiki.pages().summary(page).spaceId();
    if (!hidden(space).containsKey(page)) {
      return;
    }
    changeHidden(
        space,
        "Unhid " + page.value(),
        (doc, tx) -> tx.delete(Fields.mapAt(doc, "hidden"), page.value()));
  }

  private interface DocOps {
    void apply(Document doc, Transaction tx);
  }

  private void changeHidden(SpaceId space, String message, DocOps ops) {
    docs.withDocument(
        space.value(),
        live ->
            docs.commit(
                live,
                tx -> ops.apply(live.doc(), tx),
                docs.meta(Optional.of(message)),
                // The commit's SQL runs after the Automerge commit: the document has the change.
                (d, seq) -> HiddenPages.write(d, space, HiddenPages.in(live.doc()))));
    docs.fire(space.value(), SpaceIndexKind.KIND, space.value(), Optional.empty());
  }

  /** Whether the page is hidden space-wide. */
  public boolean isHidden(PageId page) {
    return wiki.hidden().isHidden(page);
  }

  // ---------------------------------------------------------------- reports and log

  /** The id of a space's moderation document (derived, the same everywhere). */
  public static String documentId(SpaceId space) {
    return Ids.derived("moderation", space.value());
  }

  /**
   * Whether the space's moderation document is here; the owner creates it for a space created here.
   */
  public boolean hasDocument(SpaceId space) {
    return ensureDocument(space);
  }

  private boolean ensureDocument(SpaceId space) {
    String docId = documentId(space);
    if (docs.exists(docId)) {
      return true;
    }
    try {
      if (!wiki.spaces().isLocal(space)) {
        return false;
      }
    } catch (NoSuchElementException e) {
      return false; // the space itself has not arrived yet
    }
    createDocument(space);
    return true;
  }

  /** Creates the space's moderation document (its owner does, once); returns its id. */
  private String createDocument(SpaceId spaceId) {
    String docId = documentId(spaceId);
    var meta = docs.meta(Optional.of("Created moderation records"));
    createLock.lock();
    try {
      if (docs.exists(docId)) {
        return docId;
      }
      docs.createDocument(
          docId,
          ModerationKind.KIND,
          spaceId.value(),
          tx -> {
            tx.set(ObjectId.ROOT, "space", spaceId.value());
            tx.set(ObjectId.ROOT, "reports", ObjectType.MAP);
            tx.set(ObjectId.ROOT, "log", ObjectType.MAP);
          },
          meta,
          Sql.OnCommit.NONE);
      return docId;
    } finally {
      createLock.unlock();
    }
  }

  private String requireDocument(SpaceId space) {
    if (!ensureDocument(space)) {
      throw new NoSuchElementException(
          "The moderation records of this space have not arrived yet; try again once synced.");
    }
    return documentId(space);
  }

  /** Reports {@code page} (at {@code version}, or 0 for the page as a whole); returns its id. */
  public String report(PageId page, long version, String reason) {
    String why = reason(reason);
    if (why.isEmpty()) {
      throw new IllegalArgumentException("Say why you report this page.");
    }
    SpaceId space = wiki.pages().summary(page).spaceId();
    String docId = requireDocument(space);
    String id = newId();
    String me = docs.identity().peerId().toString();
    long time = docs.now().toEpochMilli();
    commit(
        space,
        docId,
        "Reported " + page.value(),
        (doc, tx) -> {
          ObjectId r = tx.set(FieldMaps.mapOrCreate(doc, tx, "reports"), id, ObjectType.MAP);
          tx.set(r, "reporter", me);
          tx.set(r, "page", page.value());
          tx.set(r, "version", Long.toString(Math.max(0, version)));
          tx.set(r, "reason", why);
          tx.set(r, "time", Long.toString(time));
        });
    return id;
  }

  /** Marks a report resolved by this node's user, with a note. */
  public void resolve(SpaceId space, String reportId, String resolution) {
    String note = reason(resolution);
    String docId = requireDocument(space);
    Report r =
        reports(space).stream()
            .filter(x -> x.id().equals(reportId))
            .findFirst()
            .orElseThrow(() -> new NoSuchElementException("No report " + reportId));
    String me = docs.identity().peerId().toString();
    long time = docs.now().toEpochMilli();
    commit(
        space,
        docId,
        "Resolved report " + r.id(),
        (doc, tx) -> {
          ObjectId entry =
              doc.get(Fields.mapAt(doc, "reports"), r.id())
                  .filter(AmValue.Map.class::isInstance)
                  .map(v -> ((AmValue.Map) v).getId())
                  .orElseThrow(() -> new NoSuchElementException("No report " + reportId));
          tx.set(entry, "resolvedBy", me);
          tx.set(entry, "resolvedAt", Long.toString(time));
          tx.set(entry, "resolution", note);
        });
  }

  /** Reports of the space, newest first (empty while its moderation document is not here). */
  public List<Report> reports(SpaceId space) {
    if (!ensureDocument(space)) {
      return List.of();
    }
    List<Report> out =
        docs.withDocument(
            documentId(space),
            live -> {
              List<Report> rs = new ArrayList<>();
              for (var e : FieldMaps.entries(live.doc(), ObjectId.ROOT, "reports").entrySet()) {
                Map<String, String> f = e.getValue();
                String page = f.get("page");
                if (!Ids.FORMAT.matcher(page).matches()) {
                  continue;
                }
                String by = f.get("resolvedBy");
                rs.add(
                    new Report(
                        e.getKey(),
                        f.get("reporter"),
                        new PageId(page),
                        number(f.get("version")),
                        f.get("reason"),
                        time(f.get("time")),
                        by.isEmpty() ? Optional.empty() : Optional.of(by),
                        by.isEmpty() ? Optional.empty() : Optional.of(time(f.get("resolvedAt"))),
                        f.get("resolution")));
              }
              return rs;
            });
    out.sort(Comparator.comparing(Report::time).reversed());
    return out;
  }

  /** Appends an entry by this node's user to the space's moderation log. */
  public void log(SpaceId space, String action, String target, String reason) {
    String why = reason(reason);
    String docId = requireDocument(space);
    String me = docs.identity().peerId().toString();
    long time = docs.now().toEpochMilli();
    String id = Long.toString(time, 36) + "-" + newId();
    commit(
        space,
        docId,
        "Logged " + action,
        (doc, tx) -> {
          ObjectId e = tx.set(FieldMaps.mapOrCreate(doc, tx, "log"), id, ObjectType.MAP);
          tx.set(e, "who", me);
          tx.set(e, "action", action);
          tx.set(e, "target", target);
          tx.set(e, "time", Long.toString(time));
          tx.set(e, "reason", why);
        });
  }

  /** The space's moderation log, newest first. */
  public List<LogEntry> log(SpaceId space) {
    if (!ensureDocument(space)) {
      return List.of();
    }
    List<LogEntry> out =
        docs.withDocument(
            documentId(space),
            live -> {
              List<LogEntry> es = new ArrayList<>();
              for (var e : FieldMaps.entries(live.doc(), ObjectId.ROOT, "log").values()) {
                es.add(
                    new LogEntry(
                        e.get("who"),
                        e.get("action"),
                        e.get("target"),
                        time(e.get("time")),
                        e.get("reason")));
              }
              return es;
            });
    out.sort(Comparator.comparing(LogEntry::time).reversed());
    return out;
  }

  private void commit(SpaceId space, String docId, String message, DocOps ops) {
    docs.withDocument(
        docId,
        live ->
            docs.commit(
                live,
                tx -> ops.apply(live.doc(), tx),
                docs.meta(Optional.of(message)),
                Sql.OnCommit.NONE));
    docs.fire(docId, ModerationKind.KIND, space.value(), Optional.empty());
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  // ---------------------------------------------------------------- muted peers (local)

  /** Hides {@code peer}'s content from this node's feed and comments (nothing is sent). */
  public void mute(PeerId peer, String reason) {
    String why = reason(reason);
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "INSERT OR REPLACE INTO muted_peers(peer, reason, time) VALUES (?, ?, ?)");
          ps.setString(1, peer.toString());
          ps.setString(2, why);
          ps.setLong(3, docs.now().toEpochMilli());
          ps.executeUpdate();
          return null;
        });
  }

  public void unmute(PeerId peer) {
    docs.transaction(
        d -> {
          PreparedStatement ps = d.statement("DELETE FROM muted_peers WHERE peer = ?");
          ps.setString(1, peer.toString());
          ps.executeUpdate();
          return null;
        });
  }

  /** A peer on one of this node's own lists (muted or blocked): why, and since when. */
  public record ListedPeer(PeerId peer, String reason, Instant since) {}

  /** Muted peers, most recently muted first. */
  public List<ListedPeer> muteList() {
    return listed("muted_peers");
  }

  /**
   * Blocked peers (blocked from sync, as {@code blocked_peers} lists them), most recently blocked
   * first.
   */
  public List<ListedPeer> blockList() {
    return listed("blocked_peers");
  }

  private List<ListedPeer> listed(String table) {
    return docs.read(
        d -> {
          List<ListedPeer> out = new ArrayList<>();
          try (ResultSet rs =
              d.statement("SELECT peer, reason, time FROM " + table + " ORDER BY time DESC")
                  .executeQuery()) {
            while (rs.next()) {
              // Only this node writes these tables, always a peer ID's text.
              PeerId peer = PeerId.parseBase58(rs.getString(1));
              out.add(new ListedPeer(peer, rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
          }
          return out;
        });
  }

  /** Muted peers and why. */
  public Map<PeerId, String> mutedPeers() {
    return docs.read(
        d -> {
          Map<PeerId, String> out =
              new java.util.TreeMap<>(Comparator.comparing(PeerId::toString)); // by text, as before
          try (ResultSet rs = d.statement("SELECT peer, reason FROM muted_peers").executeQuery()) {
            while (rs.next()) {
              out.put(PeerId.parseBase58(rs.getString(1)), rs.getString(2));
            }
          }
          return out;
        });
  }

  private static long number(String s) {
    return FieldMaps.number(s);
  }

  private static Instant time(String s) {
    return FieldMaps.time(s);
  }
}
