package org.dure.net.sync;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.format.SyncMessage;
import org.dure.store.sync.Attestation;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's side of a {@link SyncEngine}: what to send next ({@link #poll}): HELLO when the
 * offer changed (paced), control frames, then one turn per document: its next sync message (after
 * the attestations covering its changes), or the next chunk of its snapshot. No I/O: it returns the
 * frames; used by the session's writer only.
 */
final class SyncSender {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSender.class);

  /** Change-free sync messages up to this size are remembered, not to send one twice. */
  private static final int REMEMBER_SYNC = 512;

  private final PeerId remote;
  private final String peer;
  private final SyncStore store;
  private final SyncAccessPolicy policy;
  private final SessionState state;
  private final DocumentRequests requests;
  private final long helloInterval;
  private final int maxSyncMessage;
  private final int chunkSize;
  private final SyncEngine.Progress progress;

  // The last small (change-free) SYNC sent per document in this session.
  private final Map<String, byte[]> lastSent = new HashMap<>();

  // The attestations sent to the peer: per document and actor, the seq.
  private final Map<String, Map<ByteBuffer, Long>> sentAtts = new HashMap<>();

  // Whether a HELLO was sent, and when the last one was (nanoTime).
  private boolean helloSent;
  private long lastHello;

  SyncSender(
      PeerId remote,
      SyncStore store,
      SyncAccessPolicy policy,
      SessionState state,
      DocumentRequests requests,
      SyncConfig config,
      SyncEngine.Progress progress) {
    this.remote = remote;
    this.peer = remote.toString();
    this.store = store;
    this.policy = policy;
    this.state = state;
    this.requests = requests;
    this.helloInterval = config.helloInterval().toNanos();
    this.maxSyncMessage = config.maxSyncMessage();
    this.chunkSize = config.snapshotChunk();
    this.progress = progress;
  }

  /** What the writer does next, at {@code now} (nanoTime). */
  SyncEngine.Output poll(long now) {
    for (SpaceId s : state.takeChangedSpaces()) {
      requests.requestMissing(s);
      requests.retryUnknown();
    }
    long helloAt = lastHello + helloInterval;
    SessionState.Work work = state.next(!helloSent || now - helloAt >= 0);
    return switch (work) {
      case SessionState.Work.Ended e -> new SyncEngine.Output.Ended();
      case SessionState.Work.Idle i -> new SyncEngine.Output.Idle();
      case SessionState.Work.HelloNotYet h -> new SyncEngine.Output.WaitUntil(helloAt);
      case SessionState.Work.Recheck r -> hello(now);
      case SessionState.Work.Control c ->
          c.frame() instanceof SyncFrame.Bye bye
              ? new SyncEngine.Output.Goodbye(bye)
              : new SyncEngine.Output.Frames(List.of(c.frame()));
      case SessionState.Work.Take t -> new SyncEngine.Output.Frames(take(t.turn()));
    };
  }

  /**
   * Spec, step 1 (and again whenever the set of spaces offered to the peer changes), at most one
   * per {@link SyncConfig#helloInterval} after the first (spec, "HELLO floods": the peer takes one
   * per interval after a burst; an honest side sends them no faster, so that joining many spaces at
   * once never looks like a flood). Offers changed meanwhile go in one HELLO.
   */
  private SyncEngine.Output hello(long now) {
    Set<SpaceId> offer = new LinkedHashSet<>();
    for (SpaceId s : policy.spacesFor(remote)) {
      if (offer.size() == SyncFrameCodec.MAX_HELLO_SPACES) {
        LOG.warn("More than {} spaces shared with {}", offer.size(), peer);
        break;
      }
      offer.add(s);
    }
    SessionState.OfferChange change = state.offerToRemote(offer);
    if (change == null) {
      return new SyncEngine.Output.Frames(List.of());
    }
    helloSent = true;
    lastHello = now;
    SyncFrame hello = new SyncFrame.Hello(SyncFrameCodec.VERSION, List.copyOf(offer));
    if (change.nothingLeft()) {
      // Spec, step 7: the peer was removed from (or banned in) the last space shared with it.
      state.bye(SyncService.BYE_NOTHING_SHARED, "no space is shared with you any more");
    } else {
      for (SpaceId s : change.nowShared()) {
        requests.startSharing(s);
      }
    }
    return new SyncEngine.Output.Frames(List.of(hello));
  }

  /** The frames of {@code turn} (none if there is nothing to send). */
  private List<SyncFrame> take(SessionState.Turn turn) {
    List<SyncFrame> out = new ArrayList<>();
    if (turn.snapshot()) {
      chunk(turn.docId(), out);
    } else {
      message(turn.docId(), out);
    }
    return out;
  }

  private void message(String docId, List<SyncFrame> out) {
    if (state.isBootstrapped(docId)) {
      return; // spec, step 4: the peer starts the sync of a document sent as a snapshot
    }
    Optional<DocumentRef> ref = store.document(docId);
    if (ref.isEmpty() || !state.isShared(ref.get().space())) {
      return;
    }
    Optional<StoreSync.AttestedMessage> generated;
    try {
      generated = store.generateMessage(docId);
    } catch (NoSuchElementException e) {
      return;
    }
    if (generated.isEmpty()) {
      return;
    }
    byte[] last = lastSent.get(docId);
    if (last != null && Arrays.equals(last, generated.get().message())) {
      // Spec, step 3: the peer has this message already. A sync state the store reloaded from
      // disk (its document was evicted from the cache) forgets what it sent and yields the same
      // message again; with more documents than the cache holds, two peers ping-ponged these
      // forever.
      return;
    }
    SyncMessage msg = SyncMessage.of(generated.get().message());
    if (msg.length() <= REMEMBER_SYNC && !msg.carriesChanges()) {
      lastSent.put(docId, msg.bytes());
    } else {
      lastSent.remove(docId);
    }
    if (msg.length() > maxSyncMessage) {
      // Spec, step 3: sent whole instead, for the peer to merge; it then syncs on from there.
      LOG.info(
          "The sync message for {} to {} is {} bytes, more than the protocol carries: sending the"
              + " document whole",
          docId,
          peer,
          msg.length());
      state.serve(new SyncFrame.Need(docId, ref.get().space(), ref.get().kind()));
      return;
    }
    if (msg.carriesChanges()) {
      attestations(docId, generated.get().attestations(), out);
    }
    out.addAll(SyncFrameCodec.syncFrames(docId, msg.bytes()));
  }

  private void chunk(String docId, List<SyncFrame> out) {
    SessionState.Outgoing o = state.sending(docId);
    if (o == null) {
      return;
    }
    if (!state.isOfferedToRemote(o.need.space())) {
      state.notSent(docId); // no longer offered (our HELLO said so first)
      return;
    }
    if (o.bytes == null) {
      StoreSync.AttestedSnapshot snap = snapshotOrNull(docId);
      if (snap == null
          || snap.snapshot().length == 0
          || snap.snapshot().length > SyncFrameCodec.MAX_SNAPSHOT) {
        state.notSent(docId);
        return;
      }
      o.bytes = snap.snapshot();
      sentAtts.remove(docId); // the peer gets the whole history: all its attestations
      attestations(docId, snap.attestations(), out);
    }
    int n = Math.min(chunkSize, o.bytes.length - o.offset);
    byte[] chunk = Arrays.copyOfRange(o.bytes, o.offset, o.offset + n);
    out.add(
        new SyncFrame.Snapshot(
            docId, o.need.space(), o.need.kind(), o.bytes.length, o.offset, chunk));
    o.offset += n;
    progress.snapshot(docId, false, o.offset, o.bytes.length);
    if (o.offset < o.bytes.length) {
      state.nextChunk(docId);
    } else {
      state.doneSending(docId);
    }
  }

  private StoreSync.AttestedSnapshot snapshotOrNull(String docId) {
    try {
      return store.attestedSnapshot(docId);
    } catch (RuntimeException e) {
      LOG.warn("No snapshot of {} for {}", docId, peer, e);
      return null;
    }
  }

  /** Adds those of {@code atts} this session has not sent yet. */
  private void attestations(String docId, List<Attestation> atts, List<SyncFrame> out) {
    Map<ByteBuffer, Long> sent = sentAtts.computeIfAbsent(docId, k -> new HashMap<>());
    List<Attestation> fresh = new ArrayList<>();
    for (Attestation a : atts) {
      ByteBuffer actor = ByteBuffer.wrap(a.actor());
      Long had = sent.get(actor);
      if (had == null || had < a.seq()) {
        fresh.add(a);
        sent.put(actor, a.seq());
      }
    }
    for (int i = 0; i < fresh.size(); i += SyncFrameCodec.MAX_ATTESTATIONS) {
      out.add(
          new SyncFrame.Attest(
              docId,
              fresh.subList(i, Math.min(fresh.size(), i + SyncFrameCodec.MAX_ATTESTATIONS))));
    }
  }
}
