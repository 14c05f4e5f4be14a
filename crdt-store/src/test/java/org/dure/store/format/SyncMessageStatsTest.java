package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyncMessageStatsTest {

  @Test
  void countsTheChangesOfRealSyncMessages() throws Exception {
    Samples samples = Samples.generate(7, 20);
    int withChanges = 0;
    for (byte[] msg : samples.syncMessages) {
      SyncMessageStats s = SyncMessageStats.of(msg);
      assertTrue(s.chunkBytes() <= msg.length && s.largestChunk() <= s.chunkBytes(), s.toString());
      assertEquals(s.chunks() == 0, s.chunkBytes() == 0);
      if (s.chunks() > 0) {
        withChanges++;
      }
    }
    assertTrue(withChanges > 0, "some samples carry changes");
  }

  @Test
  void countsEachChunkOfAnEntryWithItsHeader() throws Exception {
    byte[] a = Samples.seal(1, new byte[100]);
    byte[] b = Samples.seal(1, new byte[300]);
    byte[] entry = Samples.concat(a, b);
    byte[] msg = Samples.concat(new byte[] {0x42, 0, 0, 0, 1, (byte) entry.length, 0x03}, entry);
    // the entry is over 127 bytes: its length takes two LEB128 bytes
    msg[5] = (byte) ((entry.length & 0x7f) | 0x80);
    msg[6] = (byte) (entry.length >> 7);
    SyncMessageStats s = SyncMessageStats.of(msg);
    assertEquals(new SyncMessageStats(2, a.length + b.length, b.length), s);
  }

  @Test
  void aTruncatedMessageIsRefused() throws Exception {
    byte[] msg = Samples.concat(new byte[] {0x42, 0, 0, 0, 1, 50}, Samples.seal(1, new byte[60]));
    assertThrows(
        InvalidAutomergeDataException.class, () -> SyncMessageStats.of(Arrays.copyOf(msg, 20)));
    assertThrows(InvalidAutomergeDataException.class, () -> SyncMessageStats.of(new byte[] {7}));
  }
}
