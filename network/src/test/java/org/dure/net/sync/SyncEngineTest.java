package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.doc.Ids;
import org.dure.store.format.SyncMessage;
import org.dure.store.sync.Attestation;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncEngine} frame by frame, without threads or sockets: a scripted peer's frames go in,
 * the frames the engine asks the writer to send and the store calls it makes are checked.
 */
class SyncEngineTest {
  /** An Automerge sync message that carries no changes (heads, need, haves, changes: none). */
  private static final byte[] NO_CHANGES = {0x42, 0, 0, 0, 0};

  private static final long T0 = 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private final Identity peerIdentity = Identity.ephemeral();
  private final PeerId peer = peerIdentity.peerId();
  private final SpaceId space = SpaceId.random();
  private final FakeStore store = new FakeStore();
  private final Set<SpaceId> offered = new LinkedHashSet<>();
  private final List<String> refusals = new ArrayList<>();
  private PeerQuota quota = new RecordingQuota();
  private SyncConfig config = SyncConfig.defaults();
  private TransferBudget budget = new TransferBudget(SyncConfig.MAX_BUFFERED_TOTAL);
  private int wakes;

  private final SyncAccessPolicy policy =
      new SyncAccessPolicy() {
        @Override
        public Set<SpaceId> spacesFor(PeerId p) {
          return offered;
        }

        @Override
        public boolean acceptsSpace(PeerId p, SpaceId s) {
          return false;
        }
      };

  private SyncEngine engine() {
    return new SyncEngine(
        peer,
        store,
        policy,
        config,
        budget,
        () -> quota,
        (d, r, done, total) -> {},
        () -> wakes++,
        new NeedLedger(),
        System::nanoTime);
  }

  /** Polls until the engine is idle; the frames it asked to send. */
  private static List<SyncFrame> drain(SyncEngine e, long now) {
    List<SyncFrame> out = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      SyncEngine.Output o = e.poll(now);
      switch (o) {
        case SyncEngine.Output.Frames f -> out.addAll(f.frames());
        case SyncEngine.Output.Goodbye g -> {
          out.add(g.bye());
          return out;
        }
        default -> {
          return out;
        }
      }
    }
    throw new AssertionError("the engine never ran out of frames");
  }

  /** A space held here and offered to the peer: its index, membership, moderation and pages. */
  private void holdSpace(String... pages) {
    store.hold(space.value(), DocumentRef.Kind.SPACE);
    store.hold(WikiStore.membershipDocId(space), DocumentRef.Kind.MEMBERS);
    store.hold(WikiStore.moderationDocId(space), DocumentRef.Kind.MODERATION);
    for (String p : pages) {
      store.hold(p, DocumentRef.Kind.PAGE);
    }
    offered.add(space);
  }

  /** Both sides HELLO with the space; returns what the engine sent after the peer's HELLO. */
  private List<SyncFrame> share(SyncEngine e) {
    assertEquals(List.of(new SyncFrame.Hello(1, List.of(space))), drain(e, T0));
    assertEquals(
        SyncEngine.Outcome.CONTINUE, e.receive(new SyncFrame.Hello(1, List.of(space)), T0));
    return drain(e, T0);
  }

  private static List<String> syncedDocs(List<SyncFrame> frames) {
    return frames.stream()
        .filter(f -> f instanceof SyncFrame.Sync)
        .map(f -> ((SyncFrame.Sync) f).docId())
        .toList();
  }

  @Test
  void aHelloSharingASpaceSyncsWhatIsHeldAndAsksForWhatIsNot() {
    String held = Ids.random();
    String missing = Ids.random();
    holdSpace(held);
    store.listed.put(space, new LinkedHashSet<>(List.of(held, missing)));
    store.allHaveMessages();
    SyncEngine e = engine();

    List<SyncFrame> sent = share(e);

    assertEquals(
        new SyncFrame.Need(missing, space, DocumentRef.Kind.PAGE),
        sent.get(0),
        "NEEDs go before document turns");
    assertEquals(
        List.of(
            space.value(),
            WikiStore.membershipDocId(space),
            WikiStore.moderationDocId(space),
            held),
        syncedDocs(sent));
    assertEquals(List.of(), drain(e, T0), "nothing more to send");
  }

  @Test
  void aSpaceNotOfferedToThePeerIsNeverSyncedWithIt() {
    holdSpace(Ids.random());
    offered.clear();
    store.allHaveMessages();
    SyncEngine e = engine();
    assertEquals(List.of(new SyncFrame.Hello(1, List.of())), drain(e, T0));

    // The peer names the space (it is not among this side's, nor accepted): nothing about it.
    assertEquals(
        SyncEngine.Outcome.CONTINUE, e.receive(new SyncFrame.Hello(1, List.of(space)), T0));
    assertEquals(List.of(), drain(e, T0));
    e.receive(new SyncFrame.Need(space.value(), space, DocumentRef.Kind.SPACE), T0);
    assertEquals(List.of(), drain(e, T0), "a NEED for it is not served");
  }

  @Test
  void aSyncPartAboutADocumentNeverOfferedResetsAtTheFirstFrameBufferingNothing() {
    SyncEngine e = engine();
    drain(e, T0);
    String doc = Ids.random();

    SyncEngine.Outcome o = e.receive(new SyncFrame.SyncPart(doc, 64L << 20, 0, new byte[1024]), T0);

    SyncEngine.Outcome.Reset reset = assertInstanceOf(SyncEngine.Outcome.Reset.class, o);
    assertTrue(reset.penalise(), "the peer is penalised");
    assertTrue(reset.reason().contains("not offered"), reset.reason());
    assertEquals(0, e.buffered());
    assertEquals(0, budget.reserved());
  }

  @Test
  void aSnapshotOfADocumentHeldInASpaceNotSharedResetsAtTheFirstFrame() {
    holdSpace();
    offered.clear(); // held here, never offered to this peer
    SyncEngine e = engine();
    drain(e, T0);
    SyncEngine.Outcome o =
        e.receive(
            new SyncFrame.Snapshot(
                space.value(), space, DocumentRef.Kind.SPACE, 1 << 20, 0, new byte[100]),
            T0);
    assertTrue(assertInstanceOf(SyncEngine.Outcome.Reset.class, o).penalise());
    assertEquals(0, budget.reserved());
  }

  @Test
  void aStalledTransferIsResetAtItsDeadlineAndItsNeedsAreHandedBack() {
    String missing = Ids.random();
    holdSpace();
    store.listed.put(space, Set.of(missing));
    config = config.withStallTimeout(Duration.ofSeconds(30));
    SyncEngine e = engine();
    share(e);
    int chunk = 1000;
    e.receive(
        new SyncFrame.Snapshot(
            missing, space, DocumentRef.Kind.PAGE, 3 * chunk, 0, new byte[chunk]),
        T0);
    assertEquals(3 * chunk, budget.reserved(), "the declared total is reserved");

    long waitingSince = T0 + SECOND;
    assertEquals(waitingSince + 30 * SECOND, e.stallDeadline(waitingSince));
    assertEquals(Long.MAX_VALUE, e.stallDeadline(0), "not waiting for the peer: no deadline");
    assertNull(e.checkStall(waitingSince + 30 * SECOND - 1, waitingSince));

    SyncEngine.Stall stall = e.checkStall(waitingSince + 30 * SECOND, waitingSince);

    assertNotNull(stall);
    assertTrue(stall.reason().contains("stalled"), stall.reason());
    assertEquals(
        List.of(new SyncFrame.Need(missing, space, DocumentRef.Kind.PAGE)), stall.pending());
    assertEquals(0, budget.reserved(), "the transfer's reservation is released");
    assertEquals(Long.MAX_VALUE, e.stallDeadline(waitingSince), "nothing left in progress");
  }

  @Test
  void aTransferOverThePeersCapIsRefusedWithoutPenaltyAndBuffersNothing() {
    String a = Ids.random();
    String b = Ids.random();
    holdSpace();
    store.listed.put(space, new LinkedHashSet<>(List.of(a, b)));
    long cap = SyncFrameCodec.MAX_CHUNK * 2L;
    config = config.withBuffered(cap, cap * 4);
    budget = new TransferBudget(cap * 4);
    SyncEngine e = engine();
    share(e);
    assertEquals(
        SyncEngine.Outcome.CONTINUE,
        e.receive(
            new SyncFrame.Snapshot(a, space, DocumentRef.Kind.PAGE, cap - 10, 0, new byte[10]),
            T0));

    SyncEngine.Outcome o =
        e.receive(new SyncFrame.Snapshot(b, space, DocumentRef.Kind.PAGE, 11, 0, new byte[1]), T0);

    SyncEngine.Outcome.Reset reset = assertInstanceOf(SyncEngine.Outcome.Reset.class, o);
    assertEquals(false, reset.penalise(), "overload is not the peer's fault");
    assertTrue(reset.reason().contains("exceed " + cap), reset.reason());
    assertEquals(cap - 10, budget.reserved(), "only the first transfer holds anything");
  }

  @Test
  void aTransferOverTheNodesCapIsRefusedWithoutPenalty() {
    String a = Ids.random();
    holdSpace();
    store.listed.put(space, Set.of(a));
    long total = SyncFrameCodec.MAX_CHUNK * 2L;
    config = config.withBuffered(total, total);
    budget = new TransferBudget(total);
    assertTrue(budget.reserve(total - 5)); // another session's transfers
    SyncEngine e = engine();
    share(e);

    SyncEngine.Outcome o =
        e.receive(new SyncFrame.Snapshot(a, space, DocumentRef.Kind.PAGE, 10, 0, new byte[1]), T0);

    SyncEngine.Outcome.Reset reset = assertInstanceOf(SyncEngine.Outcome.Reset.class, o);
    assertEquals(false, reset.penalise());
    assertTrue(reset.reason().contains("all transfers"), reset.reason());
    assertEquals(total - 5, budget.reserved());
  }

  @Test
  void aMembershipChangeJumpsTheQueue() {
    String p1 = Ids.random();
    String p2 = Ids.random();
    holdSpace(p1, p2);
    SyncEngine e = engine();
    share(e);
    String members = WikiStore.membershipDocId(space);
    store.allHaveMessages();

    e.changed(new DocumentRef(p1, DocumentRef.Kind.PAGE, space));
    e.changed(new DocumentRef(p2, DocumentRef.Kind.PAGE, space));
    e.changed(new DocumentRef(members, DocumentRef.Kind.MEMBERS, space));

    // The offer is re-checked first (its HELLO paced: not before the interval is over).
    assertInstanceOf(SyncEngine.Output.WaitUntil.class, e.poll(T0 + 1));
    List<SyncFrame> sent = drain(e, T0 + SECOND);
    assertEquals(List.of(members, p1, p2), syncedDocs(sent));
  }

  @Test
  void aHelloFloodResetsTheStream() {
    config = config.withHellos(3, Duration.ofSeconds(1), 64);
    SyncEngine e = engine();
    for (int i = 0; i < 3; i++) {
      assertEquals(SyncEngine.Outcome.CONTINUE, e.receive(new SyncFrame.Hello(1, List.of()), T0));
    }
    SyncEngine.Outcome o = e.receive(new SyncFrame.Hello(1, List.of()), T0);
    assertTrue(assertInstanceOf(SyncEngine.Outcome.Reset.class, o).penalise());
    assertEquals(
        SyncEngine.Outcome.CONTINUE,
        engine().receive(new SyncFrame.Hello(1, List.of()), T0 + 2 * SECOND),
        "a fresh session starts with a fresh burst");
  }

  @Test
  void aRefusedChangeIsBlamedOnItsSignerNotOnWhoRelayedIt() {
    String page = Ids.random();
    holdSpace(page);
    SyncEngine e = engine();
    share(e);

    // Another member's signed overstep, relayed: refused, reported, the relay not penalised.
    Identity other = Identity.ephemeral();
    store.refusal = new PeerDataException("writes an owner's field", Author.of(other));
    assertEquals(SyncEngine.Outcome.CONTINUE, e.receive(new SyncFrame.Sync(page, NO_CHANGES), T0));
    assertEquals(List.of("writes an owner's field"), refusals);

    // The same overstep signed by the sender itself: its own fault.
    store.refusal = new PeerDataException("writes an owner's field", Author.of(peerIdentity));
    SyncEngine.Outcome o = e.receive(new SyncFrame.Sync(page, NO_CHANGES), T0);
    SyncEngine.Outcome.Reset reset = assertInstanceOf(SyncEngine.Outcome.Reset.class, o);
    assertTrue(reset.penalise());
    assertTrue(reset.reason().contains("its own change"), reset.reason());
  }

  @Test
  void editsHeldBackWhileThePeerImportedASnapshotGoOutEvenIfItsFirstMessageIsRefused() {
    String page = Ids.random();
    holdSpace(page);
    SyncEngine e = engine();
    share(e);
    // The peer asks for the page whole; it is served as a snapshot.
    e.receive(new SyncFrame.Need(page, space, DocumentRef.Kind.PAGE), T0);
    assertTrue(drain(e, T0).stream().anyMatch(f -> f instanceof SyncFrame.Snapshot));
    // An edit here meanwhile: nothing about it until the peer has imported the page.
    store.outgoing.put(page, new byte[] {0x42, 0, 0, 0, 0, 7});
    e.changed(new DocumentRef(page, DocumentRef.Kind.PAGE, space));
    assertEquals(List.of(), syncedDocs(drain(e, T0)));

    // The peer's first message about the page carries its own edit, which the rules refuse.
    store.refusal = new PeerDataException("may not write it", false);
    assertEquals(SyncEngine.Outcome.CONTINUE, e.receive(new SyncFrame.Sync(page, NO_CHANGES), T0));

    assertEquals(List.of(page), syncedDocs(drain(e, T0)), "the edit held back goes out");
  }

  @Test
  void aThrottledMessageIsAppliedOnlyWhenResumed() {
    String page = Ids.random();
    holdSpace(page);
    quota =
        new RecordingQuota() {
          @Override
          public Verdict messageSize(PeerId p, long bytes) {
            return Verdict.throttle(Duration.ofSeconds(2), "too fast");
          }
        };
    SyncEngine e = engine();
    share(e);

    SyncEngine.Outcome o = e.receive(new SyncFrame.Sync(page, NO_CHANGES), T0);

    SyncEngine.Outcome.Pause pause = assertInstanceOf(SyncEngine.Outcome.Pause.class, o);
    assertEquals(Duration.ofSeconds(2), pause.delay());
    assertEquals(List.of(), store.received, "nothing applied during the pause");
    assertEquals(SyncEngine.Outcome.CONTINUE, e.resume(pause));
    assertEquals(List.of(page), store.received);
  }

  @Test
  void goodbyeGoesBeforeEverythingQueuedAndNothingFollowsIt() {
    holdSpace(Ids.random());
    SyncEngine e = engine();
    share(e);
    store.allHaveMessages();
    for (DocumentRef d : store.docs.values()) {
      e.changed(d);
    }
    e.bye(SyncService.BYE_SHUTDOWN, "shutting down");
    assertEquals(
        new SyncEngine.Output.Goodbye(new SyncFrame.Bye(SyncService.BYE_SHUTDOWN, "shutting down")),
        e.poll(T0 + SECOND));
    assertInstanceOf(SyncEngine.Output.Idle.class, e.poll(T0 + SECOND));
    assertTrue(e.end());
    assertInstanceOf(SyncEngine.Output.Ended.class, e.poll(T0 + SECOND));
    assertTrue(wakes > 0, "the shell was woken to write");
  }

  @Test
  void aSyncMessageWithChangesIsReadOnceForItsQuota() {
    String page = Ids.random();
    holdSpace(page);
    List<org.dure.store.format.SyncMessageStats> asked = new ArrayList<>();
    quota =
        new RecordingQuota() {
          @Override
          public Verdict changes(
              PeerId p, SpaceId s, org.dure.store.format.SyncMessageStats stats) {
            asked.add(stats);
            return Verdict.decline("full");
          }
        };
    SyncEngine e = engine();
    share(e);
    // One change entry whose chunk is not Automerge: the stats cannot be read, a peer fault.
    byte[] bad = {0x42, 0, 0, 0, 1, 3, 1, 2, 3};
    assertTrue(SyncMessage.of(bad).carriesChanges());
    SyncEngine.Outcome o = e.receive(new SyncFrame.Sync(page, bad), T0);
    assertTrue(assertInstanceOf(SyncEngine.Outcome.Reset.class, o).penalise());
    assertEquals(List.of(), asked, "the quota is not asked about what cannot be read");
    assertEquals(List.of(), store.received);
  }

  /** Records what the engine reports as refused. */
  private class RecordingQuota implements PeerQuota {
    @Override
    public void changesRefused(PeerId p, SpaceId s, String reason) {
      refusals.add(reason);
    }
  }

  /** A store of document refs: what the engine asks, answered from maps; messages scripted. */
  private static final class FakeStore implements SyncStore {
    final Map<String, DocumentRef> docs = new LinkedHashMap<>();
    final Map<SpaceId, Set<String>> listed = new HashMap<>();
    final Map<String, byte[]> outgoing = new HashMap<>();
    final List<String> received = new ArrayList<>();
    PeerDataException refusal;
    private SpaceId space;

    void hold(String id, DocumentRef.Kind kind) {
      if (kind == DocumentRef.Kind.SPACE) {
        space = new SpaceId(id);
      }
      docs.put(id, new DocumentRef(id, kind, space));
    }

    /** Every document held has one sync message to send, with a distinct head. */
    void allHaveMessages() {
      int i = 0;
      for (String id : docs.keySet()) {
        outgoing.put(id, new byte[] {0x42, 0, 0, 0, 0, (byte) i++});
      }
    }

    @Override
    public Optional<DocumentRef> document(String docId) {
      return Optional.ofNullable(docs.get(docId));
    }

    @Override
    public List<DocumentRef> documents(SpaceId s) {
      return docs.values().stream().filter(d -> d.space().equals(s)).toList();
    }

    @Override
    public Set<String> listedPages(SpaceId s) {
      return listed.getOrDefault(s, Set.of());
    }

    @Override
    public Optional<DocumentRef.Kind> derivedDocument(SpaceId s, String docId) {
      return Optional.empty();
    }

    @Override
    public Optional<StoreSync.AttestedMessage> generateMessage(String docId) {
      return Optional.ofNullable(outgoing.remove(docId))
          .map(m -> new StoreSync.AttestedMessage(m, List.of()));
    }

    @Override
    public StoreSync.Received receiveMessage(
        DocumentRef ref, SyncMessage message, Collection<Attestation> attestations)
        throws PeerDataException {
      if (refusal != null) {
        throw refusal;
      }
      received.add(ref.id());
      return new StoreSync.Received(false, Set.of());
    }

    @Override
    public void importSnapshot(
        DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations) {
      docs.put(ref.id(), ref);
    }

    @Override
    public boolean mergeSnapshot(
        DocumentRef ref, byte[] snapshot, Collection<Attestation> attestations) {
      return false;
    }

    @Override
    public StoreSync.AttestedSnapshot attestedSnapshot(String docId) {
      return new StoreSync.AttestedSnapshot(new byte[] {1, 2, 3}, List.of());
    }
  }
}
