package org.dure.net.sync;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which documents a {@link SyncEngine} asks its peer for (NEED): what of a space shared or accepted
 * is not held here (again whenever its index or membership changes here, whichever session brought
 * the change), and documents a SYNC was about that are recognised as a shared space's (spec, step
 * 4), remembered when they are not (yet). Each NEED is sent once while unanswered, and only if the
 * {@link PeerQuota} lets this side ask.
 *
 * <p>A NEED goes out only once this session holds the {@link NeedLedger}'s claim on the document:
 * at most a window of them at a time, more as answers come, and none for a document another session
 * is asking its peer for (spec, "Several sources"). Those wait here: in the backlog (the window is
 * full) or parked (another session holds the claim) until the ledger says the claim ended
 * unanswered or became overdue.
 *
 * <p>No I/O; called by any thread. The backlog is guarded by {@code lock}, which is never held
 * while the ledger is told that a claim ended (that tells other sessions, which take their own
 * lock); the unrecognised documents by {@code this}, taken before {@code lock}, never after.
 */
final class DocumentRequests implements NeedLedger.Owner {
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
  private final NeedLedger ledger;
  private final LongSupplier clock;

  // Guarded by this: documents a SYNC was about that were not held or recognised (yet).
  private final Set<String> unrecognised = new LinkedHashSet<>();

  private final Object lock = new Object();
  // Guarded by lock: NEEDs not sent yet, in the order asked (the window was full).
  private final LinkedHashMap<String, SyncFrame.Need> backlog = new LinkedHashMap<>();
  // Guarded by lock: NEEDs for documents another session is asking its peer for.
  private final LinkedHashMap<String, SyncFrame.Need> parked = new LinkedHashMap<>();

  DocumentRequests(
      PeerId remote,
      SyncStore store,
      SessionState state,
      Supplier<PeerQuota> quota,
      NeedLedger ledger,
      LongSupplier clock) {
    this.remote = remote;
    this.peer = remote.toString();
    this.store = store;
    this.state = state;
    this.quota = quota;
    this.ledger = ledger;
    this.clock = clock;
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

  /**
   * Sends NEED unless already waiting for that document or the quota says no: now if the ledger
   * gives this session the claim, else when it does.
   */
  void need(String docId, SpaceId space, DocumentRef.Kind kind) {
    if (state.isNeeded(docId)) {
      return;
    }
    if (!quota.get().mayRequest(remote, space, kind)) {
      LOG.debug("Not asking {} for {} of {}: over quota", peer, docId, space);
      return;
    }
    synchronized (lock) {
      if (!parked.containsKey(docId)) {
        backlog.putIfAbsent(docId, new SyncFrame.Need(docId, space, kind));
      }
    }
    pump();
  }

  /** Sends the NEEDs waiting in the backlog while the ledger gives this session their claims. */
  void pump() {
    List<String> unsent = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<SyncFrame.Need> i = backlog.values().iterator(); i.hasNext(); ) {
        SyncFrame.Need n = i.next();
        if (state.isEnded()) {
          break;
        }
        if (state.isNeeded(n.docId()) || store.document(n.docId()).isPresent()) {
          i.remove(); // asked already, or arrived meanwhile
          continue;
        }
        switch (ledger.claim(this, n.docId(), clock.getAsLong())) {
          case FULL -> {
            return;
          }
          case TAKEN -> {
            i.remove();
            parked.put(n.docId(), n);
          }
          case CLAIMED -> {
            i.remove();
            if (!state.need(n)) {
              unsent.add(n.docId());
            }
          }
        }
      }
    }
    for (String docId : unsent) {
      ledger.release(this, docId);
    }
  }

  /** The ledger: another session's claim on {@code docId} ended or is overdue. */
  @Override
  public void mayClaim(String docId) {
    synchronized (lock) {
      SyncFrame.Need n = parked.remove(docId);
      if (n == null || state.isEnded()) {
        return;
      }
      backlog.putFirst(docId, n); // it waited longest
    }
    pump();
  }

  /** The ledger: a claim of this session is overdue and left the window; the next NEEDs go. */
  @Override
  public void mayAskMore() {
    pump();
  }

  /** {@code docId} arrived (or will not, from this peer): its claim ends, the next NEEDs go. */
  void answered(String docId) {
    state.answered(docId);
    ledger.release(this, docId);
    pump();
  }

  /**
   * The session stalled or ended: every claim ends, so other sessions ask for what this one was
   * asking; what waited here is dropped (a stall's pending NEEDs are asked elsewhere by the
   * service).
   */
  void releaseAll() {
    synchronized (lock) {
      backlog.clear();
      parked.clear();
    }
    ledger.releaseAll(this);
  }

  /** NEEDs waiting here, not sent yet (tests). */
  int waiting() {
    synchronized (lock) {
      return backlog.size() + parked.size();
    }
  }

  /**
   * Spec, step 4: "…and for any document of a shared space it receives a SYNC about but does not
   * hold."
   */
  synchronized void askForUnknown(String docId) {
    if (!recognise(docId) && unrecognised.size() < MAX_UNRECOGNISED) {
      unrecognised.add(docId); // its page or member may not be known here yet: see retryUnknown
    }
  }

  /**
   * The space's index or membership changed here: documents heard of before that were not
   * recognised may be now (a page's comments whose page was not listed yet, a new member's
   * profile).
   */
  synchronized void retryUnknown() {
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
