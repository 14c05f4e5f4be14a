package org.dure.store.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.StoreInternals;
import org.dure.store.TwoStores;
import org.dure.store.doc.Author;
import org.dure.store.doc.ClaimedAuthors;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.FieldPath;
import org.dure.store.format.FieldWrite;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.Version;
import org.junit.jupiter.api.Test;

/** Signed authorship: attestations, the coverage check, and forged changes between stores. */
class AttestationsTest {

  private final Identity alice = Identity.ephemeral();
  private final Identity mallory = Identity.ephemeral();
  private static final String DOC = "abcdefghijklmnopqrstuvwxyz";

  // ---------------------------------------------------------------- the statement

  @Test
  void aSignedStatementVerifiesAndAnyChangedFieldBreaksIt() {
    byte[] actor = ClaimedAuthors.actorId(alice.publicKey().data());
    byte[] hash = sha("change");
    Attestation a = Attestation.sign(alice, DOC, actor, 7, hash, 1_000L, "fix typo");
    assertTrue(a.isValid());
    assertEquals(Author.of(alice), a.author());
    byte[] otherHash = sha("other");
    assertFalse(new Attestation(DOC, actor, 8, hash, 1_000L, "fix typo", a.signature()).isValid());
    assertFalse(
        new Attestation(DOC, actor, 7, otherHash, 1_000L, "fix typo", a.signature()).isValid());
    assertFalse(new Attestation(DOC, actor, 7, hash, 1_001L, "fix typo", a.signature()).isValid());
    assertFalse(new Attestation(DOC, actor, 7, hash, 1_000L, "fix typos", a.signature()).isValid());
    String otherDoc = "bbcdefghijklmnopqrstuvwxyz";
    assertFalse(
        new Attestation(otherDoc, actor, 7, hash, 1_000L, "fix typo", a.signature()).isValid());
  }

  @Test
  void nobodySignsForAnotherKeysActor() {
    byte[] alicesActor = ClaimedAuthors.actorId(alice.publicKey().data());
    assertThrows(
        IllegalArgumentException.class,
        () -> Attestation.sign(mallory, DOC, alicesActor, 1, sha("x"), 0, ""));
    // Mallory's signature in an attestation naming Alice's actor does not verify.
    byte[] sig = mallory.sign(Attestation.signedBytes(DOC, alicesActor, 1, sha("x"), 0, ""));
    assertFalse(new Attestation(DOC, alicesActor, 1, sha("x"), 0, "", sig).isValid());
  }

  // ---------------------------------------------------------------- the coverage check

  /** A chain of changes c1 <- c2 <- c3 by one actor. */
  private record Chain(byte[] actor, List<ChangeHeader> changes, Attestation head) {}

  private Chain chain(Identity who, int n) {
    byte[] actor = ClaimedAuthors.actorId(who.publicKey().data());
    List<ChangeHeader> out = new ArrayList<>();
    byte[] prev = null;
    for (int i = 1; i <= n; i++) {
      byte[] h = sha(new String(actor, java.nio.charset.StandardCharsets.ISO_8859_1) + i);
      out.add(header(actor, i, h, prev));
      prev = h;
    }
    return new Chain(actor, out, Attestation.sign(who, DOC, actor, n, prev, 5, ""));
  }

  private static ChangeHeader header(byte[] actor, long seq, byte[] hash, byte[] dep) {
    List<byte[]> deps = dep == null ? List.of() : List.of(dep);
    return new ChangeHeader(actor, seq, hash, deps, new byte[0], 0, 0);
  }

  @Test
  void changesReachableFromTheAttestedOneAreCovered() throws PeerDataException {
    Chain c = chain(alice, 3);
    Attestations.Coverage cover =
        cover(
            DOC, c.changes(), Map.of(), Map.of(), h -> false, List.of(c.head()), AuthorPolicy.ANY);
    assertEquals(3, cover.covered().size());
    assertTrue(cover.withheld().isEmpty());
    assertEquals(java.util.Set.of(Author.of(alice)), cover.authors());
  }

  /** {@link Attestations#cover} for changes whose checks read no view of the document. */
  private static Attestations.Coverage cover(
      String docId,
      List<ChangeHeader> arriving,
      Map<ByteBuffer, ChangeHeader> withheld,
      Map<ByteBuffer, ChangeHeader> queued,
      java.util.function.Predicate<byte[]> applied,
      java.util.Collection<Attestation> offered,
      AuthorPolicy policy)
      throws PeerDataException {
    return Attestations.cover(
        docId, arriving, withheld, queued, applied, offered, policy, c -> DocumentView.UNAVAILABLE);
  }

  /** {@code h} as validated through a context that records writes: it makes {@code writes}. */
  private static ChangeHeader writing(ChangeHeader h, FieldWrite... writes) {
    return new ChangeHeader(
        h.actor(),
        h.seq(),
        h.hash(),
        h.deps(),
        h.input(),
        h.chunkStart(),
        h.chunkEnd(),
        java.util.Set.of(writes));
  }

  /** Guards {@code hidden}: only {@code who} writes there (or at an unknown place). */
  private static AuthorPolicy hiddenOnlyBy(Identity who) {
    return new AuthorPolicy() {
      @Override
      public boolean mayAuthor(Author author, long attestedTime) {
        return true;
      }

      @Override
      public java.util.Set<String> guardedKeys() {
        return java.util.Set.of("hidden");
      }

      @Override
      public Refusal checkWrite(
          Author author, long attestedTime, FieldWrite write, DocumentView asSeen) {
        return author.equals(Author.of(who)) ? null : Refusal.knowingly("only " + who + " hides");
      }
    };
  }

  @Test
  void aChangeWritingWhereItsAuthorMayNotIsRefusedWithoutPenalty() throws PeerDataException {
    Chain c = chain(alice, 2);
    FieldWrite hide = new FieldWrite(new FieldPath("hidden", "p", null), FieldWrite.Op.MAKE, null);
    List<ChangeHeader> arriving =
        List.of(writing(c.changes().get(0)), writing(c.changes().get(1), hide));
    PeerDataException e =
        assertThrows(
            PeerDataException.class,
            () ->
                cover(
                    DOC,
                    arriving,
                    Map.of(),
                    Map.of(),
                    h -> false,
                    List.of(c.head()),
                    hiddenOnlyBy(mallory)));
    assertFalse(e.penalised());
    assertTrue(e.getMessage().contains("makes hidden/p"), e.getMessage());
    assertEquals(
        Author.of(alice), e.culprit(), "the author could tell: it is to blame, not a relayer");
    // The author the policy allows: covered.
    assertEquals(
        2,
        cover(DOC, arriving, Map.of(), Map.of(), h -> false, List.of(c.head()), hiddenOnlyBy(alice))
            .covered()
            .size());
    // Without guarded keys nothing is asked.
    assertEquals(
        2,
        cover(DOC, arriving, Map.of(), Map.of(), h -> false, List.of(c.head()), AuthorPolicy.ANY)
            .covered()
            .size());
  }

  @Test
  void aChangeWhoseWritesWereNotRecordedCountsAsWritingAnUnknownPlace() {
    Chain c = chain(alice, 1);
    // Validated without recording (writes null), checked under a policy that guards keys.
    assertThrows(
        PeerDataException.class,
        () ->
            cover(
                DOC,
                c.changes(),
                Map.of(),
                Map.of(),
                h -> false,
                List.of(c.head()),
                hiddenOnlyBy(mallory)));
  }

  @Test
  void aWithheldChangeWritingWhereItsAuthorMayNotIsDropped() throws PeerDataException {
    Chain c = chain(alice, 2);
    ChangeHeader bad = writing(c.changes().get(1), FieldWrite.inside(FieldPath.of("hidden")));
    // c2 was withheld earlier; now c1 arrives and the walk reaches both.
    Attestations.Coverage cover =
        cover(
            DOC,
            List.of(writing(c.changes().get(0))),
            Map.of(ByteBuffer.wrap(bad.hash()), bad),
            Map.of(),
            h -> false,
            List.of(c.head()),
            hiddenOnlyBy(mallory));
    assertEquals(
        List.of(c.changes().get(0).hash()),
        cover.covered().stream().map(ChangeHeader::hash).toList());
    assertTrue(cover.withheld().isEmpty());
  }

  @Test
  void aChangeMadeUpUnderTheAuthorsActorIsRefusedAsForged() {
    Chain c = chain(alice, 3);
    // Mallory's change claims Alice's actor and seq 2, but it is not in the history Alice signed.
    ChangeHeader forged = header(c.actor(), 2, sha("forged"), c.changes().get(0).hash());
    List<ChangeHeader> arriving = List.of(c.changes().get(0), forged, c.changes().get(2));
    // (c3 depends on the real c2, which the document has: the walk is complete.)
    byte[] realC2 = c.changes().get(1).hash();
    PeerDataException e =
        assertThrows(
            PeerDataException.class,
            () ->
                cover(
                    DOC,
                    arriving,
                    Map.of(),
                    Map.of(),
                    h -> java.util.Arrays.equals(h, realC2),
                    List.of(c.head()),
                    AuthorPolicy.ANY));
    assertTrue(e.getMessage().contains("Forged change"), e.getMessage());
    assertTrue(e.penalised());
  }

  @Test
  void changesWithoutAttestationOrWithAForgedOneAreRefused() {
    Chain c = chain(alice, 2);
    PeerDataException none =
        assertThrows(
            PeerDataException.class,
            () ->
                cover(
                    DOC, c.changes(), Map.of(), Map.of(), h -> false, List.of(), AuthorPolicy.ANY));
    assertTrue(none.getMessage().contains("without a signed attestation"), none.getMessage());
    Attestation h = c.head();
    Attestation bad =
        new Attestation(DOC, h.actor(), h.seq(), h.hash(), h.time(), "", new byte[64]);
    PeerDataException forged =
        assertThrows(
            PeerDataException.class,
            () ->
                cover(
                    DOC,
                    c.changes(),
                    Map.of(),
                    Map.of(),
                    x -> false,
                    List.of(bad),
                    AuthorPolicy.ANY));
    assertTrue(forged.getMessage().contains("Forged attestation"), forged.getMessage());
    // A change newer than what its author signed.
    ChangeHeader third = header(c.actor(), 3, sha("third"), h.hash());
    List<ChangeHeader> more = new ArrayList<>(c.changes());
    more.add(third);
    assertThrows(
        PeerDataException.class,
        () -> cover(DOC, more, Map.of(), Map.of(), x -> false, List.of(h), AuthorPolicy.ANY));
  }

  @Test
  void anAuthorWhoMayNotWriteIsRefusedWithoutPenalisingTheSender() {
    Chain c = chain(alice, 1);
    PeerDataException e =
        assertThrows(
            PeerDataException.class,
            () ->
                cover(
                    DOC,
                    c.changes(),
                    Map.of(),
                    Map.of(),
                    h -> false,
                    List.of(c.head()),
                    (author, time) -> false));
    assertFalse(e.penalised(), "another member's view of the roles may differ: no penalty");
  }

  @Test
  void changesCutOffFromTheAttestedOneByAMissingChangeWaitUntilItArrives()
      throws PeerDataException {
    Chain c = chain(alice, 3);
    ChangeHeader c1 = c.changes().get(0);
    ChangeHeader c2 = c.changes().get(1);
    ChangeHeader c3 = c.changes().get(2);
    // c2 left out (as after a Bloom filter false positive): c1 cannot be shown to be Alice's yet.
    Attestations.Coverage first =
        cover(
            DOC,
            List.of(c1, c3),
            Map.of(),
            Map.of(),
            h -> false,
            List.of(c.head()),
            AuthorPolicy.ANY);
    assertEquals(List.of(c3), first.covered());
    assertEquals(List.of(c1), first.withheld());
    // c2 arrives: c3 is queued in Automerge, c1 withheld here; both are now reachable.
    Attestations.Coverage second =
        cover(
            DOC,
            List.of(c2),
            Map.of(ByteBuffer.wrap(c1.hash()), c1),
            Map.of(ByteBuffer.wrap(c3.hash()), c3),
            h -> false,
            List.of(c.head()),
            AuthorPolicy.ANY);
    assertEquals(2, second.covered().size());
    assertTrue(second.covered().contains(c1) && second.covered().contains(c2));
    assertTrue(second.withheld().isEmpty());
  }

  // ---------------------------------------------------------------- between stores

  @Test
  void syncedVersionsShowTheirVerifiedAuthor() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Verified");
      PageSummary p = s.a.createPage(space.id(), "Notes", "hello", Optional.empty());
      s.a.splice(p.id(), 5, 0, " world");
      s.sync(space.id());
      assertEquals("hello world", s.b.page(p.id()).body());
      Version top = s.b.history(p.id(), 0, 1).get(0);
      assertEquals(Optional.of(Author.of(s.a.identity())), top.author());
      assertTrue(top.verified());
      // A's own attestation is held by B, ready to be relayed to a third member.
      List<Attestation> held = s.b.attestations().forDocument(p.id().value());
      assertTrue(held.stream().anyMatch(a -> a.author().equals(Author.of(s.a.identity()))));
      assertTrue(held.stream().allMatch(Attestation::isValid));
    }
  }

  @Test
  void aChangeForgedInAnotherMembersNameIsRefusedAndNothingIsApplied() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Forgery");
      PageSummary p = s.a.createPage(space.id(), "Notes", "hello", Optional.empty());
      s.sync(space.id());
      String docId = p.id().value();
      // Mallory takes B's copy and writes under A's key with an actor id of her own making.
      byte[] forgedActor = ClaimedAuthors.actorId(s.a.identity().publicKey().data());
      Document loaded = Document.load(s.b.sync().snapshot(docId));
      Document forged = loaded.fork(forgedActor);
      loaded.free();
      ObjectId body =
          ((org.automerge.AmValue.Text) forged.get(ObjectId.ROOT, "body").get()).getId();
      try (Transaction tx = forged.startTransaction()) {
        tx.spliceText(body, 0, 0, "EVIL ");
        tx.commit();
      }
      PeerId mal = mallory.peerId();
      SyncState st = new SyncState();
      List<Attestation> offered = new ArrayList<>(s.a.sync().attestations(docId));
      // Her own signature over the forged change, claiming A's actor: does not verify as A's.
      ChangeHash head = forged.getHeads()[0];
      long seq = 1;
      byte[] sig =
          mallory.sign(Attestation.signedBytes(docId, forgedActor, seq, head.getBytes(), 0, ""));
      offered.add(new Attestation(docId, forgedActor, seq, head.getBytes(), 0, "", sig));
      boolean refused = false;
      for (int round = 0; round < 10 && !refused; round++) {
        Optional<byte[]> msg = forged.generateSyncMessage(st);
        if (msg.isEmpty()) {
          break;
        }
        try {
          s.b.sync().receiveMessage(mal, docId, msg.get(), offered, AuthorPolicy.ANY);
        } catch (PeerDataException e) {
          assertTrue(e.getMessage().contains("Forged"), e.getMessage());
          assertTrue(e.penalised());
          refused = true;
          break;
        }
        s.b.sync().generateMessage(mal, docId).ifPresent(r -> forged.receiveSyncMessage(st, r));
      }
      assertTrue(refused, "the forged change must be refused");
      assertEquals("hello", s.b.page(p.id()).body());
      forged.free();
      st.free();
      // B still syncs honest edits from A afterwards.
      s.a.splice(p.id(), 5, 0, "!");
      s.sync(space.id());
      assertEquals("hello!", s.b.page(p.id()).body());
    }
  }

  @Test
  void aSyncMessageCarryingAWholeDocumentIsRefused() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Whole");
      PageSummary p = s.a.createPage(space.id(), "Notes", "hello", Optional.empty());
      s.sync(space.id());
      String docId = p.id().value();
      // What Automerge sends a peer that says it has nothing: the document, not its changes.
      Document mine = Document.load(s.a.sync().snapshot(docId));
      Document empty = new Document();
      SyncState theirs = new SyncState();
      SyncState ours = new SyncState();
      mine.receiveSyncMessage(ours, empty.generateSyncMessage(theirs).orElseThrow());
      byte[] whole = mine.generateSyncMessage(ours).orElseThrow();
      for (var x : List.of(mine, empty)) {
        x.free();
      }
      theirs.free();
      ours.free();
      PeerDataException e =
          assertThrows(
              PeerDataException.class,
              () ->
                  s.b
                      .sync()
                      .receiveMessage(
                          mallory.peerId(),
                          docId,
                          whole,
                          s.a.sync().attestations(docId),
                          AuthorPolicy.ANY));
      assertTrue(e.getMessage().contains("whole document"), e.getMessage());
      assertEquals("hello", s.b.page(p.id()).body());
    }
  }

  @Test
  void aSnapshotWithAnUnattestedActorIsRefused() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Snap");
      PageSummary p = s.a.createPage(space.id(), "Notes", "hello", Optional.empty());
      String docId = p.id().value();
      DocumentRef ref = new DocumentRef(docId, DocumentRef.Kind.PAGE, space.id());
      byte[] snap = s.a.sync().snapshot(docId);
      PeerDataException e =
          assertThrows(
              PeerDataException.class,
              () ->
                  s.b
                      .sync()
                      .importSnapshot(
                          s.a.identity().peerId(), ref, snap, List.of(), AuthorPolicy.ANY));
      assertTrue(e.getMessage().contains("attestation"), e.getMessage());
      assertFalse(StoreInternals.documents(s.b).exists(docId));
      s.b
          .sync()
          .importSnapshot(
              s.a.identity().peerId(), ref, snap, s.a.sync().attestations(docId), AuthorPolicy.ANY);
      assertEquals("hello", s.b.page(p.id()).body());
      assertTrue(s.b.history(p.id(), 0, 1).get(0).verified());
    }
  }

  /**
   * A snapshot sent to bootstrap a peer goes with the attestations covering exactly its history,
   * even while the owner keeps editing: taken apart, an edit between them left the snapshot without
   * the change the newest attestation names, and the peer refused it as incomplete (seen as the
   * flaky {@code HolePunchSyncTest} in network: the sync session ended on the "bad snapshot").
   */
  @Test
  void aSnapshotWithItsAttestationsIsCompleteWhileTheOwnerEdits() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Busy");
      PageSummary p = s.a.createPage(space.id(), "Notes", "0", Optional.empty());
      String docId = p.id().value();
      DocumentRef ref = new DocumentRef(docId, DocumentRef.Kind.PAGE, space.id());
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread editor =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 1; !stop.get(); i++) {
                      s.a.replaceText(p.id(), Integer.toString(i), Optional.empty());
                    }
                  });
      try {
        for (int i = 0; i < 60; i++) {
          StoreSync.AttestedSnapshot snap = s.a.sync().attestedSnapshot(docId);
          PeerId peer = s.a.identity().peerId();
          if (i == 0) {
            s.b
                .sync()
                .importSnapshot(peer, ref, snap.snapshot(), snap.attestations(), AuthorPolicy.ANY);
          } else {
            s.b
                .sync()
                .mergeSnapshot(peer, ref, snap.snapshot(), snap.attestations(), AuthorPolicy.ANY);
          }
        }
      } finally {
        stop.set(true);
        editor.join();
      }
      assertTrue(s.b.history(p.id(), 0, 1).get(0).verified());
    }
  }

  @Test
  void ownAttestationsCarryTheVersionsMessage() throws Exception {
    try (TwoStores s = new TwoStores()) {
      Space space = s.shared("Msg");
      PageSummary p = s.a.createPage(space.id(), "Notes", "hello", Optional.empty());
      s.a.replaceText(p.id(), "hello there", Optional.of("greeting"));
      List<Attestation> atts = s.a.sync().attestations(p.id().value());
      assertEquals(1, atts.size());
      Attestation a = atts.get(0);
      assertEquals("greeting", a.message());
      assertTrue(a.isValid());
      List<String> heads = s.a.history(p.id(), 0, 1).get(0).heads();
      assertEquals(List.of(java.util.HexFormat.of().formatHex(a.hash())), heads);
    }
  }

  private static byte[] sha(String s) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
