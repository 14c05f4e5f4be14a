package org.dure.moderation;

import static org.dure.moderation.TestNodes.await;
import static org.dure.moderation.TestNodes.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.automerge.Document;
import org.automerge.SyncState;
import org.dure.identity.PeerId;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.sync.SyncFrame;
import org.dure.net.sync.SyncFrameCodec;
import org.dure.net.sync.SyncService;
import org.dure.store.WikiStore;
import org.dure.store.moderation.Invites;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moderation rules between real nodes, including adversarial peers: a malicious node runs a
 * policy that ignores every rule ({@link ModNode.AnythingGoes}) and edits its store past the
 * moderator's checks; a scripted peer speaks raw sync frames over the network API. The victim
 * accepts none of the bad data and loses nothing.
 */
class ModerationSyncTest {
  @TempDir Path dir;
  private TestNodes nodes;

  @BeforeEach
  void nodes() {
    nodes = new TestNodes(dir);
  }

  @AfterEach
  void closeNodes() throws Exception {
    nodes.close();
  }

  private ModNode node(boolean malicious) throws IOException {
    return nodes.node(malicious);
  }

  private static Optional<Role> roleAt(ModNode n, SpaceId space, PeerId peer) {
    try {
      return n.store.membership(space).roleOf(peer);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- membership changes

  @Test
  void membershipChangesAreTakenOnlyFromTheOwnerAndModerators() throws Exception {
    ModNode a = node(false);
    ModNode mod = node(false);
    ModNode evil = node(true);
    Space space = a.store.createSpace("Village");
    a.share(space.id(), mod, Role.MODERATOR);
    a.share(space.id(), evil, Role.EDITOR);
    mod.dial(a);
    evil.dial(a);
    await("the moderator knows its role", () -> mod.moderator.canModerate(space.id()));
    await("the editor has the membership", () -> roleAt(evil, space.id(), evil.id()).isPresent());

    // A moderator's change is taken.
    PeerId newcomer = freshPeer();
    mod.moderator.setRole(space.id(), newcomer, Role.READER);
    await(
        "the owner takes the moderator's change",
        () -> roleAt(a, space.id(), newcomer).equals(Optional.of(Role.READER)));

    // Locally an editor cannot, and nobody changes the owner.
    assertThrows(
        NotAllowedException.class,
        () -> evil.moderator.setRole(space.id(), freshPeer(), Role.EDITOR));
    assertThrows(
        NotAllowedException.class, () -> mod.moderator.setRole(space.id(), a.id(), Role.READER));
    assertThrows(NotAllowedException.class, () -> mod.moderator.remove(space.id(), a.id(), "coup"));

    // The editor forges membership changes in its own store; its policy sends them anyway.
    PeerId accomplice = freshPeer();
    evil.store.addMember(space.id(), evil.id(), Role.MODERATOR);
    evil.store.addMember(space.id(), accomplice, Role.EDITOR);
    evil.store.removeMember(space.id(), mod.id());
    // Penalised: counted, or already blocked after 3 such messages (which clears the count).
    await(
        "the owner penalised the forger",
        () -> a.sync.failures(evil.id()) > 0 || a.blocklist.isBlocked(evil.id()));
    assertEquals(Optional.of(Role.EDITOR), roleAt(a, space.id(), evil.id()));
    assertEquals(Optional.empty(), roleAt(a, space.id(), accomplice));
    assertEquals(Optional.of(Role.MODERATOR), roleAt(a, space.id(), mod.id()));
  }

  private static PeerId freshPeer() {
    return new org.dure.identity.Identity(org.dure.identity.Identity.generateEd25519()).peerId();
  }

  // ---------------------------------------------------------------- readers

  @Test
  void aReaderSyncsButItsEditsAreTakenByNobody() throws Exception {
    ModNode a = node(false);
    ModNode reader = node(true);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    a.share(space.id(), reader, Role.READER);
    var leftOut = a.recordRefusals();
    reader.dial(a);
    await("the reader has the page", () -> body(reader.store, p.id()).isPresent());

    reader.store.replaceText(p.id(), "vandalised", Optional.empty());
    reader.store.createPage(space.id(), "Spam", "buy now", Optional.empty());
    a.store.replaceText(p.id(), "be kind, always", Optional.empty());
    await(
        "the reader still receives",
        () -> body(reader.store, p.id()).orElse("").contains("always"));
    // The reader's version merged with the owner's: the owner's own copy never took it.
    Thread.sleep(300);
    assertEquals("be kind, always", a.store.page(p.id()).body());
    assertTrue(a.store.findPage(space.id(), "Spam").isEmpty());
    // ...and the owner is told (the Usage page and a notification), not left guessing.
    await("the refusal is reported", () -> leftOut.containsKey(reader.id()));
  }

  // ---------------------------------------------------------------- non-members and bans

  /** Reads frames until the last chunk of {@code barrier}'s snapshot; returns them all. */
  private static List<byte[]> readUntilSnapshot(Stream s, String barrier) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    while (true) {
      long n = UnsignedVarint.read(s.inputStream());
      byte[] frame = s.inputStream().readNBytes((int) n);
      frames.add(frame);
      if (SyncFrameCodec.decode(frame) instanceof SyncFrame.Snapshot snap
          && snap.docId().equals(barrier)
          && snap.offset() + snap.chunk().length == snap.total()) {
        return frames;
      }
    }
  }

  private static void send(Stream s, SyncFrame f) throws IOException {
    s.outputStream().write(SyncFrameCodec.encode(f));
    s.outputStream().flush();
  }

  /** Everything a prober asks for about {@code space}, and a SYNC carrying {@code changes}. */
  private static void probe(Stream s, SpaceId space, PageId page, byte[] changes)
      throws IOException {
    send(s, new SyncFrame.Hello(1, List.of(space)));
    send(s, new SyncFrame.Need(space.value(), space, DocumentRef.Kind.SPACE));
    send(s, new SyncFrame.Need(WikiStore.membershipDocId(space), space, DocumentRef.Kind.MEMBERS));
    send(
        s,
        new SyncFrame.Need(WikiStore.moderationDocId(space), space, DocumentRef.Kind.MODERATION));
    send(s, new SyncFrame.Need(page.value(), space, DocumentRef.Kind.PAGE));
    for (SyncFrame f : SyncFrameCodec.syncFrames(page.value(), changes)) {
      send(s, f);
    }
  }

  /** A sync message carrying the whole history of {@code doc} (as if the peer had nothing). */
  private static byte[] everythingOf(byte[] snapshot) {
    Document mine = Document.load(snapshot);
    Document empty = new Document();
    try {
      SyncState theirs = new SyncState();
      SyncState ours = new SyncState();
      byte[] hello = empty.generateSyncMessage(theirs).orElseThrow();
      mine.receiveSyncMessage(ours, hello);
      byte[] msg = mine.generateSyncMessage(ours).orElseThrow();
      theirs.free();
      ours.free();
      return msg;
    } finally {
      mine.free();
      empty.free();
    }
  }

  /** A sync message from {@code mine} to a peer holding {@code theirSnapshot}: what it lacks. */
  private static byte[] newChangesFor(Document mine, byte[] theirSnapshot) {
    Document peer = Document.load(theirSnapshot);
    SyncState theirs = new SyncState();
    SyncState ours = new SyncState();
    try {
      mine.receiveSyncMessage(ours, peer.generateSyncMessage(theirs).orElseThrow());
      return mine.generateSyncMessage(ours).orElseThrow();
    } finally {
      theirs.free();
      ours.free();
      peer.free();
    }
  }

  private static void assertNamesNone(List<byte[]> frames, List<String> ids) {
    for (byte[] f : frames) {
      String text = new String(f, StandardCharsets.ISO_8859_1);
      for (String id : ids) {
        assertFalse(text.contains(id), "a frame to the prober names " + id);
      }
    }
  }

  @Test
  void aNonMemberReadsNothingAndWritesNothing() throws Exception {
    ModNode a = node(false);
    Space secret = a.store.createSpace("Secret");
    PageSummary p = a.store.createPage(secret.id(), "Plans", "hidden plans", Optional.empty());
    Space open = a.store.createSpace("Open");
    Host prober = nodes.rawHost(org.dure.identity.Identity.generateEd25519());
    a.moderator.setRole(open.id(), prober.peerId(), Role.EDITOR);
    byte[] forged = forgedEdit(a.store.sync().snapshot(p.id().value()));

    Stream s = prober.dial(a.address()).newStream(SyncService.PROTOCOL);
    s.setReadTimeout(TestNodes.WAIT_MS);
    assertEquals(new SyncFrame.Hello(1, List.of(open.id())), SyncFrameCodec.read(s.inputStream()));
    probe(s, secret.id(), p.id(), forged);
    send(s, new SyncFrame.Need(open.id().value(), open.id(), DocumentRef.Kind.SPACE)); // barrier
    List<byte[]> frames = readUntilSnapshot(s, open.id().value());
    s.reset();

    assertNamesNone(
        frames,
        List.of(
            secret.id().value(),
            p.id().value(),
            WikiStore.membershipDocId(secret.id()),
            WikiStore.moderationDocId(secret.id())));
    assertEquals("hidden plans", a.store.page(p.id()).body());
  }

  /** A sync message with an edit of the page whose snapshot is given, made by another actor. */
  private static byte[] forgedEdit(byte[] snapshot) {
    Document d = Document.load(snapshot);
    try {
      var tx = d.startTransaction();
      var body =
          ((org.automerge.AmValue.Text) d.get(org.automerge.ObjectId.ROOT, "body").orElseThrow())
              .getId();
      tx.spliceText(body, 0, 0, "FORGED ");
      tx.commit();
      return everythingOf(d.save());
    } finally {
      d.free();
    }
  }

  // ---------------------------------------------------------------- signed authorship

  @Test
  void aChangeForgedInAnotherMembersNameIsRefusedAndItsSenderPenalised() throws Exception {
    ModNode a = node(false);
    ModNode b = node(false);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    String pid = p.id().value();
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    await("the editor has the page", () -> body(b.store, p.id()).isPresent());
    // Mallory is an editor too; she writes "as a" (a's key, an actor id of her own making) and
    // sends it with a's genuine attestations and one she made up for the forged actor.
    Host mallory = nodes.rawHost(org.dure.identity.Identity.generateEd25519());
    a.moderator.setRole(space.id(), mallory.peerId(), Role.EDITOR);
    byte[] aKey = a.store.identity().publicKey().data();
    byte[] forgedActor = java.util.Arrays.copyOf(aKey, 40);
    for (int i = 32; i < 40; i++) {
      forgedActor[i] = (byte) (0xa5 ^ i); // not a's own suffix (8 random bytes)
    }
    byte[] head;
    Document again = Document.load(a.store.sync().snapshot(pid)).fork(forgedActor);
    byte[] message;
    try {
      var tx = again.startTransaction();
      var bodyId =
          ((org.automerge.AmValue.Text)
                  again.get(org.automerge.ObjectId.ROOT, "body").orElseThrow())
              .getId();
      tx.spliceText(bodyId, 0, 0, "a says: obey mallory. ");
      tx.commit();
      head = again.getHeads()[0].getBytes();
      message = newChangesFor(again, a.store.sync().snapshot(pid));
    } finally {
      again.free();
    }
    byte[] junkSignature = new byte[64];
    new java.security.SecureRandom().nextBytes(junkSignature);
    List<org.dure.store.sync.Attestation> atts = new ArrayList<>(a.store.sync().attestations(pid));
    atts.add(new org.dure.store.sync.Attestation(pid, forgedActor, 1, head, 0, "", junkSignature));

    Stream s = mallory.dial(a.address()).newStream(SyncService.PROTOCOL);
    s.setReadTimeout(TestNodes.WAIT_MS);
    send(s, new SyncFrame.Hello(1, List.of(space.id())));
    // a's HELLO first: until a has offered the space, it ignores what arrives about it (a race
    // that timed this test out on a loaded machine).
    while (!(SyncFrameCodec.read(s.inputStream()) instanceof SyncFrame.Hello)) {
      // nothing else comes before it
    }
    send(s, new SyncFrame.Attest(pid, atts));
    for (SyncFrame f : SyncFrameCodec.syncFrames(pid, message)) {
      send(s, f);
    }
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              while (SyncFrameCodec.read(s.inputStream()) != null) {
                // what a sent before it read the forgery
              }
            });
    assertTrue(e instanceof org.dure.net.StreamResetException, e.toString());
    assertEquals("be kind", a.store.page(p.id()).body());
    // a keeps serving its honest member.
    a.store.replaceText(p.id(), "be kind, always", Optional.empty());
    await(
        "b still receives a's edits",
        () -> body(b.store, p.id()).orElse("").equals("be kind, always"));
    assertEquals("be kind, always", a.store.page(p.id()).body());
  }

  @Test
  void aBannedPeerReconnectingGetsNothingAndItsChangesAreIgnored() throws Exception {
    ModNode a = node(false);
    ModNode banned = node(true);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    Space other = a.store.createSpace("Elsewhere");
    a.share(space.id(), banned, Role.EDITOR);
    a.share(other.id(), banned, Role.READER);
    banned.dial(a);
    await("the editor has the page", () -> body(banned.store, p.id()).isPresent());

    a.moderator.ban(space.id(), banned.id(), "vandalism");
    assertTrue(a.store.moderation().isBanned(space.id(), banned.id()));
    assertFalse(a.store.membership(space.id()).isMember(banned.id()));
    a.store.replaceText(p.id(), "be kind; secret after the ban", Optional.empty());
    banned.store.replaceText(p.id(), "vandalised", Optional.empty());

    // It reconnects as a scripted peer with its own identity.
    KeyPair key = banned.store.identity().keyPair();
    byte[] forged = forgedEdit(banned.store.sync().snapshot(p.id().value()));
    nodes.closeNow(banned);
    Host again = nodes.rawHost(key);
    Connection c = again.dial(a.address());
    Stream s = c.newStream(SyncService.PROTOCOL);
    s.setReadTimeout(TestNodes.WAIT_MS);
    assertEquals(new SyncFrame.Hello(1, List.of(other.id())), SyncFrameCodec.read(s.inputStream()));
    probe(s, space.id(), p.id(), forged);
    send(s, new SyncFrame.Need(other.id().value(), other.id(), DocumentRef.Kind.SPACE));
    List<byte[]> frames = readUntilSnapshot(s, other.id().value());
    s.reset();

    assertNamesNone(frames, List.of(space.id().value(), p.id().value()));
    assertEquals("be kind; secret after the ban", a.store.page(p.id()).body());
    assertFalse(a.store.membership(space.id()).isMember(banned.id()));

    // Not back in through an invite, nor by being added, until unbanned.
    Invites.Created invite = a.moderator.invite(space.id(), Role.EDITOR, Duration.ofDays(1));
    assertTrue(a.store.invites().redeem(space.id(), invite.secret(), banned.id()).isEmpty());
    assertThrows(
        IllegalArgumentException.class,
        () -> a.moderator.setRole(space.id(), banned.id(), Role.READER));
    a.moderator.unban(space.id(), banned.id());
    assertTrue(a.store.invites().redeem(space.id(), invite.secret(), banned.id()).isPresent());
    assertTrue(a.store.membership(space.id()).isMember(banned.id()));
    List<String> actions =
        a.moderator.log(space.id()).stream().map(ModerationRecords.LogEntry::action).toList();
    assertTrue(actions.containsAll(List.of("ban", "unban")), actions.toString());
  }

  @Test
  void removingAMemberStopsSyncingWithIt() throws Exception {
    ModNode a = node(false);
    ModNode b = node(false);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    await("B has the page", () -> body(b.store, p.id()).isPresent());
    await("sessions are up", () -> a.sync.hasSession(b.id()));

    a.moderator.remove(space.id(), b.id(), "left the village");
    await("the session with B ended", () -> !a.sync.hasSession(b.id()));
    a.store.replaceText(p.id(), "members only", Optional.empty());
    b.store.replaceText(p.id(), "from outside", Optional.empty());
    Thread.sleep(300);
    assertEquals("from outside", b.store.page(p.id()).body(), "B got nothing more");
    assertEquals("members only", a.store.page(p.id()).body());
  }

  // ---------------------------------------------------------------- hiding, reports, log

  @Test
  void aHiddenPageDisappearsForEveryoneUntilUnhidden() throws Exception {
    ModNode a = node(false);
    ModNode b = node(false);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Spam", "buy cheap pills", Optional.empty());
    a.store.createPage(space.id(), "Home", "see [[Spam]]", Optional.empty());
    a.share(space.id(), b, Role.READER);
    b.dial(a);
    await("B has the page", () -> b.store.findPage(space.id(), "Spam").isPresent());
    assertThrows(NotAllowedException.class, () -> b.moderator.hide(p.id(), "mine"));

    a.moderator.hide(p.id(), "spam");
    assertTrue(a.store.findPage(space.id(), "Spam").isEmpty());
    await("B no longer lists it", () -> b.store.findPage(space.id(), "Spam").isEmpty());
    assertEquals(
        List.of("Home"),
        b.store.pages(space.id(), 0, 10).stream().map(PageSummary::title).toList());
    assertTrue(b.store.search(Optional.empty(), "pills", 10).isEmpty());
    assertEquals(1, b.store.pageCount(space.id()));
    assertTrue(b.store.moderation().isHidden(p.id()));

    a.moderator.unhide(p.id());
    await("B lists it again", () -> b.store.findPage(space.id(), "Spam").isPresent());
    assertEquals("buy cheap pills", b.store.page(p.id()).body(), "nothing was lost");
  }

  @Test
  void anEditorsHideWrittenIntoTheIndexIsNotTakenButAModeratorsIs() throws Exception {
    ModNode a = node(false);
    ModNode mod = node(false);
    ModNode evil = node(true);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    PageSummary spam = a.store.createPage(space.id(), "Spam", "buy", Optional.empty());
    a.share(space.id(), mod, Role.MODERATOR);
    a.share(space.id(), evil, Role.EDITOR);
    var refused = a.recordRefusals();
    mod.dial(a);
    evil.dial(a);
    await("the moderator knows its role", () -> mod.moderator.canModerate(space.id()));
    await("the editor has the page", () -> body(evil.store, p.id()).isPresent());
    await("the moderator has the spam", () -> body(mod.store, spam.id()).isPresent());

    // Locally the editor may not hide; it writes the index's hidden map past the check.
    assertThrows(NotAllowedException.class, () -> evil.moderator.hide(p.id(), "mine"));
    evil.store.moderation().hide(p.id(), "mine");
    assertTrue(evil.store.moderation().isHidden(p.id()));
    await(
        "the owner refused the editor's hide",
        () ->
            refused.getOrDefault(evil.id(), java.util.Set.of()).stream()
                .anyMatch(r -> r.contains("only owners and moderators hide pages")));
    assertFalse(a.store.moderation().isHidden(p.id()));
    assertTrue(a.store.findPage(space.id(), "Rules").isPresent());
    // A member's overstep, signed by it: the relaying peer is not penalised for it.
    assertEquals(0, a.sync.failures(evil.id()));
    assertFalse(a.blocklist.isBlocked(evil.id()));

    // A moderator's hide is taken.
    mod.moderator.hide(spam.id(), "advertising");
    await("the owner takes the moderator's hide", () -> a.store.moderation().isHidden(spam.id()));
    assertFalse(a.store.moderation().isHidden(p.id()));
  }

  @Test
  void aReportResolvedOrALogEntryWrittenByAnEditorIsNotTaken() throws Exception {
    ModNode a = node(false);
    ModNode evil = node(true);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Spam", "buy", Optional.empty());
    a.share(space.id(), evil, Role.EDITOR);
    var refused = a.recordRefusals();
    evil.dial(a);
    await(
        "the editor has the moderation records",
        () -> evil.store.moderation().hasDocument(space.id()));
    await("the editor has the page", () -> body(evil.store, p.id()).isPresent());

    // Any member reports: the editor's report is taken.
    String id = evil.moderator.report(p.id(), 0, "advertising");
    await("the owner sees the report", () -> !a.moderator.reports(space.id()).isEmpty());

    // Resolving it, and logging, are for moderators; the editor writes them past the checks.
    assertThrows(NotAllowedException.class, () -> evil.moderator.resolve(space.id(), id, "fine"));
    evil.store.moderation().resolve(space.id(), id, "fine");
    evil.store.moderation().log(space.id(), "ban", a.peer(), "coup");
    await(
        "the owner refused the editor's resolution",
        () ->
            refused.getOrDefault(evil.id(), java.util.Set.of()).stream()
                .anyMatch(r -> r.contains("reports/" + id + "/resolvedBy") || r.contains("log/")));
    assertTrue(a.moderator.reports(space.id()).get(0).open());
    // Both changes came in one message (refused whole, named by the first offending change the
    // check met), or the log entry came later and depends on the refused resolution.
    assertTrue(a.moderator.log(space.id()).stream().noneMatch(e -> e.reason().equals("coup")));
    assertEquals(0, a.sync.failures(evil.id()));
  }

  @Test
  void anyMemberReportsModeratorsResolveAndEveryoneSeesTheLog() throws Exception {
    ModNode a = node(false);
    ModNode b = node(false);
    Space space = a.store.createSpace("Village");
    PageSummary p = a.store.createPage(space.id(), "Spam", "buy", Optional.empty());
    a.share(space.id(), b, Role.READER);
    b.dial(a);
    await("B has the moderation records", () -> b.store.moderation().hasDocument(space.id()));
    await("B has the page", () -> body(b.store, p.id()).isPresent());

    String id = b.moderator.report(p.id(), 0, "advertising");
    await("the owner sees the report", () -> !a.moderator.reports(space.id()).isEmpty());
    ModerationRecords.Report r = a.moderator.reports(space.id()).get(0);
    assertEquals(id, r.id());
    assertEquals(b.peer(), r.reporter());
    assertEquals(p.id(), r.page());
    assertTrue(r.open());
    assertThrows(NotAllowedException.class, () -> b.moderator.resolve(space.id(), id, "fine"));

    a.moderator.hide(p.id(), "advertising");
    a.moderator.resolve(space.id(), id, "hidden");
    await(
        "B sees the report resolved",
        () -> b.moderator.reports(space.id()).stream().anyMatch(x -> !x.open()));
    await("B sees the log", () -> b.moderator.log(space.id()).size() >= 3);
    List<ModerationRecords.LogEntry> log = b.moderator.log(space.id());
    assertEquals(
        java.util.Set.of("resolve", "hide", "role"),
        log.stream()
            .map(ModerationRecords.LogEntry::action)
            .collect(java.util.stream.Collectors.toSet()));
    assertTrue(log.stream().allMatch(e -> e.who().equals(a.peer())));
    ModerationRecords.LogEntry hide =
        log.stream().filter(e -> e.action().equals("hide")).findFirst().orElseThrow();
    assertEquals(p.id().value(), hide.target());
    assertEquals("advertising", hide.reason());
  }
}
