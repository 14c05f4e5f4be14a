package org.dure.net.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.dure.net.Await;
import org.dure.net.host.Stream;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs between real nodes over TCP, Noise and Yamux on loopback: a blob fetched from two members
 * at once while one sends a corrupt chunk, a non-member refused, a fetch that resumes after a
 * broken stream.
 */
@Timeout(90)
class BlobServiceTest {
  private static final int CHUNK = BlobManifest.CHUNK_SIZE;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nodes;

  private BlobNode node(BlobConfig config) throws IOException {
    BlobNode n = new BlobNode(dir.resolve("node" + nodes++), config);
    open.add(n);
    return n;
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(20), done);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static boolean offers(BlobNode holder, SpaceId space, BlobNode member) {
    return holder.store.sync().spacesSharedWith(member.id()).contains(space);
  }

  /**
   * B owns space "village" with members A and C; B and C hold the blob for it. C has been altered
   * to send every chunk with one bit flipped (an adversary, answering through the real stack with
   * the real codec).
   */
  @Test
  void aBlobComesFromTwoMembersAtOnceAndACorruptSenderIsPenalised() throws Exception {
    BlobConfig config = BlobConfig.defaults().withWindow(2);
    BlobNode a = node(config);
    BlobNode b = node(config);
    BlobNode c = node(config);
    SpaceId village = b.store.createSpace("village").id();
    b.share(village, a);
    b.share(village, c);
    b.host.dial(a.host.listenAddresses().get(0));
    b.host.dial(c.host.listenAddresses().get(0));
    await("C holds the village's membership", () -> offers(c, village, a));
    a.host.dial(c.host.listenAddresses().get(0)); // A fetches from the members it is connected to

    byte[] data = random(24 * CHUNK + 123);
    BlobManifest m =
        b.blobs.put(
            "harvest.bin",
            "application/octet-stream",
            new ByteArrayInputStream(data),
            village.value());
    c.blobs.put(
        "harvest.bin", "application/octet-stream", new ByteArrayInputStream(data), village.value());
    BlobHash root = m.root();

    AtomicInteger corruptSent = new AtomicInteger();
    BlobSource honest = sourceOf(c);
    BlobSource corrupt =
        new BlobSource() {
          @Override
          public java.util.Optional<byte[]> manifest(BlobHash r) throws IOException {
            return honest.manifest(r);
          }

          @Override
          public java.util.Optional<byte[]> chunk(BlobHash r, int index) throws IOException {
            return honest
                .chunk(r, index)
                .map(
                    d -> {
                      byte[] bad = d.clone();
                      bad[d.length / 2] ^= 1;
                      corruptSent.incrementAndGet();
                      return bad;
                    });
          }

          @Override
          public java.util.Set<SpaceId> spaces(BlobHash r) throws IOException {
            return honest.spaces(r);
          }
        };
    c.host.setHandler(
        BlobService.PROTOCOL,
        s -> serve(s, new BlobServerEngine(s.remotePeer(), corrupt, (p, sp) -> true, 1000)));

    List<long[]> progress = Collections.synchronizedList(new ArrayList<>());
    BlobService.Result r =
        a.service.fetch(
            root,
            village,
            List.of(b.id(), c.id()),
            (done, total) -> progress.add(new long[] {done, total}));

    assertTrue(r.complete(), r.problem());
    try (InputStream in = a.blobs.open(root)) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertTrue(corruptSent.get() >= 1, "C was asked for chunks at once with B");
    assertEquals(1, a.sync.failures(c.id()), "C's wrong chunk counted against it");
    assertEquals(0, a.sync.failures(b.id()));
    assertEquals(data.length, progress.get(progress.size() - 1)[0]);
    assertEquals(java.util.Set.of(village.value()), a.blobs.spaces(root));
  }

  @Test
  void aNonMemberIsRefusedTheBlob() throws Exception {
    BlobNode b = node(BlobConfig.defaults());
    BlobNode stranger = node(BlobConfig.defaults());
    SpaceId village = b.store.createSpace("village").id();
    BlobManifest m =
        b.blobs.put(
            "secret.txt", "text/plain", new ByteArrayInputStream(random(1000)), village.value());
    stranger.host.dial(b.host.listenAddresses().get(0));

    BlobService.Result r =
        stranger.service.fetch(m.root(), SpaceId.random(), List.of(b.id()), (d, t) -> {});
    assertFalse(r.complete());
    assertTrue(r.manifest().isEmpty());
    assertTrue(stranger.blobs.blobs().isEmpty());

    // Asked directly, frame by frame: refused, whether or not B has it.
    try (Stream s = stranger.host.newStream(b.id(), BlobService.PROTOCOL)) {
      s.writeMessage(BlobFrameCodec.encode(new BlobFrame.GetChunk(m.root(), 0)));
      assertEquals(
          new BlobFrame.Refused(m.root(), 0, BlobFrame.Reason.NOT_ALLOWED),
          BlobFrameCodec.decode(s.readMessage(BlobFrameCodec.MAX_FRAME)));
    }
  }

  @Test
  void aFetchResumesAfterTheStreamBreaks() throws Exception {
    BlobConfig config =
        new BlobConfig(2, 8, Duration.ofSeconds(10), 2, Duration.ofMillis(50), 1000);
    BlobNode a = node(config);
    BlobNode b = node(config);
    SpaceId village = b.store.createSpace("village").id();
    b.share(village, a);
    b.host.dial(a.host.listenAddresses().get(0));
    byte[] data = random(6 * CHUNK);
    BlobManifest m =
        b.blobs.put(
            "f.bin", "application/octet-stream", new ByteArrayInputStream(data), village.value());
    // B's first stream breaks after three answers; the next ones are served in full.
    AtomicInteger streams = new AtomicInteger();
    BlobSource source = sourceOf(b);
    b.host.setHandler(
        BlobService.PROTOCOL,
        s -> {
          int limit = streams.getAndIncrement() == 0 ? 3 : Integer.MAX_VALUE;
          serveUpTo(s, new BlobServerEngine(s.remotePeer(), source, (p, sp) -> true, 1000), limit);
        });

    BlobService.Result r = a.service.fetch(m.root(), village, List.of(b.id()), (d, t) -> {});
    assertTrue(r.complete(), r.problem());
    assertTrue(streams.get() >= 2);
    try (InputStream in = a.blobs.open(m.root())) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(0, a.sync.failures(b.id()));
  }

  @Test
  void aPageOfAnotherSpaceNamingABlobHeldHereDoesNotShareIt() throws Exception {
    BlobNode a = node(BlobConfig.defaults());
    SpaceId secret = a.store.createSpace("secret").id();
    SpaceId open = a.store.createSpace("open").id();
    BlobManifest m =
        a.blobs.put("plan.txt", "text/plain", new ByteArrayInputStream(random(10)), secret.value());
    BlobService.Result r = a.service.fetch(m.root(), open, List.of(), (d, t) -> {});
    assertTrue(r.complete());
    assertEquals(java.util.Set.of(secret.value()), a.blobs.spaces(m.root()));
  }

  /** A PNG whose IHDR declares {@code w}×{@code h} pixels: a 100-byte decompression bomb. */
  private static byte[] pngBomb(int w, int h) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 8 + 13 + 4 + 67);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put(new byte[] {8, 2});
    return b.array();
  }

  private static byte[] realPng() throws IOException {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /**
   * M, a member of the village, serves through the real stack a PNG whose header declares
   * 100000×100000 pixels and an attachment larger than A's limit (its own limit is higher). A
   * refuses both, keeps neither, remembers them refused (asked again, it asks nobody) and penalises
   * M for the bomb (not for the size: A's limit is A's own); a third bomb reaches the sync
   * service's limit, M is blocked and its connection closed. B's honest photo still arrives, from B
   * alone or from B and M at once.
   */
  @Test
  void aBombImageIsRefusedAndItsSenderPenalisedAnOversizedAttachmentRefused() throws Exception {
    BlobNode a = node(BlobConfig.defaults());
    BlobNode b = node(BlobConfig.defaults());
    BlobNode m = node(BlobConfig.defaults());
    SpaceId village = b.store.createSpace("village").id();
    b.share(village, a);
    b.share(village, m);
    b.host.dial(a.host.listenAddresses().get(0));
    b.host.dial(m.host.listenAddresses().get(0));
    await("M holds the village's membership", () -> offers(m, village, a));
    a.host.dial(m.host.listenAddresses().get(0));
    a.blobs.setMaxBlobBytes(1 << 20);

    byte[] photo = realPng();
    BlobManifest honest =
        b.blobs.put("photo.png", "image/png", new ByteArrayInputStream(photo), village.value());
    m.blobs.put("photo.png", "image/png", new ByteArrayInputStream(photo), village.value());
    BlobManifest bomb =
        m.blobs.put(
            "cat.png",
            "image/png",
            new ByteArrayInputStream(pngBomb(100_000, 100_000)),
            village.value());
    BlobManifest big =
        m.blobs.put(
            "film.bin",
            "application/octet-stream",
            new ByteArrayInputStream(random(5 * CHUNK)),
            village.value());

    BlobService.Result r =
        a.service.fetch(bomb.root(), village, List.of(b.id(), m.id()), (d, t) -> {});
    assertFalse(r.complete());
    assertTrue(
        r.problem().startsWith(BlobService.REFUSED) && r.problem().contains("100000×100000"),
        r.problem());
    assertTrue(a.blobs.blobs().isEmpty(), "nothing of the bomb kept");
    assertTrue(a.blobs.refusal(bomb.root()).orElseThrow().image());
    assertEquals(1, a.sync.failures(m.id()));
    assertEquals(0, a.sync.failures(b.id()), "B had nothing of it");

    r = a.service.fetch(big.root(), village, List.of(m.id()), (d, t) -> {});
    assertFalse(r.complete());
    assertTrue(r.manifest().isEmpty());
    assertTrue(a.blobs.blobs().isEmpty(), "not even its manifest kept");
    assertTrue(a.blobs.refusal(big.root()).isPresent());
    assertEquals(1, a.sync.failures(m.id()), "a size over A's own limit is no fault of M's");

    // Both remembered: asked again, A asks nobody (M's count stays).
    for (BlobManifest again : List.of(bomb, big)) {
      r = a.service.fetch(again.root(), village, List.of(m.id()), (d, t) -> {});
      assertTrue(r.problem().startsWith(BlobService.REFUSED), r.problem());
    }
    assertEquals(1, a.sync.failures(m.id()));

    // Honest attachments still arrive, M taking part.
    r = a.service.fetch(honest.root(), village, List.of(b.id(), m.id()), (d, t) -> {});
    assertTrue(r.complete(), r.problem());
    try (InputStream in = a.blobs.open(honest.root())) {
      assertArrayEquals(photo, in.readAllBytes());
    }

    // Two more bombs within the window: M is blocked and its connection to A closed.
    BlobManifest bomb1 =
        m.blobs.put(
            "owl.png", "image/png", new ByteArrayInputStream(pngBomb(2, 16_001)), village.value());
    r = a.service.fetch(bomb1.root(), village, List.of(m.id()), (d, t) -> {});
    assertFalse(r.complete());
    assertEquals(2, a.sync.failures(m.id()));
    BlobManifest bomb2 =
        m.blobs.put(
            "dog.png", "image/png", new ByteArrayInputStream(pngBomb(16_001, 2)), village.value());
    r = a.service.fetch(bomb2.root(), village, List.of(m.id()), (d, t) -> {});
    assertFalse(r.complete());
    assertTrue(a.store.blockedPeers().containsKey(m.id()), "M blocked");
    await("M's connection closed", () -> a.host.connectionManager().connections(m.id()).isEmpty());
    assertFalse(a.blobs.isComplete(bomb2.root()));

    // B still serves A: another honest attachment arrives.
    byte[] notes = random(2 * CHUNK + 5);
    BlobManifest file =
        b.blobs.put(
            "notes.bin",
            "application/octet-stream",
            new ByteArrayInputStream(notes),
            village.value());
    r = a.service.fetch(file.root(), village, List.of(b.id(), m.id()), (d, t) -> {});
    assertTrue(r.complete(), r.problem());
    assertEquals(0, a.sync.failures(b.id()));
  }

  private static BlobSource sourceOf(BlobNode n) {
    return new BlobSource() {
      @Override
      public java.util.Optional<byte[]> manifest(BlobHash r) throws IOException {
        return n.blobs.manifest(r).map(BlobManifest::encode);
      }

      @Override
      public java.util.Optional<byte[]> chunk(BlobHash r, int index) throws IOException {
        return n.blobs.readChunk(r, index);
      }

      @Override
      public java.util.Set<SpaceId> spaces(BlobHash r) throws IOException {
        java.util.Set<SpaceId> out = new java.util.HashSet<>();
        for (String s : n.blobs.spaces(r)) {
          out.add(new SpaceId(s));
        }
        return out;
      }
    };
  }

  private static void serve(Stream s, BlobServerEngine engine) {
    serveUpTo(s, engine, Integer.MAX_VALUE);
  }

  private static void serveUpTo(Stream s, BlobServerEngine engine, int answers) {
    try (s) {
      for (int i = 0; i < answers; i++) {
        byte[] in = s.readMessage(BlobFrameCodec.MAX_FRAME);
        if (in == null) {
          return;
        }
        s.writeMessage(BlobFrameCodec.encode(engine.answer(BlobFrameCodec.decode(in))));
      }
      s.reset();
    } catch (IOException e) {
      s.reset();
    }
  }
}
