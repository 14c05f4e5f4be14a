package org.dure.net.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.dure.net.ProtocolViolationException;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.junit.jupiter.api.Test;

class BlobFrameCodecTest {
  static final BlobHash ROOT = BlobHash.of(new byte[] {1, 2, 3});

  @Test
  void everyFrameReadsBackAsWritten() throws Exception {
    assertEquals(
        new BlobFrame.GetManifest(ROOT),
        BlobFrameCodec.decode(BlobFrameCodec.encode(new BlobFrame.GetManifest(ROOT))));
    assertEquals(
        new BlobFrame.GetChunk(ROOT, 7),
        BlobFrameCodec.decode(BlobFrameCodec.encode(new BlobFrame.GetChunk(ROOT, 7))));
    BlobFrame.Refused r = new BlobFrame.Refused(ROOT, -1, BlobFrame.Reason.NOT_ALLOWED);
    assertEquals(r, BlobFrameCodec.decode(BlobFrameCodec.encode(r)));
    byte[] data = new byte[BlobManifest.CHUNK_SIZE];
    data[5] = 9;
    BlobFrame.Chunk c =
        (BlobFrame.Chunk)
            BlobFrameCodec.decode(BlobFrameCodec.encode(new BlobFrame.Chunk(ROOT, 3, data)));
    assertEquals(3, c.index());
    assertArrayEquals(data, c.data());
    BlobFrame.Manifest m =
        (BlobFrame.Manifest)
            BlobFrameCodec.decode(
                BlobFrameCodec.encode(new BlobFrame.Manifest(ROOT, new byte[] {4})));
    assertArrayEquals(new byte[] {4}, m.encoded());
  }

  @Test
  void theWireLayoutIsTheSpecs() {
    byte[] b = BlobFrameCodec.encode(new BlobFrame.GetChunk(ROOT, 258));
    assertEquals("02" + ROOT.hex() + "00000102", HexFormat.of().formatHex(b));
    byte[] r = BlobFrameCodec.encode(new BlobFrame.Refused(ROOT, -1, BlobFrame.Reason.NOT_HERE));
    assertEquals("1f" + ROOT.hex() + "ffffffff01", HexFormat.of().formatHex(r));
  }

  @Test
  void badFramesAreProtocolViolations() {
    byte[] get = BlobFrameCodec.encode(new BlobFrame.GetManifest(ROOT));
    byte[] trailing = java.util.Arrays.copyOf(get, get.length + 1);
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(trailing));
    byte[] shortRoot = java.util.Arrays.copyOf(get, 20);
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(shortRoot));
    byte[] unknown = get.clone();
    unknown[0] = 0x42;
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(unknown));
    byte[] negative = ByteBuffer.allocate(37).put((byte) 0x02).put(ROOT.bytes()).putInt(-5).array();
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(negative));
    byte[] reason = BlobFrameCodec.encode(new BlobFrame.Refused(ROOT, 1, BlobFrame.Reason.BUSY));
    reason[reason.length - 1] = 9;
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(reason));
    byte[] emptyChunk =
        ByteBuffer.allocate(37).put((byte) 0x12).put(ROOT.bytes()).putInt(0).array();
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(emptyChunk));
    byte[] tooLong = new byte[BlobFrameCodec.MAX_FRAME + 1];
    tooLong[0] = 0x12;
    assertThrows(ProtocolViolationException.class, () -> BlobFrameCodec.decode(tooLong));
  }
}
