package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.dure.identity.PeerId;
import org.dure.net.blobs.BlobService;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobManifest;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Attachments between two real nodes, as the app wires them (moderation's policy included). */
@Timeout(60)
class AttachmentsTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void aMemberFetchesAnAttachmentOfAPageAndItsSettingsAreKept() throws Exception {
    byte[] photo = new byte[3 * BlobManifest.CHUNK_SIZE + 17];
    new Random(4).nextBytes(photo);
    withPngHeader(photo); // a PNG's header (what is checked) and random pixels
    SpaceId villageId;
    BlobManifest m;
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB);
        DureNode nodeA = DureNode.on(a, dirA).p2pPort(0).start();
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      Space village = a.createSpace("Village");
      villageId = village.id();
      m =
          nodeA
              .attachments()
              .put(
                  village.id(),
                  "C:\\photos\\harvest.png",
                  "Image/PNG; q=1",
                  new ByteArrayInputStream(photo));
      assertEquals("harvest.png", m.name());
      assertEquals("image/png", m.mediaType());
      String md = "See " + Attachments.markdownFor(m) + " and [[Other]]";
      assertEquals(List.of(m.root()), Attachments.refs(md));
      assertTrue(md.contains("![harvest.png](/attachments/" + m.root().hex() + ")"), md);

      // A stranger connected to A is refused, asking A directly.
      Path strangerDir = dirB.resolveSibling(dirB.getFileName() + "-s");
      try (WikiStore s = WikiStore.open(strangerDir);
          DureNode stranger = DureNode.on(s, strangerDir).p2pPort(0).start()) {
        stranger.peer().connect(address(nodeA));
        BlobService.Result refused =
            stranger
                .peer()
                .blobService()
                .fetch(m.root(), village.id(), List.of(a.identity().peerId()), (d, t) -> {});
        assertFalse(refused.complete());
        assertTrue(refused.manifest().isEmpty());
        assertTrue(stranger.attachments().blobs().blobs().isEmpty());
      }

      String link = nodeA.peer().createInvite(village.id(), Role.READER, Duration.ofDays(1));
      nodeB.peer().acceptInvite(link);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!isMember(b, village.id(), a.identity().peerId())) {
        assertTrue(System.nanoTime() < deadline, "B holds the village's membership");
        Thread.sleep(20);
      }
      assertEquals(List.of(m.root()), nodeB.attachments().missing(md));
      BlobService.Result r = nodeB.attachments().fetch(village.id(), m.root(), (d, t) -> {});
      assertTrue(r.complete(), r.problem());
      assertEquals(List.of(), nodeB.attachments().missing(md));
      try (InputStream in = nodeB.attachments().blobs().open(m.root())) {
        assertArrayEquals(photo, in.readAllBytes());
      }

      nodeB.attachments().setMaxMiB(7);
      nodeB.attachments().setKeepOffline(village.id(), true);
    }
    // The settings are the data directory's: a new node on it has them.
    try (WikiStore b = WikiStore.open(dirB);
        DureNode nodeB = DureNode.on(b, dirB).p2pPort(0).start()) {
      assertEquals(7L << 20, nodeB.attachments().maxBytes());
      assertTrue(nodeB.attachments().keepsOffline(villageId));
      assertTrue(nodeB.attachments().blobs().isComplete(m.root()));
    }
  }

  private static boolean isMember(WikiStore s, SpaceId space, PeerId owner) {
    try {
      return s.membership(space).owner().equals(owner);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String address(DureNode n) {
    return n.peer().status().addresses().stream()
        .filter(x -> x.startsWith("/ip4/127.0.0.1/"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void namesAndTypesFromABrowserAreMadeSafe() {
    assertEquals("evil.sh", Attachments.safeName("../../etc/evil.sh"));
    assertEquals("ab", Attachments.safeName("a\u0000b"));
    assertEquals("file", Attachments.safeName("  "));
    assertEquals("application/octet-stream", Attachments.mediaType("text/html<script>"));
    assertEquals("application/octet-stream", Attachments.mediaType(null));
    assertEquals("text/plain", Attachments.mediaType("text/plain; charset=UTF-8"));
    BlobManifest odd = new BlobManifest("a](javascript:x) [b", "text/plain", 0, List.of());
    assertEquals(
        "[a_(javascript:x) _b](/attachments/" + odd.root().hex() + ")",
        Attachments.markdownFor(odd));
  }

  /** Writes a PNG signature and an IHDR of 640×480 over the start of {@code b} (the rest stays). */
  static byte[] withPngHeader(byte[] b) {
    java.nio.ByteBuffer.wrap(b)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(13)
        .put(new byte[] {'I', 'H', 'D', 'R'})
        .putInt(640)
        .putInt(480);
    return b;
  }
}
