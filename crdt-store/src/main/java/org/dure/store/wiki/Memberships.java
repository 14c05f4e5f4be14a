package org.dure.store.wiki;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
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
import org.dure.store.doc.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who belongs to each space: its membership document ({@link MembershipKind}), one per space, with
 * the owner, members and their roles, banned peers and former members. Who may change it is the
 * moderation layer's decision; this records it (except that the owner's role is fixed and a banned
 * peer cannot be added).
 */
public final class Memberships {
  private static final Logger LOG = LoggerFactory.getLogger(Memberships.class);

  private final Documents docs;
  private final Spaces spaces;
  private final ReentrantLock createLock;

  /**
   * What each membership document held after its latest change here, read on its lane and put
   * there, in the lane's order (so an older reading never replaces a newer one). The checks of
   * every change from a peer read the membership of its space from a task on another document's
   * lane; reading this copy instead of waiting on the membership's lane, they cannot leave two
   * lanes waiting on each other ({@code doc/concurrency.md}).
   */
  private final Map<SpaceId, Copy> copies = new ConcurrentHashMap<>();

  /** A membership as read: its members, and the raw entries of its bans and former members. */
  private record Copy(
      Membership membership,
      Map<String, Map<String, String>> banned,
      Map<String, Map<String, String>> former) {}

  Memberships(Documents docs, Spaces spaces, ReentrantLock createLock) {
    this.docs = docs;
    this.spaces = spaces;
    this.createLock = createLock;
    // First among the listeners (the wiki is made before anything else listens): whoever is told
    // of a membership change reads the new membership.
    docs.feed()
        .addListener(
            (docId, kind, spaceId, fromPeer) -> {
              if (kind == MembershipKind.KIND) {
                refresh(new SpaceId(spaceId));
              }
            });
  }

  /**
   * Reads every space's membership now, while no lane waits on anything: the first check of a
   * change from a peer then finds the copy made, instead of reading the membership on its lane.
   * Called when the store starts, after crash recovery: not from the constructor, since reading a
   * membership loads it in native code, and what crashed the last process must be known first.
   */
  void readAll() {
    for (Space space : spaces.all()) {
      try {
        if (docs.exists(docId(space.id()))) {
          refresh(space.id());
        }
      } catch (RuntimeException e) {
        LOG.warn("Cannot read the membership of space {} yet: {}", space.id(), e.toString());
      }
    }
  }

  /** Reads the space's membership on its lane into {@link #copies} (drops it if not readable). */
  private Copy refresh(SpaceId space) {
    String docId = docId(space);
    try {
      return docs.withDocument(
          docId,
          live -> {
            Copy c =
                new Copy(
                    read(space, live.doc()),
                    FieldMaps.entries(live.doc(), ObjectId.ROOT, "banned"),
                    FieldMaps.entries(live.doc(), ObjectId.ROOT, "former"));
            copies.put(space, c);
            return c;
          });
    } catch (RuntimeException e) {
      copies.remove(space);
      throw e;
    }
  }

  /** The space's membership as last read, reading it now if it was not yet. */
  private Copy copy(SpaceId space) {
    Copy c = copies.get(space);
    return c != null ? c : refresh(space);
  }

  /** The id of a space's membership document: derived from the space's, the same everywhere. */
  public static String docId(SpaceId space) {
    return Ids.derived("members", space.value());
  }

  /**
   * Who belongs to the space. A space created here before membership existed gets its membership
   * document now, with this node as the owner.
   *
   * @throws NoSuchElementException if there is no such space, or it came from a peer whose
   *     membership document has not arrived yet
   */
  public Membership of(SpaceId spaceId) {
    String docId = docId(spaceId);
    if (!docs.exists(docId)) {
      createLock.lock();
      try {
        if (!docs.exists(docId)) {
          if (!spaces.isLocal(spaceId)) {
            throw new NoSuchElementException(
                "The membership of space " + spaceId + " has not arrived yet");
          }
          create(spaceId);
        }
      } finally {
        createLock.unlock();
      }
    }
    return copy(spaceId).membership();
  }

  private static Membership read(SpaceId spaceId, Document doc) {
    // The shape check refused any membership without a valid owner before it was kept.
    PeerId owner =
        Fields.peerId(Fields.str(doc, "owner"))
            .orElseThrow(
                () -> new StoreException("The membership of space " + spaceId + " has no owner"));
    Map<PeerId, Role> members = new HashMap<>();
    doc.get(ObjectId.ROOT, "members")
        .filter(AmValue.Map.class::isInstance)
        .flatMap(m -> doc.mapEntries(((AmValue.Map) m).getId()))
        .ifPresent(
            entries -> {
              for (var e : entries) {
                // A key that is no peer ID names no one who could ever act in the space.
                if (e.getValue() instanceof AmValue.Str role) {
                  Fields.peerId(e.getKey())
                      .ifPresent(
                          p -> Role.ofKey(role.getValue()).ifPresent(r -> members.put(p, r)));
                }
              }
            });
    members.put(owner, Role.OWNER);
    return new Membership(spaceId, owner, members);
  }

  /**
   * Adds {@code peerId} to the space with {@code role}, or changes its role. (Who may do this is
   * the moderation layer's decision; the store records it.)
   */
  public Membership add(SpaceId spaceId, PeerId peerId, Role role) {
    if (role == Role.OWNER) {
      throw new IllegalArgumentException("A space has one owner, its creator");
    }
    Membership now = of(spaceId);
    if (now.owner().equals(peerId)) {
      throw new IllegalArgumentException("The owner's role cannot change");
    }
    if (isBanned(spaceId, peerId)) {
      throw new IllegalArgumentException(
          "This peer is banned from the space; unban it first to add it again.");
    }
    var meta = docs.meta(Optional.of("Added " + peerId + " as " + role.key()));
    docs.withDocument(
        docId(spaceId),
        live ->
            docs.commit(
                live,
                tx -> tx.set(Fields.mapAt(live.doc(), "members"), peerId.toString(), role.key()),
                meta,
                Sql.OnCommit.NONE));
    fireChanged(spaceId);
    return of(spaceId);
  }

  /** Removes {@code peerId} from the space (not its owner). */
  public Membership remove(SpaceId spaceId, PeerId peerId) {
    Membership now = of(spaceId);
    if (now.owner().equals(peerId)) {
      throw new IllegalArgumentException("The owner cannot be removed");
    }
    if (!now.members().containsKey(peerId)) {
      return now;
    }
    var meta = docs.meta(Optional.of("Removed " + peerId));
    Role was = now.members().get(peerId);
    long time = docs.now().toEpochMilli();
    docs.withDocument(
        docId(spaceId),
        live ->
            docs.commit(
                live,
                tx -> {
                  tx.delete(Fields.mapAt(live.doc(), "members"), peerId.toString());
                  recordFormer(live.doc(), tx, peerId, was, time);
                },
                meta,
                Sql.OnCommit.NONE));
    fireChanged(spaceId);
    return of(spaceId);
  }

  /** Tells the change feed that the space's membership changed here. */
  public void fireChanged(SpaceId spaceId) {
    docs.fire(docId(spaceId), MembershipKind.KIND, spaceId.value(), Optional.empty());
  }

  /** Creates the space's membership document with this node as its owner. */
  void create(SpaceId spaceId) {
    String docId = docId(spaceId);
    String me = docs.identity().peerId().toString();
    var meta = docs.meta(Optional.of("Created membership"));
    docs.createDocument(
        docId,
        MembershipKind.KIND,
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
        Sql.OnCommit.NONE);
  }

  /** Whether {@code peer} is on the space's ban list (false while its membership is not here). */
  public boolean isBanned(SpaceId space, PeerId peer) {
    return entries(space, "banned", (p, f) -> Boolean.TRUE).containsKey(peer);
  }

  /**
   * The entries of the membership document's root map {@code key} (peer → fields, see {@link
   * FieldMaps}), each made into a value by {@code read} on the document's lane (null: left out);
   * empty while the membership has not arrived. A key that is not a peer ID is left out.
   */
  public <T> Map<PeerId, T> entries(
      SpaceId space, String key, BiFunction<PeerId, Map<String, String>, T> read) {
    if (!copies.containsKey(space) && !docs.exists(docId(space))) {
      return Map.of();
    }
    Copy c = copy(space);
    Map<String, Map<String, String>> raw =
        switch (key) {
          case "banned" -> c.banned();
          case "former" -> c.former();
          default -> throw new IllegalArgumentException("Not a map of peers: " + key);
        };
    Map<PeerId, T> out = new LinkedHashMap<>();
    for (var e : raw.entrySet()) {
      Optional<PeerId> peer = Fields.peerId(e.getKey());
      T value = peer.map(p -> read.apply(p, e.getValue())).orElse(null);
      if (value != null) {
        out.put(peer.get(), value);
      }
    }
    return out;
  }

  /**
   * Notes in the membership document that {@code peer} (with {@code role}) left at {@code time}:
   * its changes signed before then stay acceptable.
   */
  public static void recordFormer(Document doc, Transaction tx, PeerId peer, Role role, long time) {
    ObjectId entry =
        tx.set(FieldMaps.mapOrCreate(doc, tx, "former"), peer.toString(), ObjectType.MAP);
    tx.set(entry, "role", role.key());
    tx.set(entry, "time", Long.toString(time));
  }
}
