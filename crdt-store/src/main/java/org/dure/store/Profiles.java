package org.dure.store;

import java.time.Instant;
import java.util.Date;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;

/**
 * Members' profiles: a display name, a short bio and an avatar. Each member keeps one profile
 * document per space it belongs to (id derived from the space and its peer ID, so every peer agrees
 * on it), written only by that member; it is synced like the space's other documents, so a profile
 * reaches exactly the people who share a space with its owner.
 *
 * <p>Values are checked again when read (a peer may have written anything): lengths, and the
 * avatar's type against its first bytes and its pixel size against what its header declares (at
 * most {@value Avatars#MAX_SIDE}×{@value Avatars#MAX_SIDE}, what this code stores); an avatar that
 * fails is dropped, the rest of the profile kept.
 */
public final class Profiles {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Profiles.class);

  /** The longest display name, in characters. */
  public static final int MAX_NAME = 80;

  /** The longest bio, in characters. */
  public static final int MAX_BIO = 500;

  /**
   * A member's profile.
   *
   * @param peerId whose it is
   * @param name display name, may be empty
   * @param updated when its owner last saved it
   */
  public record Profile(
      String peerId, String name, String bio, Optional<Avatar> avatar, Instant updated) {
    /** The name to show: the display name, or the short form of the peer ID without one. */
    public String displayName() {
      return name.isBlank() ? shortId(peerId) : name;
    }
  }

  private final WikiStore store;
  private final ConcurrentHashMap<String, Optional<Profile>> cache = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();

  Profiles(WikiStore store) {
    this.store = store;
    store.sync().addListener(this::changed);
  }

  /** The id of {@code peerId}'s profile document in {@code space}. */
  public static String docId(SpaceId space, String peerId) {
    return Ids.derived("profile", space.value() + ":" + peerId);
  }

  /** The last 8 characters of a peer ID, for where no name is known. */
  public static String shortId(String peerId) {
    return peerId.length() > 8 ? "…" + peerId.substring(peerId.length() - 8) : peerId;
  }

  /** The newest valid profile of {@code peerId} among the spaces held here; empty if none. */
  public Optional<Profile> profile(String peerId) {
    Optional<Profile> cached = cache.get(peerId);
    if (cached != null) {
      return cached;
    }
    Optional<Profile> best = Optional.empty();
    for (Space s : store.spaces()) {
      String id = docId(s.id(), peerId);
      if (!store.documentExists(id)) {
        continue;
      }
      Optional<Profile> p;
      try {
        p = store.lanes().withDocument(id, live -> read(live.doc, s.id(), peerId));
      } catch (DamagedDocumentException | NoSuchElementException e) {
        continue;
      }
      if (p.isPresent() && (best.isEmpty() || p.get().updated().isAfter(best.get().updated()))) {
        best = p;
      }
    }
    cache.put(peerId, best);
    return best;
  }

  /** This node's own profile, if it has saved one. */
  public Optional<Profile> mine() {
    return profile(store.identity().peerId());
  }

  /** The name to show for {@code peerId}: its display name, or the short peer ID. */
  public String displayName(String peerId) {
    return profile(peerId).map(Profile::displayName).orElseGet(() -> shortId(peerId));
  }

  /**
   * Saves this node's profile into every space it is a member of (and later into spaces it creates
   * or joins).
   *
   * @param name display name, at most {@link #MAX_NAME} characters (whitespace runs become one
   *     space)
   * @param bio at most {@link #MAX_BIO} characters
   * @param avatar the picture, or empty for none (see {@link Avatars#fromUpload})
   * @throws IllegalArgumentException if the name or bio is too long
   */
  public Profile save(String name, String bio, Optional<Avatar> avatar) {
    String n = name == null ? "" : name.strip().replaceAll("\\s+", " ");
    String b = bio == null ? "" : bio.strip();
    if (n.codePointCount(0, n.length()) > MAX_NAME) {
      throw new IllegalArgumentException(
          "A display name can have at most " + MAX_NAME + " characters.");
    }
    if (b.codePointCount(0, b.length()) > MAX_BIO) {
      throw new IllegalArgumentException("A bio can have at most " + MAX_BIO + " characters.");
    }
    Profile p = new Profile(store.identity().peerId(), n, b, avatar, store.now());
    if (store.spaces().isEmpty()) {
      store.defaultSpace(); // a profile lives in spaces: there must be one
    }
    writeLock.lock();
    try {
      for (Space s : store.spaces()) {
        if (isMember(s.id())) {
          write(s.id(), p);
        }
      }
    } finally {
      writeLock.unlock();
    }
    cache.clear();
    return p;
  }

  private boolean isMember(SpaceId space) {
    try {
      return store.membership(space).isMember(store.identity().peerId());
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return false;
    }
  }

  /** A membership changed: if this node is (now) a member, its profile goes into that space. */
  private void changed(DocumentRef ref, Optional<String> fromPeer) {
    if (ref.kind() == DocumentRef.Kind.PROFILE) {
      cache.clear();
      return;
    }
    if (ref.kind() != DocumentRef.Kind.MEMBERS) {
      return;
    }
    String me = store.identity().peerId();
    if (store.documentExists(docId(ref.space(), me)) || !isMember(ref.space())) {
      return;
    }
    Optional<Profile> mine = mine();
    if (mine.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      if (!store.documentExists(docId(ref.space(), me))) {
        write(ref.space(), mine.get());
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes {@code p} as this node's profile in {@code space}, setting only what differs. */
  private void write(SpaceId space, Profile p) {
    String id = docId(space, p.peerId());
    var meta = store.meta(Optional.of("Updated profile"));
    if (store.documentExists(id)) {
      store
          .lanes()
          .withDocument(
              id,
              live ->
                  store.repo().commit(live, tx -> setFields(tx, live.doc, p), meta, (d, s) -> {}));
    } else {
      store
          .lanes()
          .create(
              id,
              () ->
                  store
                      .repo()
                      .create(
                          id,
                          WikiStore.KIND_PROFILE,
                          space.value(),
                          tx -> {
                            tx.set(ObjectId.ROOT, "space", space.value());
                            tx.set(ObjectId.ROOT, "peer", p.peerId());
                            setFields(tx, null, p);
                          },
                          meta,
                          (d, s) -> {}),
              live -> null);
    }
    store.sync().fire(new DocumentRef(id, DocumentRef.Kind.PROFILE, space), Optional.empty());
  }

  private static void setFields(Transaction tx, Document current, Profile p) {
    if (current == null || !p.name().equals(WikiStore.str(current, "name", null))) {
      tx.set(ObjectId.ROOT, "name", p.name());
    }
    if (current == null || !p.bio().equals(WikiStore.str(current, "bio", null))) {
      tx.set(ObjectId.ROOT, "bio", p.bio());
    }
    Optional<Avatar> now = current == null ? Optional.empty() : avatarOf(current);
    if (!now.equals(p.avatar())) {
      if (p.avatar().isPresent()) {
        tx.set(ObjectId.ROOT, "avatar", p.avatar().get().bytes());
        tx.set(ObjectId.ROOT, "avatarType", p.avatar().get().type());
      } else if (current != null) {
        if (current.get(ObjectId.ROOT, "avatar").isPresent()) {
          tx.delete(ObjectId.ROOT, "avatar");
        }
        if (current.get(ObjectId.ROOT, "avatarType").isPresent()) {
          tx.delete(ObjectId.ROOT, "avatarType");
        }
      }
    }
    tx.set(ObjectId.ROOT, "updated", Date.from(p.updated()));
  }

  private static Optional<Avatar> avatarOf(Document doc) {
    Optional<AmValue> bytes = doc.get(ObjectId.ROOT, "avatar");
    if (bytes.isEmpty() || !(bytes.get() instanceof AmValue.Bytes b)) {
      return Optional.empty();
    }
    return Avatar.of(WikiStore.str(doc, "avatarType", null), b.getValue());
  }

  /**
   * The avatar in {@code peerId}'s profile if it passes {@link Avatar#of}'s checks (type, bytes,
   * the pixel size its header declares); one that fails is dropped, so it never reaches a browser.
   */
  private static Optional<Avatar> avatarOf(Document doc, SpaceId space, String peerId) {
    Optional<AmValue> bytes = doc.get(ObjectId.ROOT, "avatar");
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (!(bytes.get() instanceof AmValue.Bytes b)) {
      LOG.debug("The avatar in {}'s profile (space {}) is not bytes; dropped", peerId, space);
      return Optional.empty();
    }
    String type = WikiStore.str(doc, "avatarType", null);
    String problem = Avatar.problem(type, b.getValue());
    if (problem != null) {
      LOG.debug("The avatar in {}'s profile (space {}) is dropped: {}", peerId, space, problem);
      return Optional.empty();
    }
    return Avatar.of(type, b.getValue());
  }

  /** The profile in {@code doc} if it is a valid one of {@code peerId} in {@code space}. */
  private static Optional<Profile> read(Document doc, SpaceId space, String peerId) {
    if (!space.value().equals(WikiStore.str(doc, "space", null))
        || !peerId.equals(WikiStore.str(doc, "peer", null))) {
      return Optional.empty();
    }
    String name = WikiStore.str(doc, "name", null);
    String bio = WikiStore.str(doc, "bio", null);
    if (name.codePointCount(0, name.length()) > MAX_NAME
        || bio.codePointCount(0, bio.length()) > MAX_BIO) {
      return Optional.empty();
    }
    Optional<AmValue> updated = doc.get(ObjectId.ROOT, "updated");
    if (updated.isEmpty() || !(updated.get() instanceof AmValue.Timestamp t)) {
      return Optional.empty();
    }
    // An avatar that fails the checks is dropped; the name is still worth showing.
    return Optional.of(
        new Profile(peerId, name, bio, avatarOf(doc, space, peerId), t.getValue().toInstant()));
  }

  /** Why {@code doc} is not a profile document with {@code ref}'s id, or null if it is one. */
  static String checkShape(DocumentRef ref, Document doc) {
    if (!ref.space().value().equals(WikiStore.str(doc, "space", null))) {
      return "the profile is not one of space " + ref.space();
    }
    String peer = WikiStore.str(doc, "peer", null);
    try {
      PeerIds.check(peer);
    } catch (IllegalArgumentException e) {
      return "the profile names no valid peer";
    }
    if (!ref.id().equals(docId(ref.space(), peer))) {
      return "the profile's id is not the one derived from its space and peer";
    }
    if (read(doc, ref.space(), peer).isEmpty()) {
      return "the profile's values are not allowed (too long, or no time)";
    }
    return null;
  }
}
