package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.net.StreamResetException;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real hosts on 127.0.0.1 and real stores replicating spaces over {@code /dure/sync/1.0.0}. */
@Timeout(60)
class SyncServiceTest {
  private static final long WAIT_MS = 10_000;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nodes;

  private SyncNode node() throws IOException {
    return node(false);
  }

  private SyncNode node(boolean realSandbox) throws IOException {
    return node(realSandbox, SyncConfig.defaults());
  }

  private SyncNode node(boolean realSandbox, SyncConfig config) throws IOException {
    SyncNode n = new SyncNode(dir.resolve("node" + nodes++), realSandbox, config);
    open.add(n);
    return n;
  }

  private Host rawHost() throws IOException {
    Host h =
        Host.builder()
            .identity(Identity.ephemeral().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    open.add(h);
    return h;
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofMillis(WAIT_MS), done);
  }

  private static Optional<String> body(WikiStore s, PageId id) {
    try {
      return Optional.of(s.page(id).body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean sameBody(WikiStore a, WikiStore b, PageId id) {
    Optional<String> x = body(a, id);
    return x.isPresent() && x.equals(body(b, id));
  }

  // ---------------------------------------------------------------- 1. who gets what

  @Test
  void aMemberReceivesTheSpaceAndANonMemberNothingOfIt() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    SyncNode c = node();
    Space village = a.store.createSpace("Village");
    PageSummary harvest =
        a.store.createPage(village.id(), "Harvest", "line one\nline two\n", Optional.empty());
    PageSummary seeds = a.store.createPage(village.id(), "Seeds", "rye, barley", Optional.empty());
    a.share(village.id(), b, Role.EDITOR);

    c.dial(a); // a non-member, connected first
    b.dial(a);
    await("B has both pages", () -> sameBody(a.store, b.store, harvest.id()));
    await("B has both pages", () -> sameBody(a.store, b.store, seeds.id()));
    await("B has the membership", () -> isMember(b.store, village.id(), b.id()));
    assertEquals("Village", b.store.space(village.id()).name());
    Membership m = b.store.membership(village.id());
    assertEquals(a.store.membership(village.id()), m);
    assertEquals(a.id(), m.owner());
    assertEquals(Optional.of(Role.EDITOR), m.roleOf(b.id()));
    assertEquals(2, b.store.pageCount(village.id()));
    assertEquals(1, b.store.search(Optional.of(village.id()), "barley", 10).size());

    await("C's session with A is up", () -> a.sync.hasSession(c.id()));
    assertTrue(c.store.sync().document(village.id().value()).isEmpty());
    assertTrue(c.store.sync().document(harvest.id().value()).isEmpty());
    assertEquals(0, a.sync.failures(b.id()) + a.sync.failures(c.id()));
  }

  /** Sync runs unchanged on a connection through a circuit relay (docs/protocol/relay.md). */
  @Test
  void aSpaceSyncsBothWaysOverARelayedConnection() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Host r = rawHost();
    open.add(
        new org.dure.net.relay.RelayService(
                r,
                org.dure.net.relay.RelayConfig.defaults(),
                org.dure.net.relay.RelayPolicy.allowingAll(new org.dure.net.host.UploadLimiter()))
            .start());
    org.dure.net.relay.RelayClient bClient = new org.dure.net.relay.RelayClient(b.host).start();
    open.add(bClient);
    open.add(new org.dure.net.relay.RelayClient(a.host).start());
    Space village = a.store.createSpace("Village");
    PageSummary harvest =
        a.store.createPage(village.id(), "Harvest", "line one\n", Optional.empty());
    a.share(village.id(), b, Role.EDITOR);

    bClient.reserve(r.listenAddresses().get(0));
    Connection ab =
        a.host.dial(
            org.dure.net.multiaddr.Multiaddr.parse(r.listenAddresses().get(0) + "/p2p-circuit")
                .withPeerId(b.id()));
    assertTrue(ab.isRelayed());
    await("B has the page", () -> sameBody(a.store, b.store, harvest.id()));
    b.store.replaceText(harvest.id(), "line one\nline two from B\n", Optional.empty());
    await("A has B's edit", () -> body(a.store, harvest.id()).orElse("").contains("from B"));
    assertEquals(0, a.sync.failures(b.id()) + b.sync.failures(a.id()));
  }

  /**
   * B, reachable only through a relay it reserved on by itself, keeps syncing with A after the
   * relay ends their connection at its time limit: A's reconnector dials B's relayed address again.
   */
  @Test
  void syncResumesThroughTheRelayAfterItEndsTheConnectionAtItsLimit() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Host r = rawHost();
    open.add(
        new org.dure.net.relay.RelayService(
                r,
                org.dure.net.relay.RelayConfig.defaults()
                    .withLimit(org.dure.net.relay.RelayLimit.of(Duration.ofSeconds(2), 1 << 20)),
                new org.dure.net.relay.RelayPolicy() {
                  @Override
                  public boolean allowReservation(PeerId peer) {
                    return true;
                  }

                  @Override
                  public boolean allowCircuit(PeerId source, PeerId target) {
                    return true;
                  }
                })
            .start());
    org.dure.net.relay.RelayClient bClient = new org.dure.net.relay.RelayClient(b.host).start();
    open.add(bClient);
    open.add(
        new org.dure.net.relay.AutoRelay(
                b.host, bClient, 2, Duration.ofMillis(200), Duration.ofSeconds(1))
            .start());
    open.add(new org.dure.net.relay.RelayClient(a.host).start());
    a.unreachable.add(b.id());
    Space village = a.store.createSpace("Village");
    PageSummary harvest =
        a.store.createPage(village.id(), "Harvest", "line one\n", Optional.empty());
    a.share(village.id(), b, Role.EDITOR);

    b.host.dial(r.listenAddresses().get(0));
    await("B is reachable through R", () -> !b.host.relayedAddresses().isEmpty());
    a.host.peerStore().addAddresses(b.id(), b.host.advertisedAddresses());
    open.add(
        new org.dure.net.host.Reconnector(
            a.host, () -> java.util.Set.of(b.id()), Duration.ofMillis(200)));
    await("B has the page", () -> sameBody(a.store, b.store, harvest.id()));
    Connection first = a.host.connectionManager().find(b.id());
    assertTrue(first.isRelayed());
    await("R ends the connection at its limit", () -> !first.isOpen());
    a.store.replaceText(harvest.id(), "line one\nwritten later\n", Optional.empty());
    await(
        "B has the later edit",
        () -> body(b.store, harvest.id()).orElse("").contains("written later"));
    Connection now = a.host.connectionManager().find(b.id());
    assertTrue(now != first && now.isRelayed(), String.valueOf(now));
  }

  private static boolean isMember(WikiStore s, SpaceId space, PeerId peer) {
    try {
      return s.membership(space).isMember(peer);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * A non-member that claims the space in HELLO, asks for its documents and sends SYNC about them
   * hears nothing that names it, while it does get a space it is a member of.
   */
  @Test
  void aProbingNonMemberHearsNothingThatNamesTheSpace() throws Exception {
    SyncNode a = node();
    Space secret = a.store.createSpace("Secret");
    PageSummary page = a.store.createPage(secret.id(), "Plans", "hidden", Optional.empty());
    Space open = a.store.createSpace("Open");
    Host probe = rawHost();
    a.store.addMember(open.id(), probe.peerId(), Role.EDITOR);
    List<String> forbidden =
        List.of(
            secret.id().value(),
            page.id().value(),
            org.dure.store.WikiStore.membershipDocId(secret.id()),
            org.dure.store.WikiStore.moderationDocId(secret.id()));

    Stream s = probe.dial(a.address()).newStream(SyncService.PROTOCOL);
    s.setReadTimeout(WAIT_MS);
    SyncFrame hello = SyncFrameCodec.read(s.inputStream());
    assertEquals(new SyncFrame.Hello(1, List.of(open.id())), hello);
    send(s, new SyncFrame.Hello(1, List.of(secret.id(), open.id())));
    send(s, new SyncFrame.Need(secret.id().value(), secret.id(), DocumentRef.Kind.SPACE));
    send(
        s,
        new SyncFrame.Need(
            org.dure.store.WikiStore.membershipDocId(secret.id()),
            secret.id(),
            DocumentRef.Kind.MEMBERS));
    send(s, new SyncFrame.Need(page.id().value(), secret.id(), DocumentRef.Kind.PAGE));
    send(s, new SyncFrame.Sync(page.id().value(), new byte[] {0x42, 0, 0, 0, 0}));
    // A barrier: the snapshot of a space it may see comes after A has handled all of the above.
    send(s, new SyncFrame.Need(open.id().value(), open.id(), DocumentRef.Kind.SPACE));
    List<byte[]> frames = new ArrayList<>();
    while (true) {
      long n = UnsignedVarint.read(s.inputStream());
      byte[] frame = s.inputStream().readNBytes((int) n);
      frames.add(frame);
      if (SyncFrameCodec.decode(frame) instanceof SyncFrame.Snapshot snap
          && snap.docId().equals(open.id().value())
          && snap.offset() + snap.chunk().length == snap.total()) {
        break;
      }
    }
    for (byte[] f : frames) {
      String text = new String(f, StandardCharsets.ISO_8859_1);
      for (String id : forbidden) {
        assertFalse(text.contains(id), "a frame to the non-member names " + id);
      }
    }
    s.reset();
    assertEquals(0, a.sync.failures(probe.peerId()), "probing is not a protocol error");
  }

  private static void send(Stream s, SyncFrame f) throws IOException {
    s.outputStream().write(SyncFrameCodec.encode(f));
    s.outputStream().flush();
  }

  @Test
  void aSpaceSharedDuringASessionArrivesOnceTheUserAcceptsIt() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    b.dial(a);
    await("the session is up", () -> a.sync.hasSession(b.id()) && b.sync.hasSession(a.id()));
    Space later = a.store.createSpace("Later");
    PageSummary p = a.store.createPage(later.id(), "P", "text", Optional.empty());
    a.store.addMember(later.id(), b.id(), Role.READER); // A offers it in a new HELLO
    b.policy.accept(a.id(), later.id());
    b.sync.spaceAccepted(a.id(), later.id());
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));

    // A reader's edits are not applied by A; A's still reach it.
    b.store.splice(p.id(), 0, 0, "reader was here ");
    a.store.splice(p.id(), 4, 0, " by A");
    await("A's edit reaches the reader", () -> body(b.store, p.id()).orElse("").contains("by A"));
    Thread.sleep(200); // give a wrongly applied edit time to show
    assertEquals("text by A", a.store.page(p.id()).body());
  }

  @Test
  void aLargeDocumentArrivesInChunksWithProgress() throws Exception {
    int chunk = 8 * 1024; // small chunks, so that a page quick to load makes several
    SyncNode a = node(false, SyncConfig.defaults().withSnapshotChunk(chunk));
    SyncNode b = node();
    Space space = a.store.createSpace("Big");
    java.util.Random random = new java.util.Random(7);
    StringBuilder text = new StringBuilder();
    while (text.length() < 60_000) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    PageSummary big = a.store.createPage(space.id(), "Big", text.toString(), Optional.empty());
    List<PageSummary> small = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      small.add(a.store.createPage(space.id(), "Small " + i, "s" + i, Optional.empty()));
    }
    a.share(space.id(), b, Role.EDITOR);
    List<long[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<long[]> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    String bigId = big.id().value();
    b.sync.addListener(
        new SyncListener() {
          @Override
          public void snapshotProgress(
              PeerId peer, String docId, boolean receiving, long done, long total) {
            if (docId.equals(bigId)) {
              received.add(new long[] {done, total});
            }
          }
        });
    a.sync.addListener(
        new SyncListener() {
          @Override
          public void snapshotProgress(
              PeerId peer, String docId, boolean receiving, long done, long total) {
            if (docId.equals(bigId) && !receiving) {
              sent.add(new long[] {done, total});
            }
          }
        });
    b.dial(a);
    await("the big page arrives", () -> sameBody(a.store, b.store, big.id()));
    for (PageSummary p : small) {
      await("small pages arrive", () -> sameBody(a.store, b.store, p.id()));
    }
    long total = received.get(0)[1];
    assertTrue(total > 3 * chunk, "snapshot of " + total + " bytes");
    assertEquals((total + chunk - 1) / chunk, received.size());
    for (int i = 0; i < received.size(); i++) {
      assertEquals(Math.min(total, (i + 1L) * chunk), received.get(i)[0]);
    }
    assertEquals(received.size(), sent.size());
    System.out.printf("big page: %d bytes of snapshot in %d chunks%n", total, received.size());
  }

  /**
   * The invite flow: the invitee's connection (and sync session) is up before the inviter adds it
   * to the space; the inviter's new HELLO then offers the space, which the invitee joined.
   */
  @Test
  void anInviteeReceivesTheSpaceOnTheConnectionItRedeemedTheInviteOn() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Invited");
    PageSummary p = a.store.createPage(space.id(), "Welcome", "come in", Optional.empty());
    var clock = java.time.Clock.systemUTC();
    String link =
        new org.dure.net.invite.InviteService(a.host, a.store, clock)
            .start()
            .createLink(space.id(), Role.EDITOR, Duration.ofDays(1));
    new org.dure.net.invite.InviteService(b.host, b.store, clock).start().accept(link);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));
    assertEquals(Optional.of(Role.EDITOR), b.store.membership(space.id()).roleOf(b.id()));
    assertEquals(1, b.host.connectionManager().connections(a.id()).size());
  }

  @Test
  void aRemovedMemberGetsNoFurtherEditsOfThatSpace() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space kept = a.store.createSpace("Kept");
    Space left = a.store.createSpace("Left");
    PageSummary pk = a.store.createPage(kept.id(), "K", "k", Optional.empty());
    PageSummary pl = a.store.createPage(left.id(), "L", "l", Optional.empty());
    a.share(kept.id(), b, Role.EDITOR);
    a.share(left.id(), b, Role.EDITOR);
    b.dial(a);
    await("B has both", () -> sameBody(a.store, b.store, pk.id()));
    await("B has both", () -> sameBody(a.store, b.store, pl.id()));

    a.store.removeMember(left.id(), b.id());
    a.store.splice(pl.id(), 1, 0, " secret");
    a.store.splice(pk.id(), 1, 0, " public");
    // A's new HELLO (sent before any later document) withdrew "Left": only "Kept" flows.
    await("the kept space's edit arrives", () -> sameBody(a.store, b.store, pk.id()));
    assertEquals("l", b.store.page(pl.id()).body());
  }

  @Test
  void aPeerRemovedFromTheLastSharedSpaceIsToldSoAndSaidGoodbye() throws Exception {
    SyncNode a = node();
    Space space = a.store.createSpace("Village");
    a.store.createPage(space.id(), "Rules", "be kind", Optional.empty());
    Host member = rawHost();
    a.store.addMember(space.id(), member.peerId(), Role.EDITOR);
    Stream s = member.dial(a.address()).newStream(SyncService.PROTOCOL);
    s.setReadTimeout(WAIT_MS);
    assertEquals(new SyncFrame.Hello(1, List.of(space.id())), SyncFrameCodec.read(s.inputStream()));
    send(s, new SyncFrame.Hello(1, List.of(space.id())));
    await("A has a session", () -> a.sync.hasSession(member.peerId()));

    a.store.removeMember(space.id(), member.peerId());
    List<SyncFrame> after = new ArrayList<>();
    SyncFrame f;
    while ((f = SyncFrameCodec.read(s.inputStream())) != null) {
      after.add(f);
      if (f instanceof SyncFrame.Bye) {
        break;
      }
    }
    int hello = after.indexOf(new SyncFrame.Hello(1, List.of()));
    assertTrue(hello >= 0, "the space is withdrawn: " + after);
    assertTrue(
        after.get(after.size() - 1) instanceof SyncFrame.Bye bye
            && bye.code() == SyncService.BYE_NOTHING_SHARED,
        "then goodbye: " + after);
    assertEquals(after.size() - 2, hello, "nothing after the withdrawal but BYE: " + after);
    assertNull(SyncFrameCodec.read(s.inputStream()), "the stream is closed");
    await("A's session ended", () -> !a.sync.hasSession(member.peerId()));
  }

  /** A bootstrap cut short (the index arrived, the membership not) is completed next time. */
  @Test
  void aSpaceWhoseMembershipDidNotArriveIsCompletedOnTheNextSession() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Half");
    PageSummary p = a.store.createPage(space.id(), "P", "text", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.store
        .sync()
        .importSnapshot(
            a.id(),
            new DocumentRef(space.id().value(), DocumentRef.Kind.SPACE, space.id()),
            a.store.sync().snapshot(space.id().value()),
            a.store.sync().attestations(space.id().value()),
            org.dure.store.sync.AuthorPolicy.ANY);
    b.dial(a);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));
    await("and the membership", () -> isMember(b.store, space.id(), b.id()));
  }

  @Test
  void peersDiallingEachOtherAtOnceKeepOneSession() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Both");
    PageSummary p = a.store.createPage(space.id(), "P", "x", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    var ab = java.util.concurrent.CompletableFuture.supplyAsync(() -> dialQuietly(a, b));
    var ba = java.util.concurrent.CompletableFuture.supplyAsync(() -> dialQuietly(b, a));
    ab.join();
    ba.join();
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));
    b.store.splice(p.id(), 1, 0, "y");
    await("and A B's edit", () -> sameBody(a.store, b.store, p.id()));
    assertEquals(java.util.Set.of(b.id()), a.sync.peers());
    assertEquals(java.util.Set.of(a.id()), b.sync.peers());
  }

  private static Connection dialQuietly(SyncNode from, SyncNode to) {
    try {
      return from.dial(to);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- 2. live

  @Test
  void anEditReachesAConnectedMemberLive() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Live");
    PageSummary p = a.store.createPage(space.id(), "Notes", "start", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));

    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      a.store.splice(p.id(), 0, 0, "e" + i + " ");
      String expected = a.store.page(p.id()).body();
      await("edit " + i + " reaches B", () -> body(b.store, p.id()).orElse("").equals(expected));
      micros.add((System.nanoTime() - t0) / 1000);
    }
    // and the other way
    long t0 = System.nanoTime();
    b.store.splice(p.id(), 0, 0, "from B ");
    await("B's edit reaches A", () -> sameBody(a.store, b.store, p.id()));
    long back = (System.nanoTime() - t0) / 1000;
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    System.out.printf(
        "live sync A→B over 20 edits: median %.2f ms, min %.2f ms, max %.2f ms (first %.2f ms);"
            + " B→A %.2f ms%n",
        sorted.get(10) / 1000.0,
        sorted.get(0) / 1000.0,
        sorted.get(19) / 1000.0,
        micros.get(0) / 1000.0,
        back / 1000.0);
  }

  // ---------------------------------------------------------------- 3. relay

  @Test
  void editsAreRelayedThroughAMemberBothWays() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    SyncNode c = node();
    Space space = a.store.createSpace("Chain");
    PageSummary p = a.store.createPage(space.id(), "Shared", "from A", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    a.store.addMember(space.id(), c.id(), Role.EDITOR);
    c.policy.accept(b.id(), space.id()); // C joined through B's invite
    b.dial(a);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));
    c.dial(b);
    await("C has the page through B", () -> sameBody(a.store, c.store, p.id()));
    assertTrue(a.host.connectionManager().connections(c.id()).isEmpty(), "A and C not connected");

    a.store.splice(p.id(), 6, 0, ", edited");
    await("A's edit reaches C", () -> sameBody(a.store, c.store, p.id()));
    assertEquals("from A, edited", c.store.page(p.id()).body());

    PageSummary fromC = c.store.createPage(space.id(), "Made by C", "hello A", Optional.empty());
    await("C's new page reaches A", () -> sameBody(a.store, c.store, fromC.id()));
    assertEquals("Made by C", a.store.page(fromC.id()).title());
    assertEquals(2, a.store.pageCount(space.id()));
  }

  // ---------------------------------------------------------------- 4. offline merge

  @Test
  void editsMadeApartMergeOnReconnectWithoutLoss() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Apart");
    PageSummary p =
        a.store.createPage(space.id(), "Harvest", "line one\nline two\n", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));

    for (Connection conn : b.host.connectionManager().connections(a.id())) {
      conn.close();
    }
    await("both sessions ended", () -> !a.sync.hasSession(b.id()) && !b.sync.hasSession(a.id()));
    a.store.splice(p.id(), 0, 0, "A1 ");
    b.store.splice(p.id(), 17, 0, " B1");
    a.store.splice(p.id(), 11, 0, "[a]"); // right after "line one" on both sides
    b.store.splice(p.id(), 8, 0, "[b]");
    PageSummary fromB = b.store.createPage(space.id(), "Seeds", "from B", Optional.empty());
    PageSummary fromA = a.store.createPage(space.id(), "Tools", "from A", Optional.empty());
    assertFalse(sameBody(a.store, b.store, p.id()));

    b.dial(a);
    await("the page converges", () -> sameBody(a.store, b.store, p.id()));
    await("B's page reaches A", () -> sameBody(a.store, b.store, fromB.id()));
    await("A's page reaches B", () -> sameBody(a.store, b.store, fromA.id()));
    String merged = a.store.page(p.id()).body();
    for (String piece : List.of("A1 ", " B1", "[a]", "[b]", "line one", "line two")) {
      assertTrue(merged.contains(piece), piece + " survived in " + merged);
    }
    await("both list 3 pages", () -> b.store.pageCount(space.id()) == 3);
    assertEquals(3, a.store.pageCount(space.id()));
  }

  @Test
  @Timeout(240)
  void aSyncMessageLargerThanAFrameArrivesInParts() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Big");
    PageSummary p = a.store.createPage(space.id(), "Notes", "start\n", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);
    b.dial(a);
    await("B has the page", () -> sameBody(a.store, b.store, p.id()));
    for (Connection conn : b.host.connectionManager().connections(a.id())) {
      conn.close();
    }
    await("both sessions ended", () -> !a.sync.hasSession(b.id()) && !b.sync.hasSession(a.id()));
    // Written apart: 1.1 million characters, a sync message of ~1.1 MB (more than a frame).
    java.util.Random random = new java.util.Random(7);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
    StringBuilder big = new StringBuilder(1_100_000);
    for (int i = 0; i < 1_100_000; i++) {
      big.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    a.store.splice(p.id(), 6, 0, big.toString());
    b.dial(a);
    long end = System.nanoTime() + 180_000_000_000L; // Automerge alone needs seconds for this
    while (b.store.page(p.id()).body().length() != 1_100_006) {
      if (System.nanoTime() >= end) {
        dumpThreads("aSyncMessageLargerThanAFrameArrivesInParts");
      }
      assertTrue(
          System.nanoTime() < end,
          "timed out waiting until the big edit reaches B (sessions: A "
              + a.sync.hasSession(b.id())
              + ", B "
              + b.sync.hasSession(a.id())
              + "; threads dumped under target/)");
      Thread.sleep(200);
    }
    assertEquals(a.store.page(p.id()).body(), b.store.page(p.id()).body());
  }

  /**
   * Writes every thread's stack, virtual threads (the sync sessions') included, to {@code
   * target/threads-NAME.txt}: what a stalled sync was waiting for.
   */
  private static void dumpThreads(String name) throws IOException {
    Path out = Path.of("target", "threads-" + name + ".txt").toAbsolutePath();
    Files.deleteIfExists(out);
    java.lang.management.ManagementFactory.getPlatformMXBean(
            com.sun.management.HotSpotDiagnosticMXBean.class)
        .dumpThreads(
            out.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
  }

  // ---------------------------------------------------------------- 5. malicious peers

  /** A committed Automerge crasher (crdt-store's test resources; never skipped). */
  private static byte[] crasher(String name) {
    return org.dure.store.sync.Crashers.bytes(name);
  }

  /** Reads (and drops) frames until the victim resets the stream. */
  private static void expectReset(Stream s) {
    s.setReadTimeout(WAIT_MS);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              while (SyncFrameCodec.read(s.inputStream()) != null) {
                // frames the victim sent before it noticed
              }
              throw new AssertionError("the stream ended without a reset");
            });
    assertInstanceOf(StreamResetException.class, e, e.toString());
  }

  /** Opens a sync stream and waits for the victim's HELLO (its offer is then in effect). */
  private static Stream openAfterHello(Connection conn) throws IOException {
    Stream s = conn.newStream(SyncService.PROTOCOL);
    s.setReadTimeout(WAIT_MS);
    assertInstanceOf(SyncFrame.Hello.class, SyncFrameCodec.read(s.inputStream()));
    return s;
  }

  @Test
  void maliciousPeersAreResetAndBlockedWhileAGoodPeerKeepsSyncing() throws Exception {
    SyncNode victim = node(true); // snapshots from peers go through the child-process sandbox
    SyncNode good = node();
    Host bad1 = rawHost();
    Host bad2 = rawHost();
    Space space = victim.store.createSpace("Target");
    PageSummary p = victim.store.createPage(space.id(), "Page", "hello", Optional.empty());
    victim.share(space.id(), good, Role.EDITOR);
    victim.store.addMember(space.id(), bad1.peerId(), Role.EDITOR);
    victim.store.addMember(space.id(), bad2.peerId(), Role.EDITOR);
    SpaceId offered = SpaceId.random(); // what bad2 offers and the victim accepts from it
    victim.policy.accept(bad2.peerId(), offered);
    List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> blocked = new java.util.concurrent.CopyOnWriteArrayList<>();
    victim.sync.addListener(
        new SyncListener() {
          @Override
          public void sessionEnded(PeerId peer, String reason) {
            ended.add(reason);
          }

          @Override
          public void peerBlocked(PeerId peer, String reason) {
            blocked.add(peer.toString());
          }
        });
    good.dial(victim);
    await("the good peer has the page", () -> sameBody(victim.store, good.store, p.id()));

    // bad1: an oversized frame length, an unknown frame type, garbage as a sync message.
    Connection c1 = bad1.dial(victim.address());
    Stream s = c1.newStream(SyncService.PROTOCOL);
    s.outputStream().write(UnsignedVarint.encode(SyncFrameCodec.MAX_FRAME + 1L));
    s.outputStream().write(new byte[64]);
    expectReset(s);
    s = c1.newStream(SyncService.PROTOCOL);
    s.outputStream().write(new byte[] {3, 0x7F, 1, 2});
    expectReset(s);
    assertEquals(2, victim.sync.failures(bad1.peerId()));
    good.store.splice(p.id(), 5, 0, " meanwhile");
    await("syncing goes on", () -> sameBody(victim.store, good.store, p.id()));
    s = openAfterHello(c1);
    send(s, new SyncFrame.Hello(1, List.of(space.id())));
    send(s, new SyncFrame.Sync(p.id().value(), "garbage, not Automerge".getBytes()));
    expectReset(s);
    await("bad1 is blocked", () -> victim.store.blockedPeers().containsKey(bad1.peerId()));
    await("bad1's connection is closed", () -> !c1.isOpen());
    assertThrows(
        IOException.class, () -> bad1.dial(victim.address()).newStream(SyncService.PROTOCOL));

    // bad2: the Automerge crashers: two as sync messages, one as a snapshot the victim asked for.
    byte[] syncmsg = crasher("syncmsg.bin");
    byte[] changes = crasher("changes.bin");
    byte[] load = crasher("load.bin");
    Connection c2 = bad2.dial(victim.address());
    for (byte[] crasher : List.of(syncmsg, changes)) {
      s = openAfterHello(c2);
      send(s, new SyncFrame.Hello(1, List.of(space.id())));
      send(s, new SyncFrame.Sync(p.id().value(), crasher));
      expectReset(s);
    }
    victim.store.splice(p.id(), 0, 0, "still ");
    await("syncing goes on", () -> sameBody(victim.store, good.store, p.id()));
    s = openAfterHello(c2);
    send(s, new SyncFrame.Hello(1, List.of(offered)));
    SyncFrame f;
    do {
      f = SyncFrameCodec.read(s.inputStream());
    } while (!(f instanceof SyncFrame.Need));
    assertEquals(new SyncFrame.Need(offered.value(), offered, DocumentRef.Kind.SPACE), f);
    send(
        s,
        new SyncFrame.Snapshot(
            offered.value(), offered, DocumentRef.Kind.SPACE, load.length, 0, load));
    expectReset(s);
    await("bad2 is blocked", () -> victim.store.blockedPeers().containsKey(bad2.peerId()));
    await("bad2's connection is closed", () -> !c2.isOpen());
    assertTrue(victim.store.sync().document(offered.value()).isEmpty());

    System.out.println("reasons the victim gave: " + ended);
    await("both were reported blocked", () -> blocked.size() == 2);
    assertEquals(List.of(bad1.peerId().toString(), bad2.peerId().toString()), blocked);
    List<String> expected =
        List.of(
            "frame length 1048577",
            "unknown frame type 0x7f",
            "bad sync message",
            "bad sync message",
            "bad sync message",
            "bad snapshot");
    for (int i = 0; i < expected.size(); i++) {
      String want = expected.get(i);
      assertTrue(
          ended.stream().filter(r -> r.contains(want)).count()
              >= expected.stream().filter(want::equals).count(),
          want + " among " + ended);
    }

    // The victim is alive and still syncing both ways.
    good.store.splice(p.id(), 0, 0, "and ");
    await("the good peer's edit arrives", () -> sameBody(victim.store, good.store, p.id()));
    assertEquals("and still hello meanwhile", victim.store.page(p.id()).body());
    assertTrue(victim.sync.hasSession(good.id()));
    assertFalse(victim.store.blockedPeers().containsKey(good.id()));
  }
}
