package org.dure.net.sync;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/**
 * What one sync session's two directions share: the spaces each side offers, the documents asked
 * for and promised, and the writer's queues (control frames first, then document turns round-robin,
 * a membership change ahead of everything; at most {@link SyncConfig#maxConcurrentSnapshots}
 * snapshots sent at once). No I/O and no store calls: {@link SyncEngine} consults and updates it.
 * Every method is synchronized and returns quickly; after a change that gives the writer work, or
 * ends the session, it runs the {@code wake} hook (under this lock: the hook must not call back
 * into the session).
 */
final class SessionState {

  /**
   * Documents asked for by the peer's NEEDs, not held yet, remembered to serve when they arrive.
   */
  static final int MAX_WANTED = 10_000;

  /** Spaces shared with the peer at some time in this session (at most this many are kept). */
  static final int MAX_EVER_SHARED = 4_096;

  /** A writer turn: a sync message for a document, or the next chunk of its snapshot. */
  record Turn(String docId, boolean snapshot) {}

  /** What the writer does next ({@link #next}). */
  sealed interface Work {
    /** Re-check the offer and send HELLO if it changed. */
    record Recheck() implements Work {}

    /** A control frame (NEED or BYE). */
    record Control(SyncFrame frame) implements Work {}

    /** A document's turn. */
    record Take(Turn turn) implements Work {}

    /** A HELLO is due but may not follow the last one yet. */
    record HelloNotYet() implements Work {}

    /** Nothing to do until woken. */
    record Idle() implements Work {}

    /** The session ended. */
    record Ended() implements Work {}
  }

  /** The offer this side sends in HELLO changed ({@link #offerToRemote}). */
  record OfferChange(Set<SpaceId> nowShared, boolean nothingLeft) {}

  /** The peer's HELLO changed its offer. */
  record PeerOffer(Set<SpaceId> added, Set<SpaceId> withdrawn) {}

  /** A snapshot being sent (fields used by the writer only, once started). */
  static final class Outgoing {
    final SyncFrame.Need need;
    byte[] bytes;
    int offset;

    Outgoing(SyncFrame.Need need) {
      this.need = need;
    }
  }

  private final int maxSnapshots;
  private final Runnable wake;

  private final ArrayDeque<SyncFrame> control = new ArrayDeque<>();
  private final LinkedHashSet<Turn> turns = new LinkedHashSet<>();
  private Set<SpaceId> offeredToRemote = Set.of();
  private Set<SpaceId> offeredByRemote = Set.of();
  private final Set<SpaceId> everShared = new HashSet<>();
  private boolean recheckOffer = true; // the first HELLO
  // Shared spaces whose index or membership changed here: what of them is missing is asked again.
  private final Set<SpaceId> changedSpaces = new java.util.LinkedHashSet<>();
  private boolean helloSent;
  private final Map<String, SyncFrame.Need> needed = new HashMap<>();
  private final ArrayDeque<SyncFrame.Need> toServe = new ArrayDeque<>();
  private final Set<String> serving = new HashSet<>();
  private final Map<String, Outgoing> sending = new HashMap<>();
  private final Map<String, SyncFrame.Need> wanted = new HashMap<>();
  // Documents the peer asked for by NEED and got (or gets) as a snapshot: the peer starts their
  // sync once it has imported them, so this side sends nothing about them until it hears from it.
  private final Set<String> bootstrapped = new HashSet<>();
  private boolean closing;
  private volatile boolean ended;

  SessionState(int maxSnapshots, Runnable wake) {
    this.maxSnapshots = maxSnapshots;
    this.wake = wake;
  }

  // ---------------------------------------------------------------- offers

  /** The peer's HELLO offers {@code spaces}: what it added and withdrew. */
  synchronized PeerOffer peerOffers(List<SpaceId> spaces) {
    Set<SpaceId> added = new LinkedHashSet<>(spaces);
    added.removeAll(offeredByRemote);
    Set<SpaceId> withdrawn = new HashSet<>(offeredByRemote);
    spaces.forEach(withdrawn::remove);
    offeredByRemote = Set.copyOf(spaces);
    noteShared();
    // The peer stops sending what it no longer offers: forget what was coming of it.
    needed.values().removeIf(n -> withdrawn.contains(n.space()));
    return new PeerOffer(added, withdrawn);
  }

  /**
   * This side offers {@code now}: null if that is what its last HELLO said, else the spaces shared
   * from now on that were not before, and whether nothing is offered any more that was.
   */
  synchronized OfferChange offerToRemote(Set<SpaceId> now) {
    if (helloSent && now.equals(offeredToRemote)) {
      return null;
    }
    boolean nothingLeft = helloSent && !offeredToRemote.isEmpty() && now.isEmpty();
    Set<SpaceId> added = new LinkedHashSet<>(now);
    added.removeAll(offeredToRemote);
    added.retainAll(offeredByRemote);
    offeredToRemote = Set.copyOf(now);
    noteShared();
    helloSent = true;
    return new OfferChange(added, nothingLeft);
  }

  /** Remembers the spaces shared now (whenever an offer changes). */
  private void noteShared() {
    for (SpaceId s : offeredByRemote) {
      if (offeredToRemote.contains(s) && everShared.size() < MAX_EVER_SHARED) {
        everShared.add(s);
      }
    }
  }

  synchronized boolean isShared(SpaceId s) {
    return offeredToRemote.contains(s) && offeredByRemote.contains(s);
  }

  synchronized boolean isOfferedToRemote(SpaceId s) {
    return offeredToRemote.contains(s);
  }

  synchronized boolean isOfferedByRemote(SpaceId s) {
    return offeredByRemote.contains(s);
  }

  /** Whether {@code s} was shared with the peer earlier in this session (and is not now). */
  synchronized boolean wasShared(SpaceId s) {
    return everShared.contains(s) && !isShared(s);
  }

  /** Whether the peer shares any space with this side now. */
  synchronized boolean sharesAny() {
    for (SpaceId s : offeredByRemote) {
      if (offeredToRemote.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** The spaces both sides offer now. */
  synchronized List<SpaceId> shared() {
    return offeredByRemote.stream().filter(offeredToRemote::contains).toList();
  }

  // ---------------------------------------------------------------- documents

  /** Queues a turn for {@code docId} (a sync message, if any, goes out). */
  synchronized void queue(String docId) {
    turns.add(new Turn(docId, false));
    wake.run();
  }

  synchronized void queueAll(List<DocumentRef> docs) {
    for (DocumentRef d : docs) {
      turns.add(new Turn(d.id(), false));
    }
    wake.run();
  }

  /**
   * The store changed {@code ref}: queue it if shared (a membership change ahead of everything),
   * re-check the offer if membership changed, serve a NEED that waited for it.
   */
  synchronized void changed(DocumentRef ref) {
    if (ended) {
      return;
    }
    if (ref.kind() == DocumentRef.Kind.MEMBERS) {
      recheckOffer = true;
      wake.run();
    }
    SyncFrame.Need w = wanted.remove(ref.id());
    if (w != null
        && w.space().equals(ref.space())
        && w.kind() == ref.kind()
        && offeredToRemote.contains(ref.space())) {
      serve(w);
    }
    if ((ref.kind() == DocumentRef.Kind.SPACE || ref.kind() == DocumentRef.Kind.MEMBERS)
        && offeredByRemote.contains(ref.space())) {
      // Maybe brought by another session: this one asks its peer for a share of the rest.
      changedSpaces.add(ref.space());
      wake.run();
    }
    if (offeredToRemote.contains(ref.space()) && offeredByRemote.contains(ref.space())) {
      if (ref.kind() == DocumentRef.Kind.MEMBERS) {
        // Ahead of everything queued: a ban or a removal reaches the peer before pages made after
        // it, so a member relaying both stops serving the banned peer before it holds them.
        turns.addFirst(new Turn(ref.id(), false));
      } else {
        turns.add(new Turn(ref.id(), false));
      }
      wake.run();
    }
  }

  /**
   * The peer synced {@code docId}: it has it, so this side may send sync messages about it; whether
   * this side held them back until now.
   */
  synchronized boolean heardOf(String docId) {
    return bootstrapped.remove(docId);
  }

  synchronized boolean isBootstrapped(String docId) {
    return bootstrapped.contains(docId);
  }

  // ---------------------------------------------------------------- NEEDs this side sends

  synchronized boolean isNeeded(String docId) {
    return ended || needed.containsKey(docId);
  }

  /** The NEED sent for {@code docId} and not answered yet, or null. */
  synchronized SyncFrame.Need needed(String docId) {
    return needed.get(docId);
  }

  /** Sends {@code n} unless the session ended or it was sent already; whether it was queued. */
  synchronized boolean need(SyncFrame.Need n) {
    if (ended || needed.containsKey(n.docId())) {
      return false;
    }
    needed.put(n.docId(), n);
    control.add(n);
    wake.run();
    return true;
  }

  /** {@code docId} arrived (or will not): a NEED may ask for it again. */
  synchronized void answered(String docId) {
    needed.remove(docId);
  }

  /** Forgets and returns every NEED not answered yet (a stalled peer). */
  synchronized List<SyncFrame.Need> takeNeeded() {
    List<SyncFrame.Need> pending = List.copyOf(needed.values());
    needed.clear();
    return pending;
  }

  // ---------------------------------------------------------------- NEEDs the peer sent

  /** The peer asked for {@code n}, not held here: served when it arrives (bounded). */
  synchronized void want(SyncFrame.Need n) {
    if (wanted.size() < MAX_WANTED) {
      wanted.put(n.docId(), n);
    }
  }

  /** Sends the document {@code n} asks for whole, as a snapshot, unless already doing so. */
  synchronized void serve(SyncFrame.Need n) {
    bootstrapped.add(n.docId());
    if (serving.add(n.docId())) {
      toServe.add(n);
      startSnapshots();
    }
  }

  /** Starts serving NEEDs up to the limit of snapshots at once. */
  private void startSnapshots() {
    while (sending.size() < maxSnapshots && !toServe.isEmpty()) {
      SyncFrame.Need n = toServe.poll();
      sending.put(n.docId(), new Outgoing(n));
      turns.add(new Turn(n.docId(), true));
    }
    wake.run();
  }

  synchronized Outgoing sending(String docId) {
    return sending.get(docId);
  }

  /** The next chunk of {@code docId}'s snapshot takes another turn. */
  synchronized void nextChunk(String docId) {
    turns.add(new Turn(docId, true));
  }

  /** The snapshot of {@code docId} will not be sent after all. */
  synchronized void notSent(String docId) {
    bootstrapped.remove(docId);
    doneSending(docId);
  }

  synchronized void doneSending(String docId) {
    sending.remove(docId);
    serving.remove(docId);
    startSnapshots();
  }

  // ---------------------------------------------------------------- the writer

  /**
   * What the writer does next: re-check the offer (when it may send HELLO: {@code helloDue}), a
   * control frame, a document's turn, or nothing.
   */
  /** Takes the shared spaces whose index or membership changed since the last call. */
  synchronized List<SpaceId> takeChangedSpaces() {
    if (changedSpaces.isEmpty()) {
      return List.of();
    }
    List<SpaceId> out = List.copyOf(changedSpaces);
    changedSpaces.clear();
    return out;
  }

  synchronized Work next(boolean helloDue) {
    if (ended) {
      return new Work.Ended();
    }
    if (recheckOffer && !closing) {
      if (!helloDue) {
        return new Work.HelloNotYet();
      }
      recheckOffer = false;
      return new Work.Recheck();
    }
    recheckOffer = false;
    SyncFrame frame = control.poll();
    if (frame != null) {
      return new Work.Control(frame);
    }
    if (!closing && !turns.isEmpty()) {
      Iterator<Turn> it = turns.iterator();
      Turn turn = it.next();
      it.remove();
      return new Work.Take(turn);
    }
    return new Work.Idle();
  }

  // ---------------------------------------------------------------- ending

  /** Queues BYE ahead of everything, after which nothing else is sent; false if ending already. */
  synchronized boolean bye(int code, String message) {
    if (closing || ended) {
      return false;
    }
    closing = true;
    control.clear();
    control.add(new SyncFrame.Bye(code, message));
    wake.run();
    return true;
  }

  /** Ends the session; whether this call ended it. */
  synchronized boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    wake.run();
    return true;
  }

  boolean isEnded() {
    return ended;
  }
}
