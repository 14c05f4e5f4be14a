package org.dure.store.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.automerge.ChangeHash;
import org.dure.identity.PeerId;
import org.dure.store.InProcessSync;
import org.dure.store.StoreInternals;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Heads;
import org.dure.store.doc.Ids;
import org.dure.store.doc.StoreException;
import org.dure.store.format.AutomergeFormat;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.Limits;
import org.dure.store.wiki.Memberships;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash in native code leaves behind, and what the next start makes of it: real stores, real
 * child processes that Automerge aborts (with the committed crashers), and the store's own sandbox
 * replaying what was in native code.
 */
class CrashRecoveryTest {
  static final String EVIL = "12D3KooWEvi11111111111111111111111111111111111111111";
  static final String HONEST = "12D3KooWHon11111111111111111111111111111111111111111";
  static final PeerId EVIL_ID = PeerId.parse(EVIL);
  static final PeerId HONEST_ID = PeerId.parse(HONEST);

  @TempDir Path dirS;
  @TempDir Path dirV;
  @TempDir Path dirR;
  @TempDir Path tmp;
  private final List<WikiStore> open = new ArrayList<>();

  private WikiStore open(Path dir) {
    WikiStore s = WikiStore.open(dir);
    open.add(s);
    return s;
  }

  private void close(WikiStore s) {
    open.remove(s);
    s.close();
  }

  @AfterEach
  void closeAll() {
    open.forEach(WikiStore::close);
  }

  private record Child(int status, String out) {}

  private static Child runChild(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add(CrashChild.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Child(p.exitValue(), out);
  }

  /** The active records in a data directory: what was in native code when its process ended. */
  static List<InflightLog.Entry> records(Path dataDir) throws Exception {
    List<InflightLog.Entry> out = new ArrayList<>();
    for (Path f : new InflightLog(dataDir.resolve("inflight")).leftovers()) {
      InflightLog.Entry e = InflightLog.read(f);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** What {@code ./dure} does when the JVM died in native code. */
  private static void launcherSawANativeCrash(Path dataDir) throws Exception {
    Files.createFile(dataDir.resolve(StoreSync.NATIVE_CRASH_MARKER));
  }

  /** The space of the last {@link #sharedPage}. */
  private SpaceId space;

  /** A space on {@code s} with page "P" ("hello"), synced to {@code v}; the page's id. */
  private PageId sharedPage(WikiStore s, WikiStore v) throws Exception {
    Space space = s.createSpace("Village");
    this.space = space.id();
    s.addMember(space.id(), v.identity().peerId(), Role.EDITOR);
    PageSummary p = s.createPage(space.id(), "P", "hello", Optional.empty());
    InProcessSync.sync(s, v, space.id());
    assertEquals("hello", v.page(p.id()).body());
    return p.id();
  }

  private static void receive(WikiStore to, PeerId peer, WikiStore from, String doc, byte[] m)
      throws PeerDataException {
    to.sync().receiveMessage(peer, doc, m, from.sync().attestations(doc), AuthorPolicy.ANY);
  }

  @Test
  void aCrashBlamesTheInputInNativeCodeAndNotTheOneQueuedBehindIt() throws Exception {
    WikiStore s = open(dirS);
    WikiStore v = open(dirV);
    PageId page = sharedPage(s, v);
    s.splice(page, 5, 0, " world");
    byte[] honest = s.sync().generateMessage(v.identity().peerId(), page.value()).orElseThrow();
    close(v);
    Path crasherFile = Files.write(tmp.resolve("crasher"), Crashers.bytes(Crashers.SYNC_MESSAGE));
    Path honestFile = Files.write(tmp.resolve("honest"), honest);

    Child child =
        runChild(
            "queued",
            dirV.toString(),
            page.value(),
            EVIL,
            crasherFile.toString(),
            HONEST,
            honestFile.toString());

    assertTrue(NativeSandbox.isNativeCrash(child.status()), child.status() + ": " + child.out());
    // While both waited for the lane, nothing was in native code and nothing was recorded.
    assertTrue(child.out().contains("QUEUED 0"), child.out());
    assertFalse(child.out().contains("SURVIVED"), child.out());
    // When it died, the record named exactly the crasher: not the honest message queued behind.
    List<InflightLog.Entry> left = records(dirV);
    assertEquals(1, left.size(), left.toString());
    assertEquals(InflightLog.Kind.SYNC_MESSAGE, left.get(0).kind());
    assertEquals(EVIL, left.get(0).peer());
    assertArrayEquals(Crashers.bytes(Crashers.SYNC_MESSAGE), left.get(0).input());

    launcherSawANativeCrash(dirV);
    v = open(dirV);
    assertEquals(java.util.Set.of(EVIL_ID), v.blockedPeers().keySet());
    assertFalse(Files.exists(dirV.resolve(StoreSync.NATIVE_CRASH_MARKER)));
    assertEquals(List.of(), records(dirV));
    // The honest sender sends again (its input died with the process): it is applied.
    receive(v, HONEST_ID, s, page.value(), honest);
    assertEquals("hello world", v.page(page).body());
    // The crasher is refused before native code, by its hash, and its sender is penalised.
    WikiStore victim = v;
    PeerDataException e =
        assertThrows(
            PeerDataException.class,
            () ->
                victim
                    .sync()
                    .receiveMessage(
                        EVIL_ID,
                        page.value(),
                        Crashers.bytes(Crashers.SYNC_MESSAGE),
                        List.of(),
                        AuthorPolicy.ANY));
    assertTrue(e.getMessage().contains("quarantined"), e.getMessage());
    assertTrue(e.penalised());
  }

  @Test
  void withSeveralInputsInNativeCodeEachIsReplayedAloneAndOnlyTheCrasherIsBlamed()
      throws Exception {
    WikiStore s = open(dirS);
    WikiStore v = open(dirV);
    PageId page = sharedPage(s, v);
    s.splice(page, 5, 0, " world");
    byte[] honest = s.sync().generateMessage(v.identity().peerId(), page.value()).orElseThrow();
    String index = space.value();
    close(v);
    // Two lanes were in native code when the process died: the crasher on the space's index, an
    // honest message on the page. The records are what the lanes write (InflightLog.Entry).
    byte[] crasher = Crashers.bytes(Crashers.SYNC_MESSAGE);
    InflightLog log = new InflightLog(dirV.resolve("inflight"));
    log.begin(
        InflightLog.Entry.syncMessage(EVIL, index, Heads.sha256(crasher), List.of(), crasher));
    log.begin(
        InflightLog.Entry.syncMessage(
            HONEST, page.value(), Heads.sha256(honest), List.of(), honest));
    launcherSawANativeCrash(dirV);

    v = open(dirV);
    assertEquals(java.util.Set.of(EVIL_ID), v.blockedPeers().keySet());
    receive(v, HONEST_ID, s, page.value(), honest);
    assertEquals("hello world", v.page(page).body());
    WikiStore victim = v;
    PeerDataException e =
        assertThrows(
            PeerDataException.class,
            () ->
                victim.sync().receiveMessage(EVIL_ID, index, crasher, List.of(), AuthorPolicy.ANY));
    assertTrue(e.getMessage().contains("quarantined"), e.getMessage());
  }

  @Test
  void aQuarantinedChangeRelayedByAnHonestMemberIsRefusedBeforeNativeCodeWithoutPenalty()
      throws Exception {
    WikiStore s = open(dirS);
    WikiStore v = open(dirV);
    WikiStore r = open(dirR);
    PageId page = sharedPage(s, v);
    s.addMember(space, r.identity().peerId(), Role.EDITOR);
    InProcessSync.sync(s, r, space);
    s.splice(page, 5, 0, " world"); // change C
    byte[] crashing = s.sync().generateMessage(v.identity().peerId(), page.value()).orElseThrow();
    // The changes the validator reads in it against the victim's copy, as the lane records them.
    byte[] history =
        StoreInternals.documents(v)
            .withDocument(page.value(), live -> live.doc().encodeChangesSince(new ChangeHash[0]));
    DocumentContext ctx = DocumentContext.ofHistory(history);
    AutomergeFormat.validateSyncMessage(crashing, Limits.defaults(), ctx);
    List<ChangeHeader> carried = ctx.lastValidatedChanges();
    assertEquals(1, carried.size());
    close(v);
    // It was alone in native code when the process died (its replay does not crash: the cause is
    // not known, so all its changes are quarantined).
    new InflightLog(dirV.resolve("inflight"))
        .begin(
            InflightLog.Entry.syncMessage(
                EVIL, page.value(), Heads.sha256(crashing), carried, crashing));
    launcherSawANativeCrash(dirV);
    WikiStore victim = open(dirV);
    v = victim;
    assertEquals(java.util.Set.of(EVIL_ID), v.blockedPeers().keySet());
    assertEquals(1, v.sync().quarantinedChangeCount());

    // R, an honest member, got C from S and relays it in its own sync message: refused before
    // native code, and not counted against R.
    InProcessSync.syncDocument(s, r, page.value());
    r.splice(page, 0, 0, "R: "); // C is no longer a head of R's copy
    PeerDataException relayed = null;
    for (int round = 0; round < 10 && relayed == null; round++) {
      try {
        InProcessSync.syncDocument(r, v, page.value());
      } catch (PeerDataException e) {
        relayed = e;
      }
    }
    assertTrue(relayed != null, "R's changes were refused");
    assertFalse(relayed.penalised(), relayed.getMessage());
    assertTrue(relayed.getMessage().contains("quarantined"), relayed.getMessage());
    assertEquals("hello", v.page(page).body());
    assertEquals(java.util.Set.of(EVIL_ID), v.blockedPeers().keySet());

    // The one blamed for it sending it again is penalised.
    PeerDataException again =
        assertThrows(
            PeerDataException.class,
            () ->
                victim
                    .sync()
                    .receiveMessage(EVIL_ID, page.value(), crashing, List.of(), AuthorPolicy.ANY));
    assertTrue(again.penalised());

    // A snapshot holding C, under another document's id: refused before the sandbox (C is not a
    // head in R's copy; its actor and seq give it away), again without penalty for R.
    v.sync()
        .setSandbox(
            snapshot -> {
              throw new AssertionError(
                  "a snapshot holding a quarantined change reached native code");
            });
    for (WikiStore from : List.of(r, s)) {
      PeerDataException snap =
          assertThrows(
              PeerDataException.class,
              () ->
                  victim
                      .sync()
                      .importSnapshot(
                          from.identity().peerId(),
                          new DocumentRef(Ids.random(), DocumentRef.Kind.PAGE, space),
                          from.sync().snapshot(page.value()),
                          from.sync().attestations(page.value()),
                          AuthorPolicy.ANY));
      assertFalse(snap.penalised(), snap.getMessage());
      assertTrue(snap.getMessage().contains("quarantined"), snap.getMessage());
    }
  }

  @Test
  void aStoredDocumentWhoseLoadCrashesIsMarkedDamagedAtTheNextStartAndTheRestWorks()
      throws Exception {
    WikiStore v = open(dirV);
    Space kept = v.createSpace("Kept");
    PageSummary good = v.createPage(kept.id(), "Good", "still here", Optional.empty());
    PageSummary bad = v.createPage(kept.id(), "Bad", "soon a crasher", Optional.empty());
    close(v);
    // Its stored data becomes the committed crasher, with a matching checksum (so it passes the
    // store's checks and reaches Automerge, as a bug's output or a damaged disk could).
    byte[] crasher = Crashers.bytes(Crashers.LOAD);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dirV.resolve("dure.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE documents SET snapshot = ?, snapshot_sha = ?, snapshot_seq = last_seq"
                    + " WHERE id = ?")) {
      ps.setBytes(1, crasher);
      ps.setBytes(2, Heads.sha256(crasher));
      ps.setString(3, bad.id().value());
      assertEquals(1, ps.executeUpdate());
    }

    Child child = runChild("load", dirV.toString(), bad.id().value());
    assertTrue(NativeSandbox.isNativeCrash(child.status()), child.status() + ": " + child.out());
    assertTrue(child.out().contains("OPEN"), child.out());
    List<InflightLog.Entry> left = records(dirV);
    assertEquals(1, left.size(), left.toString());
    assertEquals(InflightLog.Kind.STORED_DOCUMENT, left.get(0).kind());
    assertEquals(bad.id().value(), left.get(0).docId());

    launcherSawANativeCrash(dirV);
    v = open(dirV);
    WikiStore store = v;
    assertThrows(DamagedDocumentException.class, () -> store.page(bad.id()));
    assertEquals("still here", v.page(good.id()).body());
    assertTrue(
        v.pages(kept.id(), 0, 100).stream()
            .anyMatch(p -> p.id().equals(bad.id()) && p.damaged().isPresent()),
        "listed as damaged");
    v.createPage(kept.id(), "New", "works", Optional.empty());
    close(v);
    // Left on disk as it was, and every later start leaves it alone (no native code, no crash).
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dirV.resolve("dure.db"));
        PreparedStatement ps = c.prepareStatement("SELECT snapshot FROM documents WHERE id = ?")) {
      ps.setString(1, bad.id().value());
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertArrayEquals(crasher, rs.getBytes(1));
      }
    }
    Child again = runChild("load", dirV.toString(), bad.id().value());
    assertEquals(1, again.status(), again.out()); // DamagedDocumentException, not a crash
    assertEquals(List.of(), records(dirV));
  }

  @Test
  void aMembershipWhoseLoadCrashesIsMarkedDamagedBeforeTheNextStartLoadsIt() throws Exception {
    WikiStore v = open(dirV);
    Space kept = v.createSpace("Kept");
    PageSummary good = v.createPage(kept.id(), "Good", "still here", Optional.empty());
    close(v);
    // The store reads every space's membership when it starts; this one's stored data crashes.
    String membership = Memberships.docId(kept.id());
    byte[] crasher = Crashers.bytes(Crashers.LOAD);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dirV.resolve("dure.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE documents SET snapshot = ?, snapshot_sha = ?, snapshot_seq = last_seq"
                    + " WHERE id = ?")) {
      ps.setBytes(1, crasher);
      ps.setBytes(2, Heads.sha256(crasher));
      ps.setString(3, membership);
      assertEquals(1, ps.executeUpdate());
    }

    Child child = runChild("load", dirV.toString(), good.id().value());
    assertTrue(NativeSandbox.isNativeCrash(child.status()), child.status() + ": " + child.out());
    List<InflightLog.Entry> left = records(dirV);
    assertEquals(1, left.size(), left.toString());
    assertEquals(InflightLog.Kind.STORED_DOCUMENT, left.get(0).kind());
    assertEquals(membership, left.get(0).docId());

    // The next start deals with the record before it reads memberships: no crash again.
    launcherSawANativeCrash(dirV);
    Child again = runChild("load", dirV.toString(), good.id().value());
    assertEquals(0, again.status(), again.out());
    assertTrue(again.out().contains("SURVIVED"), again.out());
    assertEquals(List.of(), records(dirV));
    assertFalse(Files.exists(dirV.resolve(StoreSync.NATIVE_CRASH_MARKER)));
  }

  @Test
  void whatWasInFlightWhenTheProcessWasKilledIsNotBlamed() throws Exception {
    WikiStore v = open(dirV);
    Space s = v.createSpace("S");
    byte[] input = v.sync().snapshot(s.id().value());
    close(v);
    // kill -9, a power cut or the user stopping Dure mid-call: no native-crash marker.
    InflightLog log = new InflightLog(dirV.resolve("inflight"));
    log.begin(InflightLog.Entry.snapshot(HONEST, s.id().value(), Heads.sha256(input), input));
    log.begin(InflightLog.Entry.storedDocument(s.id().value()));
    v = open(dirV);
    assertEquals(java.util.Map.of(), v.blockedPeers());
    assertEquals(0, v.sync().quarantinedChangeCount());
    assertEquals("S", v.space(s.id()).name());
    assertEquals(List.of(), records(dirV));
  }

  @Test
  void aSandboxThatCannotRunIsALocalFaultAndBlamesNobody() throws Exception {
    WikiStore s = open(dirS);
    WikiStore v = open(dirV);
    PageId page = sharedPage(s, v);
    PageSummary fresh = s.createPage(space, "Fresh", "new page", Optional.empty());
    DocumentRef ref = s.sync().document(fresh.id().value()).orElseThrow();
    byte[] snapshot = s.sync().snapshot(ref.id());
    List<NativeSandbox> broken =
        List.of(
            // exits at once, as a sandbox that cannot start its JVM does
            NativeSandbox.worker(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(60)),
            // never answers
            NativeSandbox.worker(List.of("sh", "-c", "sleep 60"), Duration.ofMillis(500)),
            // no such program
            NativeSandbox.worker(
                List.of(tmp.resolve("missing").toString()), Duration.ofSeconds(5)));
    for (NativeSandbox sandbox : broken) {
      v.sync().setSandbox(sandbox);
      WikiStore victim = v;
      StoreException e =
          assertThrows(
              StoreException.class,
              () ->
                  victim
                      .sync()
                      .importSnapshot(
                          s.identity().peerId(),
                          ref,
                          snapshot,
                          s.sync().attestations(ref.id()),
                          AuthorPolicy.ANY));
      assertTrue(e.getMessage().contains("local fault"), e.getMessage());
      assertFalse(StoreInternals.documents(v).exists(ref.id()));
    }
    // Nothing was quarantined: with a working sandbox the same snapshot is taken.
    v.sync().setSandbox(NativeSandbox.childJvm());
    v.sync()
        .importSnapshot(
            s.identity().peerId(),
            ref,
            snapshot,
            s.sync().attestations(ref.id()),
            AuthorPolicy.ANY);
    assertEquals("new page", v.page(fresh.id()).body());
    assertEquals("hello", v.page(page).body());
    assertEquals(java.util.Map.of(), v.blockedPeers());
  }
}
