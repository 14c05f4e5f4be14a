package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.dure.moderation.StorageForOthers;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobCollector;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobRefusedException;
import org.dure.store.blob.BlobStore;
import org.dure.store.social.CraftedImages;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Trash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection of attachments no page refers to, on a fake clock, with a real store and blob
 * store: a reference removed by an edit, a page in the trash and then purged, a blob held for
 * others, a blob being fetched.
 */
class AttachmentGarbageTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private WikiStore store;
  private BlobStore blobs;
  private Attachments attachments;

  private void open() throws Exception {
    store = WikiStore.open(dir.resolve("store"), StoreOptions.defaults().withClock(clock));
    blobs = BlobStore.open(dir.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    attachments = new Attachments(store, blobs, null, dir, clock);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** An attachment a member uploaded, fetched here (as the blob service stores it). */
  private BlobManifest put(SpaceId space, int seed) throws Exception {
    byte[] b = new byte[BlobManifest.CHUNK_SIZE + seed];
    new Random(seed).nextBytes(b);
    return fetched(space.value(), "f" + seed + ".bin", b);
  }

  private BlobManifest fetched(String space, String name, byte[] bytes) throws Exception {
    BlobStore member =
        BlobStore.open(dir.resolve("member-" + name), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    BlobManifest m =
        member.put(name, "application/octet-stream", new ByteArrayInputStream(bytes), space);
    blobs.addManifest(m.root(), m.encode());
    for (int i = 0; i < m.chunks().size(); i++) {
      blobs.putChunk(m.root(), i, member.readChunk(m.root(), i).orElseThrow());
    }
    blobs.addSpace(m.root(), space);
    assertFalse(blobs.uploadedHere(m.root()));
    return m;
  }

  @Test
  void whatThisNodesUserPutInStaysAfterItsPageNoLongerRefersToIt() throws Exception {
    open();
    SpaceId space = store.createSpace("Village").id();
    byte[] b = new byte[100];
    new Random(9).nextBytes(b);
    BlobManifest mine =
        attachments.put(space, "mine.bin", "application/octet-stream", new ByteArrayInputStream(b));
    assertTrue(blobs.uploadedHere(mine.root()));
    PageSummary p =
        store.createPage(space, "Harvest", Attachments.markdownFor(mine), Optional.empty());
    attachments.collectGarbage();
    store.replaceText(p.id(), "no attachment now", Optional.empty());
    attachments.collectGarbage();
    clock.advance(BlobCollector.GRACE.multipliedBy(2));
    assertEquals(new Attachments.Collected(0, 0, 0), attachments.collectGarbage());
    assertTrue(here(mine), "the page's history refers to it; its uploader keeps it");
  }

  private boolean here(BlobManifest m) throws Exception {
    return blobs.isComplete(m.root());
  }

  @Test
  void unreferencedAttachmentsGoAfterTheirGracePeriodReferencedOnesStay() throws Exception {
    open();
    SpaceId space = store.createSpace("Village").id();
    BlobManifest kept = put(space, 1);
    BlobManifest edited = put(space, 2);
    BlobManifest trashed = put(space, 3);
    BlobManifest orphan = put(space, 4); // uploaded, never put into a page
    PageSummary p =
        store.createPage(
            space,
            "Harvest",
            Attachments.markdownFor(kept) + "\n" + Attachments.markdownFor(edited),
            Optional.empty());
    PageSummary q =
        store.createPage(space, "Old", Attachments.markdownFor(trashed), Optional.empty());

    Attachments.Collected c = attachments.collectGarbage();
    assertEquals(new Attachments.Collected(0, 0, 1), c);

    store.replaceText(p.id(), Attachments.markdownFor(kept), Optional.empty());
    store.wiki().pages().delete(q.id(), Optional.empty());
    clock.advance(Duration.ofDays(3));
    c = attachments.collectGarbage();
    assertEquals(0, c.deleted());
    assertEquals(2, c.unreferenced(), "the orphan and the edited-out one wait; the trash refers");

    clock.advance(Duration.ofDays(4)); // 7 days after the orphan was found
    long before = blobs.totalBytes();
    c = attachments.collectGarbage();
    assertEquals(1, c.deleted());
    assertFalse(here(orphan));
    assertTrue(here(edited), "3 days to go");
    assertEquals(before - blobs.totalBytes(), c.bytes());

    clock.advance(Duration.ofDays(3));
    assertEquals(1, attachments.collectGarbage().deleted());
    assertFalse(here(edited));
    assertTrue(here(kept));
    assertTrue(here(trashed), "a page in the trash can be restored: its attachments stay");

    // The page is purged from the trash 30 days after it was deleted; a week later its attachment.
    clock.advance(Trash.RETENTION);
    assertEquals(0, attachments.collectGarbage().deleted(), "purged now; marked");
    clock.advance(BlobCollector.GRACE);
    assertEquals(1, attachments.collectGarbage().deleted());
    assertFalse(here(trashed));
    assertTrue(here(kept));
  }

  @Test
  void aReferenceRestoredWithinTheGraceKeepsTheAttachment() throws Exception {
    open();
    SpaceId space = store.createSpace("Village").id();
    BlobManifest m = put(space, 5);
    PageSummary p = store.createPage(space, "P", Attachments.markdownFor(m), Optional.empty());
    store.replaceText(p.id(), "gone", Optional.empty());
    attachments.collectGarbage();
    clock.advance(Duration.ofDays(6));
    store.replaceText(p.id(), "back: " + Attachments.markdownFor(m), Optional.empty());
    attachments.collectGarbage();
    clock.advance(Duration.ofDays(30));
    assertEquals(0, attachments.collectGarbage().deleted());
    assertTrue(here(m));
  }

  @Test
  void anAttachmentBeingFetchedIsNeverCollected() throws Exception {
    open();
    SpaceId space = store.createSpace("Village").id();
    BlobManifest m = put(space, 6);
    attachments.collectGarbage();
    clock.advance(Duration.ofDays(8));
    assertTrue(attachments.claim(m.root()));
    assertEquals(0, attachments.collectGarbage().deleted());
    assertTrue(here(m));
    attachments.release(m.root());
    clock.advance(Duration.ofDays(8)); // its mark was cleared while it was fetched: counts afresh
    attachments.collectGarbage();
    clock.advance(BlobCollector.GRACE);
    assertEquals(1, attachments.collectGarbage().deleted());
  }

  @Test
  void storageHeldForOthersShrinksWhenTheirAttachmentsAreCollected() throws Exception {
    open();
    SpaceId theirs = SpaceId.random(); // a space this node's user does not own
    byte[] b = new byte[3 * BlobManifest.CHUNK_SIZE];
    new Random(7).nextBytes(b);
    BlobManifest m = fetched(theirs.value(), "their.bin", b);
    StorageForOthers storage = new StorageForOthers(store, clock);
    storage.countBlobs(blobs);
    attachments.afterCollection(() -> storage.countBlobs(blobs));
    long held = storage.bytes();
    long blobBytes = blobs.bytes(m.root());
    assertTrue(blobBytes >= b.length && held >= blobBytes, "held " + held);
    attachments.collectGarbage();
    clock.advance(BlobCollector.GRACE);
    assertEquals(1, attachments.collectGarbage().deleted());
    assertTrue(blobs.blobs().isEmpty());
    assertEquals(held - blobBytes, storage.bytes());
  }

  @Test
  void anUploadedImageOverThePixelLimitsIsNotTaken() throws Exception {
    open();
    SpaceId space = store.createSpace("Village").id();
    byte[] bomb = CraftedImages.pngClaiming(100_000, 100_000);
    BlobRefusedException e =
        assertThrows(
            BlobRefusedException.class,
            () -> attachments.put(space, "cat.png", "image/png", new ByteArrayInputStream(bomb)));
    assertTrue(e.getMessage().contains("100000×100000"), e.getMessage());
    assertTrue(blobs.blobs().isEmpty());
  }
}
