package org.dure.moderation;

import static org.dure.moderation.TestNodes.await;
import static org.dure.moderation.TestNodes.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.net.StreamResetException;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.sync.SyncFrame;
import org.dure.net.sync.SyncFrameCodec;
import org.dure.net.sync.SyncService;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limits of {@link RateLimits} against real nodes (hosts on 127.0.0.1 over TCP + Noise +
 * Yamux, real stores): operations counted before Automerge, and the storage kept for others
 * counting the growth of documents already held.
 */
@Timeout(120)
class ResourceFloodsTest {
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

  private ModNode node() throws IOException {
    return nodes.node(false);
  }

  private static void send(Stream s, SyncFrame f) throws IOException {
    s.outputStream().write(SyncFrameCodec.encode(f));
    s.outputStream().flush();
  }

  private static void uleb(ByteArrayOutputStream out, long n) {
    do {
      int b = (int) (n & 0x7f);
      n >>>= 7;
      out.write(n != 0 ? b | 0x80 : b);
    } while (n != 0);
  }

  /** The change chunk {@code chunk} (type 1) as a compressed change chunk (type 2). */
  private static byte[] compressed(byte[] chunk) {
    assertEquals(1, chunk[8], "an uncompressed change chunk");
    int at = 9;
    long len = 0;
    for (int shift = 0; ; shift += 7) {
      int b = chunk[at++] & 0xff;
      len |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    java.util.zip.Deflater d = new java.util.zip.Deflater(9, true);
    d.setInput(chunk, at, (int) len);
    d.finish();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) {
      body.write(buf, 0, d.deflate(buf));
    }
    d.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(chunk, 0, 8); // magic, and the checksum of the uncompressed chunk
    out.write(2);
    uleb(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  @Test
  void aSmallChangeOfMillionsOfOperationsIsRefusedBeforeAutomergeSeesIt() throws Exception {
    ModNode victim = node();
    RateLimits limits =
        new RateLimits(
            ResourceSettings::defaults, new StorageForOthers(victim.store, clockOf()), clockOf());
    victim.sync.setQuota(limits);
    Space space = victim.store.createSpace("Village");
    PageSummary p = victim.store.createPage(space.id(), "Notes", "calm", Optional.empty());
    String pid = p.id().value();
    Host mallory =
        Host.builder()
            .identity(org.dure.identity.Identity.generateEd25519())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    nodes.closeLater(mallory);
    victim.moderator.setRole(space.id(), mallory.peerId(), Role.EDITOR);

    // Mallory inserts 1.2 million nulls into a list in one change: 1.2 million operations, a
    // change of a few dozen bytes (runs of like ops encode in a few bytes), compressed too.
    byte[] plain;
    Document doc = Document.load(victim.store.sync().snapshot(pid));
    try {
      ChangeHash[] before = doc.getHeads();
      var tx = doc.startTransaction();
      ObjectId list = tx.set(ObjectId.ROOT, "x", org.automerge.ObjectType.LIST);
      for (int i = 0; i < 1_200_000; i++) {
        tx.insert(list, i, org.automerge.NewValue.NULL);
      }
      tx.commit();
      plain = doc.encodeChangesSince(before);
    } finally {
      doc.free();
    }
    byte[] chunk = compressed(plain);
    assertTrue(plain.length < 1 << 20, "under the 1 MiB a change may be: " + plain.length);
    assertTrue(chunk.length < 50_000, chunk.length + " bytes");
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.writeBytes(new byte[] {0x42, 0, 0, 0, 1}); // no heads, needs or haves; one change
    uleb(msg, chunk.length);
    msg.writeBytes(chunk);

    Stream s = mallory.dial(victim.address()).newStream(SyncService.PROTOCOL);
    s.setReadTimeout(TestNodes.WAIT_MS);
    send(s, new SyncFrame.Hello(1, List.of(space.id())));
    while (!(SyncFrameCodec.read(s.inputStream()) instanceof SyncFrame.Hello)) {
      // nothing else comes before it
    }
    send(s, new SyncFrame.Sync(pid, msg.toByteArray()));
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              while (SyncFrameCodec.read(s.inputStream()) != null) {
                // what the victim sent before it read the change
              }
            });
    assertInstanceOf(StreamResetException.class, e, e.toString());
    assertEquals(1, victim.sync.failures(mallory.peerId()));
    assertEquals("limit.maxOpsPerChange", limits.events().get(0).limit());
    assertTrue(limits.events().get(0).refused());
    assertEquals(Optional.of("calm"), body(victim.store, p.id()));
  }

  private final MutableClock clock = new MutableClock();

  private java.time.Clock clockOf() {
    return clock;
  }

  @Test
  void growthOfDocumentsHeldForOthersCountsAgainstTheStorageCap() throws Exception {
    ModNode owner = node();
    ModNode holder = node();
    Space space = owner.store.createSpace("Theirs");
    PageSummary p = owner.store.createPage(space.id(), "Log", "start", Optional.empty());
    owner.share(space.id(), holder, Role.EDITOR);
    holder.dial(owner);
    await("the holder has the page", () -> body(holder.store, p.id()).isPresent());

    // What the holder keeps for the owner, measured from its store, plus a margin that puts it
    // 16 KiB under a 1 MiB cap: the page's growth alone crosses it.
    StorageForOthers measured = new StorageForOthers(holder.store, clock);
    long base = measured.bytes();
    assertTrue(base > 0, "the owner's space counts as held for others");
    AtomicLong margin = new AtomicLong((1 << 20) - base - (16 << 10));
    HeldForOthers held =
        new HeldForOthers() {
          @Override
          public boolean isMine(SpaceId s) {
            return measured.isMine(s);
          }

          @Override
          public long bytes() {
            return measured.bytes() + margin.get();
          }
        };
    ResourceSettings capped = ResourceSettings.fromMap(Map.of("cap.storageForOthersMiB", "1"));
    RateLimits limits = new RateLimits(() -> capped, held, clock);
    holder.sync.setQuota(limits);

    java.util.Random random = new java.util.Random(3);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    owner.store.splice(p.id(), 5, 0, text.toString());
    await(
        "the holder takes the change while under the cap",
        () -> body(holder.store, p.id()).map(b -> b.length() == 40_005).orElse(false));
    clock.advance(Duration.ofSeconds(10)); // the measurement is refreshed every 5 s
    assertTrue(
        measured.bytes() > base + (16 << 10),
        "the page's growth is counted: " + base + " -> " + measured.bytes());

    owner.store.splice(p.id(), 0, 0, "over the cap: ");
    await(
        "the holder records the cap",
        () -> limits.events().stream().anyMatch(e -> e.limit().equals("cap.storageForOthersMiB")));
    Thread.sleep(500);
    assertFalse(body(holder.store, p.id()).orElseThrow().startsWith("over the cap"));
    assertEquals(0, holder.sync.failures(owner.id()), "declined, not penalised");
    assertTrue(holder.sync.hasSession(owner.id()));
  }
}
