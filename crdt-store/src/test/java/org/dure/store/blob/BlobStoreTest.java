package org.dure.store.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  private static final int CHUNK = BlobManifest.CHUNK_SIZE;

  @TempDir Path tmp;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aPutBlobReadsBackWholeAndIsCutIntoChunksOfItsManifest() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    byte[] data = random(2 * CHUNK + 1000, 1);
    BlobManifest m = s.put("photo.png", "image/png", new ByteArrayInputStream(data), "space1");
    assertEquals(3, m.chunks().size());
    assertEquals(data.length, m.size());
    assertEquals(1000, m.chunkLength(2));
    assertEquals(BlobHash.of(Arrays.copyOfRange(data, CHUNK, 2 * CHUNK)), m.chunks().get(1));
    BlobHash root = m.root();
    assertTrue(s.isComplete(root));
    try (InputStream in = s.open(root)) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(Set.of("space1"), s.spaces(root));
    assertTrue(s.bytes(root) >= data.length);
  }

  @Test
  void theManifestEncodingIsCanonicalAndItsHashIsTheRoot() throws Exception {
    BlobManifest m =
        new BlobManifest("a b.txt", "text/plain", 5, List.of(BlobHash.of(new byte[] {1})));
    byte[] e = m.encode();
    assertEquals(m, BlobManifest.decode(e));
    assertEquals(BlobHash.of(e), m.root());
    byte[] longer = Arrays.copyOf(e, e.length + 1);
    assertThrows(BlobFormatException.class, () -> BlobManifest.decode(longer));
    byte[] shorter = Arrays.copyOf(e, e.length - 1);
    assertThrows(BlobFormatException.class, () -> BlobManifest.decode(shorter));
  }

  @Test
  void aManifestWhoseCountDisagreesWithItsSizeIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BlobManifest("x", "text/plain", CHUNK + 1, List.of(BlobHash.of(new byte[0]))));
    // Size says 2 chunks, count says 1, bytes hold 1: the decoder refuses it too.
    byte[] e =
        new BlobManifest("x", "text/plain", CHUNK, List.of(BlobHash.of(new byte[0]))).encode();
    e[1 + 1 + 1 + 1 + 10 + 7] = 1; // the size's last byte: CHUNK + 1
    assertThrows(BlobFormatException.class, () -> BlobManifest.decode(e));
  }

  @Test
  void aManifestClaimingMillionsOfChunksIsRefusedBeforeAllocating() {
    byte[] e = new BlobManifest("x", "text/plain", 1, List.of(BlobHash.of(new byte[0]))).encode();
    int count = 1 + 1 + 1 + 1 + 10 + 8;
    e[count] = 0x7f; // ~2 billion chunks declared in a few bytes
    assertThrows(BlobFormatException.class, () -> BlobManifest.decode(e));
  }

  @Test
  void namesAndTypesThatCouldTrickAReaderAreRefused() {
    BlobHash h = BlobHash.of(new byte[0]);
    for (String bad : List.of("", "../etc", "a\\b", "line\nbreak", "nul\0")) {
      assertThrows(
          IllegalArgumentException.class, () -> new BlobManifest(bad, "text/plain", 1, List.of(h)));
    }
    for (String bad : List.of("text/html; charset=x", "TEXT/plain", "text", "text/plain\n")) {
      assertThrows(IllegalArgumentException.class, () -> new BlobManifest("a", bad, 1, List.of(h)));
    }
  }

  @Test
  void aBlobOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), CHUNK);
    byte[] data = random(CHUNK + 1, 2);
    assertThrows(
        BlobTooLargeException.class,
        () -> s.put("big.bin", "application/octet-stream", new ByteArrayInputStream(data), "sp"));
    assertEquals(List.of(), s.blobs());
    BlobStore bigger = BlobStore.open(tmp.resolve("other"), 4L * CHUNK);
    BlobManifest m =
        bigger.put("big.bin", "application/octet-stream", new ByteArrayInputStream(data), "sp");
    assertThrows(BlobTooLargeException.class, () -> s.addManifest(m.root(), m.encode()));
    assertEquals(List.of(), s.blobs());
  }

  @Test
  void aFetchedBlobIsStoredChunkByChunkVerifiedAndResumable() throws Exception {
    BlobStore source = BlobStore.open(tmp.resolve("a"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    byte[] data = random(3 * CHUNK + 7, 3);
    BlobManifest m =
        source.put("f.bin", "application/octet-stream", new ByteArrayInputStream(data), "sp");
    BlobHash root = m.root();

    BlobStore sink = BlobStore.open(tmp.resolve("b"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    byte[] wrongManifest = m.encode();
    wrongManifest[wrongManifest.length - 1] ^= 1;
    assertThrows(BlobFormatException.class, () -> sink.addManifest(root, wrongManifest));
    sink.addManifest(root, m.encode());
    assertEquals(List.of(0, 1, 2, 3), sink.missing(root));

    byte[] chunk1 = source.readChunk(root, 1).orElseThrow();
    byte[] corrupt = chunk1.clone();
    corrupt[100] ^= 1;
    assertThrows(BlobFormatException.class, () -> sink.putChunk(root, 1, corrupt));
    assertThrows(
        BlobFormatException.class, () -> sink.putChunk(root, 1, Arrays.copyOf(chunk1, 10)));
    assertThrows(BlobFormatException.class, () -> sink.putChunk(root, 4, new byte[7]));
    assertFalse(sink.hasChunk(root, 1));
    sink.putChunk(root, 1, chunk1);
    sink.putChunk(root, 3, source.readChunk(root, 3).orElseThrow());

    // Reopened (a restart): the partial blob is still there, only what is missing is asked for.
    BlobStore reopened = BlobStore.open(tmp.resolve("b"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    assertEquals(List.of(0, 2), reopened.missing(root));
    assertFalse(reopened.isComplete(root));
    assertThrows(IllegalStateException.class, () -> reopened.open(root));
    for (int i : reopened.missing(root)) {
      reopened.putChunk(root, i, source.readChunk(root, i).orElseThrow());
    }
    try (InputStream in = reopened.open(root)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void aChunkDamagedOnDiskIsNotServedAndIsFetchedAgain() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    BlobManifest m =
        s.put("f", "application/octet-stream", new ByteArrayInputStream(random(CHUNK + 5, 4)), "x");
    Path chunk = tmp.resolve("blobs").resolve(m.root().hex()).resolve("1");
    byte[] onDisk = Files.readAllBytes(chunk);
    onDisk[0] ^= 1;
    Files.write(chunk, onDisk);
    assertTrue(s.readChunk(m.root(), 1).isEmpty());
    assertEquals(List.of(1), s.missing(m.root()));
  }

  @Test
  void storageHeldForOthersCountsOnlyBlobsOfSpacesThatAreNotMine() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    BlobManifest mine = s.put("a", "text/plain", new ByteArrayInputStream(random(1000, 5)), "mine");
    BlobManifest theirs =
        s.put("b", "text/plain", new ByteArrayInputStream(random(3000, 6)), "theirs");
    BlobManifest both =
        s.put("c", "text/plain", new ByteArrayInputStream(random(5000, 7)), "theirs");
    s.addSpace(both.root(), "mine");
    long forOthers = s.bytesWhere(spaces -> !spaces.contains("mine"));
    assertEquals(s.bytes(theirs.root()), forOthers);
    assertTrue(forOthers >= 3000 && forOthers < 3000 + 1000);
    assertEquals(
        s.bytes(mine.root()) + s.bytes(theirs.root()) + s.bytes(both.root()), s.totalBytes());
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no POSIX permissions")
  void everyFileOfTheStoreIsTheOwnersOnly() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    s.put("a", "text/plain", new ByteArrayInputStream(random(CHUNK + 1, 8)), "sp");
    try (Stream<Path> all = Files.walk(tmp.resolve("blobs"))) {
      for (Path p : all.toList()) {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
      }
    }
  }

  @Test
  void aRefusedBlobIsDeletedAndItsManifestNotTakenAgain() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), 1 << 20);
    byte[] bomb = ImageGuardTest.pngHeader(100_000, 100_000);
    BlobManifest m = s.put("bomb.png", "image/png", new ByteArrayInputStream(bomb), "space1");
    ImageGuard.Verdict v = s.inspect(m.root());
    assertFalse(v.keep());
    s.refuse(m.root(), true, m.size(), v.reason());
    assertTrue(s.blobs().isEmpty());
    assertEquals(v.reason(), s.refusal(m.root()).orElseThrow().reason());
    assertThrows(BlobRefusedException.class, () -> s.addManifest(m.root(), m.encode()));
    // Reopened: still refused.
    BlobStore again = BlobStore.open(tmp.resolve("blobs"), 1 << 20);
    assertTrue(again.refusal(m.root()).orElseThrow().image());
    assertTrue(again.blobs().isEmpty());
  }

  @Test
  void aBlobRefusedForItsSizeIsTakenOnceTheLimitAllowsIt() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), 1 << 20);
    BlobManifest m =
        new BlobManifest(
            "big.bin",
            "application/octet-stream",
            3 << 20,
            java.util.Collections.nCopies(12, BlobHash.of(new byte[0])));
    s.refuse(m.root(), false, m.size(), "too large");
    assertTrue(s.refusal(m.root()).isPresent());
    s.setMaxBlobBytes(4 << 20);
    assertTrue(s.refusal(m.root()).isEmpty());
    s.addManifest(m.root(), m.encode());
  }

  @Test
  void anUnreferencedMarkIsKeptWithTheBlob() throws Exception {
    BlobStore s = BlobStore.open(tmp.resolve("blobs"), 1 << 20);
    BlobManifest m = s.put("a.txt", "text/plain", new ByteArrayInputStream(new byte[10]), "s1");
    assertTrue(s.unreferencedSince(m.root()).isEmpty());
    java.time.Instant t = java.time.Instant.parse("2026-12-01T00:00:00Z");
    s.markUnreferenced(m.root(), t);
    assertEquals(java.util.Optional.of(t), s.unreferencedSince(m.root()));
    assertTrue(s.isComplete(m.root()), "the mark is no chunk");
    s.markUnreferenced(m.root(), null);
    assertTrue(s.unreferencedSince(m.root()).isEmpty());
    s.delete(m.root());
    s.markUnreferenced(m.root(), t);
    assertTrue(s.blobs().isEmpty(), "no mark recreates a deleted blob");
  }
}
