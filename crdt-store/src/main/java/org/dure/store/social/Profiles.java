package org.dure.store.social;

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
import org.dure.identity.PeerId;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Fields;
import org.dure.store.doc.Ids;
import org.dure.store.doc.Sql;
import org.dure.store.wiki.MembershipKind;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;

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
      PeerId peerId, String name, String bio, Optional<Avatar> avatar, Instant updated) {
    /** The name to show: the display name, or the short form of the peer ID without one. */
    public String displayName() {
      return name.isBlank() ? shortId(peerId) : name;
    }
  }

  private final Documents docs;
  private final Wiki wiki;
  private final ConcurrentHashMap<PeerId, Optional<Profile>> cache = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();

  public Profiles(Documents docs, Wiki wiki) {
    this.docs = docs;
    this.wiki = wiki;
    docs.feed().addListener(this::changed);
  }

  /** The id of {@code peerId}'s profile document in {@code space}. */
  public static String docId(SpaceId space, PeerId peerId) {
    return Ids.derived("profile", space.value() + ":" + peerId);
  }

  /** The last 8 characters of a peer ID, for where no name is known. */
  public static String shortId(PeerId peerId) {
    String id = peerId.toString();
    return id.length() > 8 ? "…" + id.substring(id.length() - 8) : id;
  }

  /** The newest valid profile of {@code peerId} among the spaces held here; empty if none. */
  public Optional<Profile> profile(PeerId peerId) {
    Optional<Profile> cached = cache.get(peerId);
    if (cached != null) {
      return cached;
    }
    Optional<Profile> best = Optional.empty();
    for (Space s : wiki.spaces().all()) {
      String id = docId(s.id(), peerId);
      if (!docs.exists(id)) {
        continue;
      }
      Optional<Profile> p;
      try {
        p = docs.withDocument(id, live -> read(live.doc(), s.id(), peerId));
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
    return profile(docs.identity().peerId());
  }

  /** The name to show for {@code peerId}: its display name, or the short peer ID. */
  public String displayName(PeerId peerId) {
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
    Profile p = new Profile(docs.identity().peerId(), n, b, avatar, docs.now());
    if (wiki.spaces().all().isEmpty()) {
      wiki.defaultSpace(); // a profile lives in spaces: there must be one
    }
    writeLock.lock();
    try {
      for (Space s : wiki.spaces().all()) {
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
      return wiki.memberships().of(space).isMember(docs.identity().peerId());
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return false;
    }
  }

  /** A membership changed: if this node is (now) a member, its profile goes into that space. */
  private void changed(String docId, DocumentKind kind, String spaceId, Optional<String> fromPeer) {
    if (kind == ProfileKind.KIND) {
      cache.clear();
      return;
    }
    if (kind != MembershipKind.KIND) {
      return;
    }
    SpaceId space = new SpaceId(spaceId);
    PeerId me = docs.identity().peerId();
    if (docs.exists(docId(space, me)) || !isMember(space)) {
      return;
    }
    Optional<Profile> mine = mine();
    if (mine.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      if (!docs.exists(docId(space, me))) {
        write(space, mine.get());
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes {@code p} as this node's profile in {@code space}, setting only what differs. */
  private void write(SpaceId space, Profile p) {
    String id = docId(space, p.peerId());
    var meta = docs.meta(Optional.of("Updated profile"));
    if (docs.exists(id)) {
      docs.withDocument(
          id,
          live -> docs.commit(live, tx -> setFields(tx, live.doc(), p), meta, Sql.OnCommit.NONE));
    } else {
      docs.createDocument(
          id,
          ProfileKind.KIND,
          space.value(),
          tx -> {
            tx.set(ObjectId.ROOT, "space", space.value());
            tx.set(ObjectId.ROOT, "peer", p.peerId().toString());
            setFields(tx, null, p);
          },
          meta,
          Sql.OnCommit.NONE);
    }
    docs.fire(id, ProfileKind.KIND, space.value(), Optional.empty());
  }

  private static void setFields(Transaction tx, Document current, Profile p) {
    if (current == null || !p.name().equals(Fields.str(current, "name"))) {
      tx.set(ObjectId.ROOT, "name", p.name());
    }
    if (current == null || !p.bio().equals(Fields.str(current, "bio"))) {
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
    return Avatar.of(Fields.str(doc, "avatarType"), b.getValue());
  }

  /**
   * The avatar in {@code peerId}'s profile if it passes {@link Avatar#of}'s checks (type, bytes,
   * the pixel size its header declares); one that fails is dropped, so it never reaches a browser.
   */
  private static Optional<Avatar> avatarOf(Document doc, SpaceId space, PeerId peerId) {
    Optional<AmValue> bytes = doc.get(ObjectId.ROOT, "avatar");
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (!(bytes.get() instanceof AmValue.Bytes b)) {
      LOG.debug("The avatar in {}'s profile (space {}) is not bytes; dropped", peerId, space);
      return Optional.empty();
    }
    String type = Fields.str(doc, "avatarType");
    String problem = Avatar.problem(type, b.getValue());
    if (problem != null) {
      LOG.debug("The avatar in {}'s profile (space {}) is dropped: {}", peerId, space, problem);
      return Optional.empty();
    }
    return Avatar.of(type, b.getValue());
  }

  /** The profile in {@code doc} if it is a valid one of {@code peerId} in {@code space}. */
  private static Optional<Profile> read(Document doc, SpaceId space, PeerId peerId) {
    if (!space.value().equals(Fields.str(doc, "space"))
        || !peerId.toString().equals(Fields.str(doc, "peer"))) {
      return Optional.empty();
    }
    String name = Fields.str(doc, "name");
    String bio = Fields.str(doc, "bio");
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

  /** Why {@code doc} is not a profile document with id {@code docId} of {@code space}, or null. */
  static String checkShape(String docId, SpaceId space, Document doc) {
    if (!space.value().equals(Fields.str(doc, "space"))) {
      return "the profile is not one of space " + space;
    }
    Optional<PeerId> named = Fields.peerId(Fields.str(doc, "peer"));
    if (named.isEmpty()) {
      return "the profile names no valid peer";
    }
    PeerId peer = named.get();
    if (!docId.equals(docId(space, peer))) {
      return "the profile's id is not the one derived from its space and peer";
    }
    if (read(doc, space, peer).isEmpty()) {
      return "the profile's values are not allowed (too long, or no time)";
    }
    return null;
  }
}
