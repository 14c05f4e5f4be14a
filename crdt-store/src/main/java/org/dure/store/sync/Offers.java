package org.dure.store.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Documents;
import org.dure.store.social.Comments;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.MembershipKind;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.SpaceIndexKind;
import org.dure.store.wiki.Wiki;

/**
 * What this node can offer a peer: the spaces it shares with it, their documents, and the ids it
 * expects of documents it does not hold yet. Who may see what is not decided here: the caller (the
 * network's access policy) asks first.
 */
final class Offers {
  private final Documents docs;
  private final Wiki wiki;

  // Profile and comments ids expected per space (see derivedDocument), dropped when its index or
  // membership changes.
  private final ConcurrentHashMap<SpaceId, Map<String, DocumentRef.Kind>> derived =
      new ConcurrentHashMap<>();
  private final AtomicLong derivedGeneration = new AtomicLong();

  Offers(Documents docs, Wiki wiki) {
    this.docs = docs;
    this.wiki = wiki;
    docs.feed()
        .addListener(
            (id, kind, space, fromPeer) -> {
              if (kind == SpaceIndexKind.KIND || kind == MembershipKind.KIND) {
                derivedGeneration.incrementAndGet();
                derived.remove(new SpaceId(space));
              }
            });
  }

  /** The kind of document {@code ref} names. */
  DocumentKind kindOf(DocumentRef ref) {
    return docs.kinds().of(ref.kind().key());
  }

  /** Tells the change feed that {@code ref} changed (through {@code fromPeer}, if present). */
  void fire(DocumentRef ref, Optional<String> fromPeer) {
    docs.fire(ref.id(), kindOf(ref), ref.space().value(), fromPeer);
  }

  /** Spaces held here whose membership lists {@code peerId}. */
  List<SpaceId> spacesSharedWith(PeerId peerId) {
    List<SpaceId> out = new ArrayList<>();
    for (Space s : wiki.spaces().all()) {
      try {
        if (wiki.memberships().of(s.id()).isMember(peerId)) {
          out.add(s.id());
        }
      } catch (NoSuchElementException | DamagedDocumentException e) {
        // membership not here yet, or damaged: share nothing
      }
    }
    return out;
  }

  /**
   * The documents of the space held here: index, membership (if held), pages, then members'
   * profiles and pages' comments.
   */
  List<DocumentRef> documents(SpaceId space) {
    return docs.read(
        d -> {
          List<DocumentRef> out = new ArrayList<>();
          PreparedStatement ps =
              d.statement(
                  "SELECT id, kind FROM documents WHERE space_id = ? AND damaged IS NULL"
                      + " ORDER BY CASE kind WHEN 'space' THEN 0 WHEN 'members' THEN 1"
                      + " WHEN 'page' THEN 2 WHEN 'moderation' THEN 3 WHEN 'profile' THEN 4"
                      + " ELSE 5 END, id");
          ps.setString(1, space.value());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new DocumentRef(rs.getString(1), DocumentRef.Kind.ofKey(rs.getString(2)), space));
            }
          }
          return out;
        });
  }

  /** The document with this id, if it is held here (and not damaged). */
  Optional<DocumentRef> document(String docId) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement("SELECT kind, space_id FROM documents WHERE id = ? AND damaged IS NULL");
          ps.setString(1, docId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new DocumentRef(
                    docId, DocumentRef.Kind.ofKey(rs.getString(1)), new SpaceId(rs.getString(2))));
          }
        });
  }

  /** The page ids the space's index lists (held here or not). */
  Set<String> listedPages(SpaceId space) {
    return docs.withDocument(space.value(), live -> SpaceIndexKind.KIND.listed(live.doc()));
  }

  /**
   * Whether {@code docId}, a document of {@code space} not held here, is one this side expects by
   * its derived id: a profile of a member the space's membership lists, or the comments of a page
   * the space's index lists. Empty if neither (or the index or membership is not here). The
   * expected ids are computed once per change of the space's index or membership.
   */
  Optional<DocumentRef.Kind> derivedDocument(SpaceId space, String docId) {
    Map<String, DocumentRef.Kind> ids = derived.get(space);
    if (ids == null) {
      long generation = derivedGeneration.get();
      ids = computeDerived(space);
      if (derivedGeneration.get() == generation) {
        derived.put(space, ids);
      }
    }
    return Optional.ofNullable(ids.get(docId));
  }

  private Map<String, DocumentRef.Kind> computeDerived(SpaceId space) {
    Map<String, DocumentRef.Kind> out = new HashMap<>();
    if (!docs.exists(space.value())) {
      return out;
    }
    try {
      for (PeerId member : wiki.memberships().of(space).members().keySet()) {
        out.put(Profiles.docId(space, member), DocumentRef.Kind.PROFILE);
      }
    } catch (NoSuchElementException | DamagedDocumentException e) {
      // no membership here yet: no profiles expected
    }
    try {
      for (String page : listedPages(space)) {
        out.put(Comments.docId(new PageId(page)), DocumentRef.Kind.COMMENTS);
      }
    } catch (NoSuchElementException | DamagedDocumentException e) {
      // index gone or damaged: no comments expected
    }
    return out;
  }
}
