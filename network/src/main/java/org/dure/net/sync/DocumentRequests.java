package org.dure.net.sync;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which documents a {@link SyncEngine} asks its peer for (NEED): what of a space shared or accepted
 * is not held here, and documents a SYNC was about that are recognised as a shared space's (spec,
 * step 4), remembered when they are not (yet). Each NEED is sent once while unanswered, and only if
 * the {@link PeerQuota} lets this side ask. No I/O; {@link #askForUnknown} and {@link
 * #retryUnknown} are called by the session's reader only, the rest by any thread.
 */
final class DocumentRequests {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRequests.class);

  /**
   * Unknown documents a SYNC was about that are remembered to look at again (each costs a look at
   * the space's index and membership whenever one of them changes).
   */
  private static final int MAX_UNRECOGNISED = 1_000;

  private final PeerId remote;
  private final String peer;
  private final SyncStore store;
  private final SessionState state;
  private final Supplier<PeerQuota> quota;

  // Reader only: documents a SYNC was about that were not held or recognised (yet).
  private final Set<String> unrecognised = new LinkedHashSet<>();

  DocumentRequests(PeerId remote, SyncStore store, SessionState state, Supplier<PeerQuota> quota) {
    this.remote = remote;
    this.peer = remote.toString();
    this.store = store;
    this.state = state;
    this.quota = quota;
  }

  /** Both sides offer {@code s}: sync every document of it held here, ask for the others. */
  void startSharing(SpaceId s) {
    state.queueAll(store.documents(s)); // index, membership, pages
    requestMissing(s);
  }

  /** Asks for what of {@code s} is not here: index first, then membership and listed pages. */
  void requestMissing(SpaceId s) {
    if (store.document(s.value()).isEmpty()) {
      need(s.value(), s, DocumentRef.Kind.SPACE);
      return;
    }
    String members = WikiStore.membershipDocId(s);
    if (store.document(members).isEmpty()) {
      need(members, s, DocumentRef.Kind.MEMBERS);
    }
    String moderation = WikiStore.moderationDocId(s);
    if (store.document(moderation).isEmpty()) {
      need(moderation, s, DocumentRef.Kind.MODERATION);
    }
    for (String page : store.listedPages(s)) {
      if (store.document(page).isEmpty()) {
        need(page, s, DocumentRef.Kind.PAGE);
      }
    }
  }

  /** Sends NEED unless already waiting for that document or the quota says no. */
  void need(String docId, SpaceId space, DocumentRef.Kind kind) {
    if (state.isNeeded(docId)) {
      return;
    }
    if (!quota.get().mayRequest(remote, space, kind)) {
      LOG.debug("Not asking {} for {} of {}: over quota", peer, docId, space);
      return;
    }
    state.need(new SyncFrame.Need(docId, space, kind));
  }

  /**
   * Spec, step 4: "…and for any document of a shared space it receives a SYNC about but does not
   * hold."
   */
  void askForUnknown(String docId) {
    if (!recognise(docId) && unrecognised.size() < MAX_UNRECOGNISED) {
      unrecognised.add(docId); // its page or member may not be known here yet: see retryUnknown
    }
  }

  /**
   * The space's index or membership changed here: documents heard of before that were not
   * recognised may be now (a page's comments whose page was not listed yet, a new member's
   * profile).
   */
  void retryUnknown() {
    if (unrecognised.isEmpty()) {
      return;
    }
    unrecognised.removeIf(id -> store.document(id).isPresent() || recognise(id));
  }

  /** Sends NEED for {@code docId} if it is a document of a shared space; whether it was. */
  private boolean recognise(String docId) {
    for (SpaceId s : state.shared()) {
      if (docId.equals(WikiStore.membershipDocId(s))) {
        need(docId, s, DocumentRef.Kind.MEMBERS);
        return true;
      }
      if (docId.equals(WikiStore.moderationDocId(s))) {
        need(docId, s, DocumentRef.Kind.MODERATION);
        return true;
      }
      if (store.document(s.value()).isPresent() && store.listedPages(s).contains(docId)) {
        need(docId, s, DocumentRef.Kind.PAGE);
        return true;
      }
      // A member's profile or a listed page's comments, from any member: the snapshot's whole
      // history is checked by who signed it.
      Optional<DocumentRef.Kind> derived = store.derivedDocument(s, docId);
      if (derived.isPresent()) {
        need(docId, s, derived.get());
        return true;
      }
    }
    return false;
  }

  /** The user accepted {@code space} from this peer: ask for it if the peer offered it. */
  void accepted(SpaceId space) {
    if (state.isOfferedByRemote(space)) {
      requestMissing(space);
    }
  }

  /**
   * Another session's peer stalled while sending what {@code n} asked for: ask this peer if it
   * offers that space and this side shares or accepts it (the user accepted the space).
   */
  void askAgain(SyncFrame.Need n) {
    if (state.isEnded() || !state.isOfferedByRemote(n.space())) {
      return;
    }
    if (store.document(n.docId()).isPresent()) {
      return; // arrived meanwhile
    }
    need(n.docId(), n.space(), n.kind());
  }
}
