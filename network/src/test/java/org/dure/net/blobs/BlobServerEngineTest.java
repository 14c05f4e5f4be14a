package org.dure.net.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.store.blob.BlobHash;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class BlobServerEngineTest {
  static final SpaceId VILLAGE = SpaceId.random();
  static final PeerId MEMBER = new Identity(Identity.generateEd25519()).peerId();
  static final PeerId STRANGER = new Identity(Identity.generateEd25519()).peerId();
  static final BlobHash ROOT = BlobHash.of(new byte[] {1});
  static final BlobHash ELSEWHERE = BlobHash.of(new byte[] {2});

  /** A source holding ROOT (manifest, chunk 0) for VILLAGE, and ELSEWHERE for another space. */
  static BlobSource source() {
    return new BlobSource() {
      @Override
      public Optional<byte[]> manifest(BlobHash root) {
        return root.equals(ROOT) ? Optional.of(new byte[] {9}) : Optional.empty();
      }

      @Override
      public Optional<byte[]> chunk(BlobHash root, int index) {
        return root.equals(ROOT) && index == 0 ? Optional.of(new byte[] {7, 7}) : Optional.empty();
      }

      @Override
      public Set<SpaceId> spaces(BlobHash root) {
        return Map.of(ROOT, Set.of(VILLAGE), ELSEWHERE, Set.of(SpaceId.random()))
            .getOrDefault(root, Set.of());
      }
    };
  }

  static final BlobAccessPolicy MEMBERS_OF_VILLAGE =
      (peer, spaces) -> peer.equals(MEMBER) && spaces.contains(VILLAGE);

  @Test
  void aMemberGetsTheManifestAndTheChunksHere() throws Exception {
    BlobServerEngine e = new BlobServerEngine(MEMBER, source(), MEMBERS_OF_VILLAGE, 10);
    BlobFrame.Manifest m = (BlobFrame.Manifest) e.answer(new BlobFrame.GetManifest(ROOT));
    assertArrayEquals(new byte[] {9}, m.encoded());
    BlobFrame.Chunk c = (BlobFrame.Chunk) e.answer(new BlobFrame.GetChunk(ROOT, 0));
    assertArrayEquals(new byte[] {7, 7}, c.data());
    assertEquals(
        new BlobFrame.Refused(ROOT, 1, BlobFrame.Reason.NOT_HERE),
        e.answer(new BlobFrame.GetChunk(ROOT, 1)));
    assertEquals(2, e.bytesSent());
  }

  @Test
  void aNonMemberIsRefusedAndLearnsNotWhetherTheBlobIsHere() throws Exception {
    BlobServerEngine e = new BlobServerEngine(STRANGER, source(), MEMBERS_OF_VILLAGE, 10);
    assertEquals(
        new BlobFrame.Refused(ROOT, -1, BlobFrame.Reason.NOT_ALLOWED),
        e.answer(new BlobFrame.GetManifest(ROOT)));
    assertEquals(
        new BlobFrame.Refused(ROOT, 0, BlobFrame.Reason.NOT_ALLOWED),
        e.answer(new BlobFrame.GetChunk(ROOT, 0)));
    BlobHash absent = BlobHash.of(new byte[] {3});
    assertEquals(
        new BlobFrame.Refused(absent, -1, BlobFrame.Reason.NOT_ALLOWED),
        e.answer(new BlobFrame.GetManifest(absent)));
  }

  @Test
  void aMemberOfOneSpaceIsRefusedTheBlobsOfAnother() throws Exception {
    BlobServerEngine e = new BlobServerEngine(MEMBER, source(), MEMBERS_OF_VILLAGE, 10);
    assertEquals(
        new BlobFrame.Refused(ELSEWHERE, 0, BlobFrame.Reason.NOT_ALLOWED),
        e.answer(new BlobFrame.GetChunk(ELSEWHERE, 0)));
  }

  @Test
  void aStreamPastItsRequestLimitIsAnsweredBusy() throws Exception {
    BlobServerEngine e = new BlobServerEngine(MEMBER, source(), MEMBERS_OF_VILLAGE, 2);
    e.answer(new BlobFrame.GetChunk(ROOT, 0));
    e.answer(new BlobFrame.GetChunk(ROOT, 0));
    assertEquals(
        new BlobFrame.Refused(ROOT, 0, BlobFrame.Reason.BUSY),
        e.answer(new BlobFrame.GetChunk(ROOT, 0)));
  }

  @Test
  void anAnswerSentToTheServerIsAProtocolViolation() {
    BlobServerEngine e = new BlobServerEngine(MEMBER, source(), MEMBERS_OF_VILLAGE, 10);
    assertThrows(
        ProtocolViolationException.class,
        () -> e.answer(new BlobFrame.Chunk(ROOT, 0, new byte[] {1})));
  }
}
