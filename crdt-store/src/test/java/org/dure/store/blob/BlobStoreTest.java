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
}
