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
    assertEquals(2, s.chunks());
    assertEquals(a.length + b.length, s.chunkBytes());
    assertEquals(b.length, s.largestChunk());
  }

  @Test
  void aTruncatedMessageIsRefused() throws Exception {
    byte[] msg = Samples.concat(new byte[] {0x42, 0, 0, 0, 1, 50}, Samples.seal(1, new byte[60]));
    assertThrows(
        InvalidAutomergeDataException.class, () -> SyncMessageStats.of(Arrays.copyOf(msg, 20)));
    assertThrows(InvalidAutomergeDataException.class, () -> SyncMessageStats.of(new byte[] {7}));
  }

  // ---------------------------------------------------------------- operations

  /** The changes a text of {@code chars} characters typed into a new document makes, encoded. */
  private static byte[][] typed(int chars, char c) {
    org.automerge.Document doc = new org.automerge.Document();
    try {
      org.automerge.ObjectId text;
      try (var tx = doc.startTransaction()) {
        text = tx.set(org.automerge.ObjectId.ROOT, "body", org.automerge.ObjectType.TEXT);
        tx.commit();
      }
      org.automerge.ChangeHash[] before = doc.getHeads();
      try (var tx = doc.startTransaction()) {
        tx.spliceText(text, 0, 0, String.valueOf(c).repeat(chars));
        tx.commit();
      }
      return new byte[][] {
        doc.encodeChangesSince(new org.automerge.ChangeHash[0]), doc.encodeChangesSince(before)
      };
    } finally {
      doc.free();
    }
  }

  /**
   * A sync message (v1) carrying {@code chunk} as its one change, with no heads, needs or haves.
   */
  private static byte[] messageWith(byte[] chunk) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x42, 0, 0, 0, 1});
    long n = chunk.length;
    do {
      int b = (int) (n & 0x7f);
      n >>>= 7;
      out.write(n != 0 ? b | 0x80 : b);
    } while (n != 0);
    out.writeBytes(chunk);
    return out.toByteArray();
  }

  /** The change chunk {@code chunk} (type 1) as a compressed change chunk (type 2). */
  static byte[] compressed(byte[] chunk) {
    return compressed(chunk, 0);
  }

  /**
   * The change chunk {@code chunk} (type 1) as a compressed change chunk (type 2), with {@code
   * extra} zero bytes appended to its body (as "extra bytes"; its checksum then no longer matches).
   */
  static byte[] compressed(byte[] chunk, int extra) {
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
    assertEquals(chunk.length, at + len);
    java.util.zip.Deflater d = new java.util.zip.Deflater(9, true);
    d.setInput(chunk, at, (int) len);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.needsInput()) {
      body.write(buf, 0, d.deflate(buf));
    }
    byte[] zeros = new byte[1 << 20];
    for (int left = extra; left > 0; left -= zeros.length) {
      d.setInput(zeros, 0, Math.min(zeros.length, left));
      while (!d.needsInput()) {
        body.write(buf, 0, d.deflate(buf));
      }
    }
    d.finish();
    while (!d.finished()) {
      body.write(buf, 0, d.deflate(buf));
    }
    d.end();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(chunk, 0, 8); // magic, and the checksum of the uncompressed chunk
    out.write(2);
    long n = body.size();
    do {
      int b = (int) (n & 0x7f);
      n >>>= 7;
      out.write(n != 0 ? b | 0x80 : b);
    } while (n != 0);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  @Test
  void countsTheOperationsOfARealChange() throws Exception {
    byte[] change = typed(1000, 'x')[1];
    SyncMessageStats s = SyncMessageStats.of(messageWith(change));
    assertEquals(1, s.chunks());
    assertEquals(1000, s.ops(), "one op per character typed");
    assertEquals(1000, s.largestOps());
    byte[] both = typed(1000, 'x')[0];
    assertEquals(1001, SyncMessageStats.of(messageWith(both)).ops(), "making the text is one more");
  }

  @Test
  void aCompressedChangeInflatingPastTheBoundIsRefused() throws Exception {
    // A small change followed by 70 MiB of zeros: 70 KiB compressed, more than the 64 MiB a
    // message may inflate to while its operations are counted.
    byte[] change = compressed(typed(10, 'a')[1], 70 << 20);
    assertTrue(change.length < 100_000, change.length + " bytes");
    InvalidAutomergeDataException e =
        assertThrows(
            InvalidAutomergeDataException.class, () -> SyncMessageStats.of(messageWith(change)));
    assertTrue(e.getMessage().contains("inflates to more than"), e.getMessage());
  }

  @Test
  void aTinyChangeOfAMillionInsertsIsCounted() throws Exception {
    // Inserting nulls into a list: runs of like ops encode in a few bytes, whatever their number.
    org.automerge.Document doc = new org.automerge.Document();
    byte[] plain;
    try {
      try (var tx = doc.startTransaction()) {
        org.automerge.ObjectId list =
            tx.set(org.automerge.ObjectId.ROOT, "x", org.automerge.ObjectType.LIST);
        for (int i = 0; i < 1_100_000; i++) {
          tx.insert(list, i, org.automerge.NewValue.NULL);
        }
        tx.commit();
      }
      plain = doc.encodeChangesSince(new org.automerge.ChangeHash[0]);
    } finally {
      doc.free();
    }
    for (byte[] change : java.util.List.of(plain, compressed(plain))) {
      byte[] msg = messageWith(change);
      AutomergeFormat.validateSyncMessage(msg, Limits.defaults()); // valid, not garbage
      SyncMessageStats s = SyncMessageStats.of(msg);
      assertEquals(1_100_001, s.largestOps(), change.length + " bytes");
      assertTrue(change.length < 1000, change.length + " bytes");
    }
  }
}
