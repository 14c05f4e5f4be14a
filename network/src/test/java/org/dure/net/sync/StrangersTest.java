package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.identity.Identity;
import org.dure.net.Await;
import org.dure.net.StreamResetException;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that send what they were never offered, or start transfers and stall, attacking real nodes
 * (hosts on 127.0.0.1 over TCP + Noise + Yamux, real stores) from scripted hosts.
 */
@Timeout(60)
class StrangersTest {
  private static final long WAIT_MS = 10_000;
  private static final int CHUNK = SyncFrameCodec.MAX_CHUNK;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nodes;

  private SyncNode node(SyncConfig config) throws IOException {
    SyncNode n = new SyncNode(dir.resolve("node" + nodes++), false, config);
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

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofMillis(WAIT_MS), done);
  }

  static void send(Stream s, SyncFrame f) throws IOException {
    s.outputStream().write(SyncFrameCodec.encode(f));
    s.outputStream().flush();
  }

  /** Reads (and drops) frames until the victim resets the stream. */
  static void expectReset(Stream s) {
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

  /** Opens a sync stream, waits for the victim's HELLO and answers with {@code spaces}. */
  static Stream openSession(Connection conn, List<SpaceId> spaces) throws IOException {
    Stream s = conn.newStream(SyncService.PROTOCOL);
    s.setReadTimeout(WAIT_MS);
    assertInstanceOf(SyncFrame.Hello.class, SyncFrameCodec.read(s.inputStream()));
    send(s, new SyncFrame.Hello(1, spaces));
    return s;
  }

  static byte[] chunk(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }

  private static Optional<String> body(WikiStore s, PageId id) {
    try {
      return Optional.of(s.page(id).body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Test
  void aStrangersTransfersAreRefusedAtTheirFirstFrame() throws Exception {
    SyncNode victim = node(SyncConfig.defaults());
    Space space = victim.store.createSpace("Mine");
    PageSummary page = victim.store.createPage(space.id(), "P", "text", Optional.empty());
    Host stranger = rawHost();
    Connection c = stranger.dial(victim.address());

    // A SYNC_PART for a random id, declaring 16 MiB.
    Stream s = openSession(c, List.of());
    send(s, new SyncFrame.SyncPart(SpaceId.random().value(), 16 << 20, 0, chunk(CHUNK)));
    expectReset(s);
    assertEquals(1, victim.sync.failures(stranger.peerId()));
    assertEquals(0, victim.sync.bufferedBytes());

    // A snapshot of a document held here, of a space the stranger is not offered (but names).
    s = openSession(c, List.of(space.id()));
    send(
        s,
        new SyncFrame.Snapshot(
            page.id().value(), space.id(), DocumentRef.Kind.PAGE, 2L * CHUNK, 0, chunk(CHUNK)));
    expectReset(s);
    assertEquals(2, victim.sync.failures(stranger.peerId()));

    // Attestations about the space's index.
    s = openSession(c, List.of());
    org.dure.store.sync.Attestation att =
        new org.dure.store.sync.Attestation(
            space.id().value(), new byte[40], 1, new byte[32], 1, "", new byte[64]);
    send(s, new SyncFrame.Attest(space.id().value(), List.of(att)));
    expectReset(s);
    await(
        "the stranger is blocked",
        () -> victim.store.blockedPeers().containsKey(stranger.peerId()));
    assertEquals(0, victim.sync.bufferedBytes());
  }

  @Test
  void aMembersSyncPartAboutADocumentItMaySendIsKeptAndAnUnknownOneFollowedOnly() throws Exception {
    SyncNode victim = node(SyncConfig.defaults());
    Space space = victim.store.createSpace("Ours");
    PageSummary page = victim.store.createPage(space.id(), "P", "text", Optional.empty());
    Host member = rawHost();
    victim.store.addMember(space.id(), member.peerId(), Role.EDITOR);
    Stream s = openSession(member.dial(victim.address()), List.of(space.id()));

    // About a document it has not heard of (e.g. a page relayed before its index): not buffered.
    String unknown = SpaceId.random().value();
    send(s, new SyncFrame.SyncPart(unknown, 4L * CHUNK, 0, chunk(CHUNK)));
    // About a page of the shared space: kept, its declared total reserved.
    send(s, new SyncFrame.SyncPart(page.id().value(), 4L * CHUNK, 0, chunk(CHUNK)));
    await("the page's message is reserved", () -> victim.sync.bufferedBytes() == 4L * CHUNK);
    send(s, new SyncFrame.SyncPart(unknown, 4L * CHUNK, CHUNK, chunk(CHUNK)));
    send(s, new SyncFrame.SyncPart(unknown, 4L * CHUNK, 2L * CHUNK, chunk(CHUNK)));
    send(s, new SyncFrame.SyncPart(unknown, 4L * CHUNK, 3L * CHUNK, chunk(CHUNK)));
    Thread.sleep(200);
    assertEquals(4L * CHUNK, victim.sync.bufferedBytes(), "only the page's message is held");
    assertEquals(0, victim.sync.failures(member.peerId()));
    assertTrue(victim.sync.hasSession(member.peerId()));
    // Out of order: a protocol error, and what was reserved is released.
    send(s, new SyncFrame.SyncPart(page.id().value(), 4L * CHUNK, 2L * CHUNK, chunk(CHUNK)));
    expectReset(s);
    assertEquals(1, victim.sync.failures(member.peerId()));
    await("the reservation is released", () -> victim.sync.bufferedBytes() == 0);
  }

  @Test
  void aTransferOverThePeersCapEndsTheSessionWithoutPenalty() throws Exception {
    SyncNode victim = node(SyncConfig.defaults().withBuffered(8L * CHUNK, 32L * CHUNK));
    Space space = victim.store.createSpace("Ours");
    PageSummary page = victim.store.createPage(space.id(), "P", "text", Optional.empty());
    Host member = rawHost();
    victim.store.addMember(space.id(), member.peerId(), Role.EDITOR);
    Stream s = openSession(member.dial(victim.address()), List.of(space.id()));
    send(s, new SyncFrame.SyncPart(page.id().value(), 12L * CHUNK, 0, chunk(CHUNK)));
    expectReset(s);
    assertEquals(0, victim.sync.failures(member.peerId()), "overload is not misbehaviour");
    assertEquals(0, victim.sync.bufferedBytes());
  }

  @Test
  void aStalledSnapshotIsDroppedThePeerPenalisedAndAnotherMemberAsked() throws Exception {
    SyncConfig config = SyncConfig.defaults().withStallTimeout(Duration.ofSeconds(1));
    SyncNode joiner = node(config);
    SyncNode member = node(config);
    Space space = member.store.createSpace("Shared");
    PageSummary page = member.store.createPage(space.id(), "Plan", "the plan", Optional.empty());
    // The member lists the joiner, but the joiner accepted the space from the staller's invite.
    member.store.addMember(space.id(), joiner.id(), Role.EDITOR);
    joiner.dial(member);
    await("the joiner heard the member's offer", () -> member.sync.hasSession(joiner.id()));
    Host staller = rawHost();
    joiner.policy.accept(staller.peerId(), space.id());

    Stream s = openSession(staller.dial(joiner.address()), List.of(space.id()));
    SyncFrame f;
    do {
      f = SyncFrameCodec.read(s.inputStream());
    } while (!(f instanceof SyncFrame.Need));
    assertEquals(new SyncFrame.Need(space.id().value(), space.id(), DocumentRef.Kind.SPACE), f);
    send(
        s,
        new SyncFrame.Snapshot(
            space.id().value(), space.id(), DocumentRef.Kind.SPACE, 2L * CHUNK, 0, chunk(CHUNK)));
    await("the snapshot is reserved", () -> joiner.sync.bufferedBytes() == 2L * CHUNK);
    long started = System.nanoTime();
    expectReset(s); // ... and then nothing more
    long waited = (System.nanoTime() - started) / 1_000_000;
    assertTrue(waited >= 500, "reset after " + waited + " ms, before the stall timeout");
    assertEquals(1, joiner.sync.failures(staller.peerId()));
    assertEquals(0, joiner.sync.bufferedBytes());
    await(
        "the other member delivered the space and its page",
        () -> body(joiner.store, page.id()).equals(Optional.of("the plan")));
  }

  @Test
  void helloFloodsArePenalised() throws Exception {
    SyncNode victim = node(SyncConfig.defaults());
    Host peer = rawHost();
    Connection c = peer.dial(victim.address());
    Stream s = openSession(c, List.of()); // one HELLO
    for (int i = 0; i < 16; i++) {
      send(s, new SyncFrame.Hello(1, List.of())); // sixteen more at once: one too many
    }
    expectReset(s);
    assertEquals(1, victim.sync.failures(peer.peerId()));
    List<SpaceId> unknown = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      unknown.add(SpaceId.random());
    }
    s = openSession(c, unknown.subList(0, 64));
    send(s, new SyncFrame.Hello(1, unknown.subList(0, 64)));
    Thread.sleep(200);
    assertTrue(victim.sync.hasSession(peer.peerId()), "64 spaces it shares with nobody: allowed");
    send(s, new SyncFrame.Hello(1, unknown));
    expectReset(s);
    assertEquals(2, victim.sync.failures(peer.peerId()));
  }

  /**
   * The outsider attack: from a host that shares nothing, four SYNC_PARTs each declaring 16 MiB for
   * random ids, then a HELLO flood from fresh identities; meanwhile two members keep syncing. Each
   * stream is reset at its first frame, nothing is buffered, and the heap stays bounded.
   */
  @Test
  @Timeout(180)
  void anOutsiderCannotExhaustANodeWhileMembersKeepSyncing() throws Exception {
    SyncNode victim = node(SyncConfig.defaults());
    SyncNode member = node(SyncConfig.defaults());
    Space space = victim.store.createSpace("Village");
    PageSummary page = victim.store.createPage(space.id(), "News", "quiet", Optional.empty());
    victim.share(space.id(), member, Role.EDITOR);
    member.dial(victim);
    await("the member has the page", () -> body(member.store, page.id()).isPresent());

    java.lang.management.MemoryMXBean heap =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = heap.getHeapMemoryUsage().getUsed();
    long[] maxBuffered = new long[1];
    java.util.concurrent.atomic.AtomicBoolean attacking =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (attacking.get()) {
                    maxBuffered[0] = Math.max(maxBuffered[0], victim.sync.bufferedBytes());
                    Thread.onSpinWait();
                  }
                });

    // Four 16 MiB SYNC_PARTs for random ids: each stream is reset at its first frame and penalised;
    // at the third the outsider is blocked, so the fourth finds its connection closed.
    Host outsider = rawHost();
    Connection c = outsider.dial(victim.address());
    for (int i = 0; i < 4; i++) {
      if (i == 3) {
        await("the outsider is blocked", () -> !c.isOpen());
        assertThrows(IOException.class, () -> c.newStream(SyncService.PROTOCOL));
        break;
      }
      Stream s = openSession(c, List.of());
      send(s, new SyncFrame.SyncPart(SpaceId.random().value(), 16 << 20, 0, chunk(CHUNK)));
      expectReset(s);
      if (i == 1) {
        member.store.splice(page.id(), 0, 0, "meanwhile: ");
      }
    }
    assertTrue(victim.store.blockedPeers().containsKey(outsider.peerId()), "blocked after three");

    // A HELLO flood from fresh identities: each is reset and penalised at its first excess HELLO;
    // past 120 new connections a minute from 127.0.0.1 the victim refuses them before their
    // handshake.
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 220; i++) {
      Host fresh =
          Host.builder().identity(Identity.ephemeral().keyPair()).ioThreads(1).build().start();
      try {
        Connection fc;
        try {
          fc = fresh.dial(victim.address());
        } catch (IOException e) {
          refused++;
          continue;
        }
        Stream s;
        try {
          s = openSession(fc, List.of());
        } catch (IOException e) {
          refused++; // closed by the per-IP limit right after the handshake
          continue;
        }
        accepted++;
        for (int h = 0; h < 17; h++) {
          send(s, new SyncFrame.Hello(1, List.of(SpaceId.random())));
        }
        expectReset(s);
      } finally {
        fresh.stop();
      }
    }
    attacking.set(false);
    sampler.join();
    assertTrue(accepted >= 100, accepted + " fresh identities got a session");
    assertTrue(refused >= 30, refused + " refused by the per-IP limit");
    assertTrue(accepted <= 180, accepted + " fresh identities got a session");
    assertEquals(0, maxBuffered[0], "nothing of the outsider's was ever buffered");

    // The members kept syncing: the edit made during the attack arrived, and one made now does.
    await(
        "the member's edit arrived",
        () -> body(victim.store, page.id()).equals(Optional.of("meanwhile: quiet")));
    victim.store.splice(page.id(), 0, 0, "after: ");
    await(
        "the victim's edit reaches the member",
        () -> body(member.store, page.id()).equals(Optional.of("after: meanwhile: quiet")));
    assertTrue(victim.sync.hasSession(member.id()));
    assertEquals(0, victim.sync.failures(member.id()));

    System.gc();
    long after = heap.getHeapMemoryUsage().getUsed();
    System.out.println(
        "heap before the attack " + (before >> 20) + " MiB, after " + (after >> 20) + " MiB");
    assertTrue(
        after - before < 64L << 20,
        "the heap grew by " + ((after - before) >> 20) + " MiB during the attack");
  }
}
