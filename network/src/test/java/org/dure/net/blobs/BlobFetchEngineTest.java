package org.dure.net.blobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.junit.jupiter.api.Test;

/** The fetch state machine, frame by frame: what it asks whom, and what it makes of answers. */
class BlobFetchEngineTest {
  static final int CHUNK = BlobManifest.CHUNK_SIZE;
  static final PeerId B = new Identity(Identity.generateEd25519()).peerId();
  static final PeerId C = new Identity(Identity.generateEd25519()).peerId();

  final byte[] data = new byte[4 * CHUNK + 10];
  final List<byte[]> chunks = new ArrayList<>();
  final BlobManifest manifest;
  final BlobHash root;

  BlobFetchEngineTest() {
    new Random(1).nextBytes(data);
    List<BlobHash> hashes = new ArrayList<>();
    for (int off = 0; off < data.length; off += CHUNK) {
      byte[] c = Arrays.copyOfRange(data, off, Math.min(data.length, off + CHUNK));
      chunks.add(c);
      hashes.add(BlobHash.of(c));
    }
    manifest = new BlobManifest("f.bin", "application/octet-stream", data.length, hashes);
    root = manifest.root();
  }

  BlobFetchEngine fresh(int window) {
    return new BlobFetchEngine(root, null, new BitSet(), 100L << 20, window);
  }

  static List<Integer> indices(List<BlobFrame> frames) {
    return frames.stream().map(f -> ((BlobFrame.GetChunk) f).index()).toList();
  }

  BlobFrame chunk(int i) {
    return new BlobFrame.Chunk(root, i, chunks.get(i));
  }

  @Test
  void theManifestIsAskedOfOnePeerThenTheChunksAreSpreadOverAll() {
    BlobFetchEngine e = fresh(2);
    e.addPeer(B);
    e.addPeer(C);
    assertEquals(List.of(new BlobFrame.GetManifest(root)), e.requests(B));
    assertEquals(List.of(), e.requests(C)); // one manifest request at a time
    assertInstanceOf(
        BlobFetchEngine.Outcome.KeepManifest.class,
        e.onFrame(B, new BlobFrame.Manifest(root, manifest.encode())));
    assertEquals(List.of(0, 1), indices(e.requests(B)));
    assertEquals(List.of(2, 3), indices(e.requests(C)));
    assertEquals(List.of(), e.requests(B)); // window full
    assertInstanceOf(BlobFetchEngine.Outcome.KeepChunk.class, e.onFrame(B, chunk(0)));
    assertEquals(List.of(4), indices(e.requests(B)));
    for (int i : List.of(1, 4)) {
      assertInstanceOf(BlobFetchEngine.Outcome.KeepChunk.class, e.onFrame(B, chunk(i)));
    }
    for (int i : List.of(2, 3)) {
      assertInstanceOf(BlobFetchEngine.Outcome.KeepChunk.class, e.onFrame(C, chunk(i)));
    }
    assertTrue(e.isComplete());
    assertTrue(e.isFinished());
    assertEquals(data.length, e.bytesDone());
  }

  @Test
  void aWrongChunkPenalisesItsSenderAndIsAskedOfAnother() {
    BlobFetchEngine e = new BlobFetchEngine(root, manifest, new BitSet(), 100L << 20, 2);
    e.addPeer(B);
    e.addPeer(C);
    assertEquals(List.of(0, 1), indices(e.requests(C)));
    assertEquals(List.of(2, 3), indices(e.requests(B)));
    byte[] bad = chunks.get(0).clone();
    bad[0] ^= 1;
    assertInstanceOf(
        BlobFetchEngine.Outcome.Penalize.class, e.onFrame(C, new BlobFrame.Chunk(root, 0, bad)));
    assertEquals(List.of(), e.requests(C)); // dropped
    e.addPeer(C); // a penalised peer stays out, even if its worker reconnects
    assertEquals(List.of(), e.requests(C));
    e.onFrame(B, chunk(2));
    assertEquals(List.of(0), indices(e.requests(B))); // C's chunks go to B
    e.onFrame(B, chunk(3));
    assertEquals(List.of(1), indices(e.requests(B)));
    e.onFrame(B, chunk(0));
    e.onFrame(B, chunk(1));
    assertEquals(List.of(4), indices(e.requests(B)));
    e.onFrame(B, chunk(4));
    assertTrue(e.isComplete());
  }

  @Test
  void aManifestThatIsNotTheRootsIsPenalised() {
    BlobFetchEngine e = fresh(2);
    e.addPeer(B);
    e.addPeer(C);
    e.requests(B);
    BlobManifest other =
        new BlobManifest("g", "text/plain", 1, List.of(BlobHash.of(new byte[] {1})));
    assertInstanceOf(
        BlobFetchEngine.Outcome.Penalize.class,
        e.onFrame(B, new BlobFrame.Manifest(root, other.encode())));
    assertEquals(List.of(new BlobFrame.GetManifest(root)), e.requests(C));
  }

  @Test
  void answersOutOfOrderOrUnaskedArePenalised() {
    BlobFetchEngine e = new BlobFetchEngine(root, manifest, new BitSet(), 100L << 20, 2);
    e.addPeer(B);
    e.addPeer(C);
    assertInstanceOf(BlobFetchEngine.Outcome.Penalize.class, e.onFrame(C, chunk(0)));
    e.requests(B);
    assertInstanceOf(BlobFetchEngine.Outcome.Penalize.class, e.onFrame(B, chunk(1)));
  }

  @Test
  void aRefusedChunkIsAskedElsewhereAndARefusedBlobDropsThePeer() {
    BlobFetchEngine e = new BlobFetchEngine(root, manifest, new BitSet(), 100L << 20, 1);
    e.addPeer(B);
    e.addPeer(C);
    assertEquals(List.of(0), indices(e.requests(B)));
    assertInstanceOf(
        BlobFetchEngine.Outcome.Noted.class,
        e.onFrame(B, new BlobFrame.Refused(root, 0, BlobFrame.Reason.NOT_HERE)));
    assertEquals(List.of(1), indices(e.requests(B))); // B lacks 0, is asked 1
    assertEquals(List.of(0), indices(e.requests(C)));
    assertInstanceOf(
        BlobFetchEngine.Outcome.Dropped.class,
        e.onFrame(C, new BlobFrame.Refused(root, 0, BlobFrame.Reason.NOT_ALLOWED)));
    e.onFrame(B, chunk(1));
    assertEquals(List.of(2), indices(e.requests(B)));
    e.onFrame(B, new BlobFrame.Refused(root, 2, BlobFrame.Reason.NOT_HERE));
    assertEquals(List.of(3), indices(e.requests(B)));
    e.onFrame(B, chunk(3));
    assertEquals(List.of(4), indices(e.requests(B)));
    e.onFrame(B, chunk(4));
    // Nobody left can give chunks 0 and 2: the fetch is over, incomplete.
    assertEquals(List.of(), e.requests(B));
    assertTrue(e.isFinished());
    assertFalse(e.isComplete());
  }

  @Test
  void aFetchResumesAfterTheChunksHereAndAfterADisconnect() {
    BitSet present = new BitSet();
    present.set(0);
    present.set(2);
    BlobFetchEngine e = new BlobFetchEngine(root, manifest, present, 100L << 20, 8);
    e.addPeer(B);
    assertEquals(List.of(1, 3, 4), indices(e.requests(B)));
    e.onFrame(B, chunk(1));
    e.peerGone(B); // the stream broke: 3 and 4 are asked again when B is back
    assertFalse(e.isComplete());
    assertTrue(e.isFinished()); // nobody live
    e.addPeer(B);
    assertFalse(e.isFinished());
    assertEquals(List.of(3, 4), indices(e.requests(B)));
    e.onFrame(B, chunk(3));
    e.onFrame(B, chunk(4));
    assertTrue(e.isComplete());
  }

  @Test
  void aManifestOverTheLimitFailsTheFetchAndDropsItsSenderUnpenalised() {
    BlobFetchEngine e = new BlobFetchEngine(root, null, new BitSet(), CHUNK, 2);
    e.addPeer(B);
    e.addPeer(C);
    e.requests(B);
    BlobFetchEngine.Outcome o = e.onFrame(B, new BlobFrame.Manifest(root, manifest.encode()));
    BlobFetchEngine.Outcome.TooLarge t =
        assertInstanceOf(BlobFetchEngine.Outcome.TooLarge.class, o);
    assertEquals(data.length, t.size());
    assertNotNull(e.failure());
    assertTrue(e.isFinished());
    assertFalse(e.mayRetry(B));
    assertEquals(List.of(), e.requests(B));
    assertEquals(List.of(), e.requests(C), "nobody else is asked either");
  }

  @Test
  void theSendersOfKeptChunksAreKnownNotThoseOfBadOnes() {
    BlobFetchEngine e = new BlobFetchEngine(root, manifest, new BitSet(), 100L << 20, 1);
    e.addPeer(B);
    e.addPeer(C);
    assertEquals(List.of(0), indices(e.requests(B)));
    assertEquals(List.of(1), indices(e.requests(C)));
    byte[] bad = chunks.get(1).clone();
    bad[0] ^= 1;
    assertInstanceOf(
        BlobFetchEngine.Outcome.Penalize.class, e.onFrame(C, new BlobFrame.Chunk(root, 1, bad)));
    e.onFrame(B, chunk(0));
    assertEquals(List.of(B), e.senders());
  }
}
