package org.dure.store.format;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ExpandMark;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.SyncState;
import org.automerge.Transaction;

/** Real Automerge encodings made with the Java binding from random edits, and chunk helpers. */
final class Samples {
  static final String[] ALPHABET = {"a", "b", " ", "\n", "한", "글", "두레", "😀", "🧑‍🤝‍🧑", "x"};

  final List<byte[]> documents = new ArrayList<>();
  final List<byte[]> changes = new ArrayList<>();
  final List<byte[]> syncMessages = new ArrayList<>();

  /** Changes with the saved document they apply to (empty: a new document). */
  final List<Pair> changesOnBase = new ArrayList<>();

  /** Sync messages with the saved document of their receiver just before it received them. */
  final List<Pair> syncOnBase = new ArrayList<>();

  record Pair(byte[] base, byte[] data) {}

  /** Builds {@code count} random document histories and collects what they encode to. */
  static Samples generate(long seed, int count) {
    Samples s = new Samples();
    Random r = new Random(seed);
    for (int i = 0; i < count; i++) {
      s.addHistory(r, i);
    }
    return s;
  }

  private void addHistory(Random r, int round) {
    Document a = new Document(actor(r));
    ObjectId[] objs = new ObjectId[3];
    try (Transaction tx = a.startTransaction()) {
      objs[0] = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
      objs[1] = tx.set(ObjectId.ROOT, "list", ObjectType.LIST);
      objs[2] = tx.set(ObjectId.ROOT, "map", ObjectType.MAP);
      tx.set(ObjectId.ROOT, "clicks", NewValue.counter(0));
      tx.commit();
    }
    int txs = 1 + r.nextInt(round % 5 == 0 ? 40 : 8);
    ChangeHash[] middle = a.getHeads();
    for (int t = 0; t < txs; t++) {
      edit(r, a, objs);
      if (t == txs / 2) {
        middle = a.getHeads();
      }
    }
    Document b = a.fork(actor(r));
    Document c = a.fork(actor(r));
    for (int t = 0; t < 1 + r.nextInt(4); t++) {
      edit(r, a, objs);
      edit(r, b, objs);
      edit(r, c, objs);
    }
    b.merge(c);
    ChangeHash[] beforeMerge = a.getHeads();
    byte[] savedBefore = a.save();
    a.merge(b);

    documents.add(a.save());
    documents.add(b.save());
    byte[] later = a.encodeChangesSince(beforeMerge);
    documents.add(concat(savedBefore, later)); // a save followed by change chunks
    changes.add(a.encodeChangesSince(new ChangeHash[0]));
    changes.add(a.encodeChangesSince(middle));
    changes.add(later);
    changes.add(c.encodeChangesSince(b.getHeads()));
    changesOnBase.add(new Pair(new byte[0], a.encodeChangesSince(new ChangeHash[0])));
    changesOnBase.add(new Pair(savedBefore, later));

    // diverge two peers, then sync them to completion
    Document p = b.fork(actor(r));
    Document q = c.fork(actor(r));
    edit(r, p, objs);
    edit(r, q, objs);
    if (round % 3 == 0) {
      q = new Document(actor(r)); // a peer that has nothing yet
    }
    sync(p, q);
    a.free();
    b.free();
    c.free();
    p.free();
    q.free();
  }

  /**
   * Syncs two peers to completion; each checks every message it receives against a {@link
   * DocumentContext} of its document first, as the store will, and counts the messages the context
   * refuses because a change's seq skips ahead (see {@link #seqGapRefusals}).
   */
  private void sync(Document p, Document q) {
    SyncState sp = new SyncState();
    SyncState sq = new SyncState();
    DocumentContext[] ctx = {context(p), context(q)};
    for (int round = 0; round < 50; round++) {
      Optional<byte[]> toQ = p.generateSyncMessage(sp);
      toQ.ifPresent(
          m -> {
            syncMessages.add(m);
            syncOnBase.add(new Pair(q.save(), m));
            boolean learned = check(m, ctx[1]);
            q.receiveSyncMessage(sq, m);
            if (!learned) {
              ctx[1] = context(q);
            }
          });
      Optional<byte[]> toP = q.generateSyncMessage(sq);
      toP.ifPresent(
          m -> {
            syncMessages.add(m);
            syncOnBase.add(new Pair(p.save(), m));
            boolean learned = check(m, ctx[0]);
            p.receiveSyncMessage(sp, m);
            if (!learned) {
              ctx[0] = context(p);
            }
          });
      if (toQ.isEmpty() && toP.isEmpty()) {
        return;
      }
    }
    throw new AssertionError("sync did not complete");
  }

  /**
   * Real sync messages the receiver's context refused because a change's seq skipped ahead: sync
   * may send a change before its predecessor (a bloom filter false positive makes the sender think
   * the receiver has it), which native code queues; the context cannot tell that from a crafted
   * change whose dependencies are present.
   */
  int seqGapRefusals;

  private static DocumentContext context(Document doc) {
    try {
      return DocumentContext.of(doc.save());
    } catch (InvalidAutomergeDataException e) {
      throw new AssertionError("a saved document did not validate", e);
    }
  }

  /** Whether the context accepted (and learned) the message. */
  private boolean check(byte[] message, DocumentContext ctx) {
    try {
      AutomergeFormat.validateSyncMessage(message, Limits.defaults(), ctx);
      return true;
    } catch (InvalidAutomergeDataException e) {
      if (e.getMessage().contains("skips ahead")) {
        seqGapRefusals++;
        return false;
      }
      throw new AssertionError("a real sync message did not validate against its receiver", e);
    }
  }

  static byte[] actor(Random r) {
    byte[] id = new byte[r.nextInt(8) == 0 ? 1 + r.nextInt(32) : 16];
    r.nextBytes(id);
    return id;
  }

  static String text(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(max);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static void edit(Random r, Document doc, ObjectId[] objs) {
    ObjectId text = objs[0];
    ObjectId list = objs[1];
    ObjectId map = objs[2];
    try (Transaction tx = doc.startTransaction()) {
      int ops = 1 + r.nextInt(6);
      for (int i = 0; i < ops; i++) {
        String key = "k" + r.nextInt(6);
        switch (r.nextInt(16)) {
          case 0, 1, 2 -> {
            long len = tx.length(text);
            long pos = len == 0 ? 0 : r.nextInt((int) len + 1);
            long del = Math.min(len - pos, r.nextInt(3));
            tx.spliceText(text, pos, del, text(r, r.nextInt(10) == 0 ? 400 : 12));
          }
          case 3 -> tx.set(map, key, text(r, 8));
          case 4 -> tx.set(map, key, r.nextLong());
          case 5 -> tx.setUint(map, key, r.nextBoolean() ? r.nextInt(1000) : -1L);
          case 6 -> tx.set(map, key, r.nextDouble() * 1e6);
          case 7 -> tx.set(map, key, r.nextBoolean());
          case 8 -> tx.setNull(map, key);
          case 9 -> {
            byte[] bytes = new byte[r.nextInt(40)];
            r.nextBytes(bytes);
            tx.set(map, key, bytes);
          }
          case 10 -> tx.set(map, key, new Date(r.nextLong() % 4_000_000_000_000L));
          case 11 -> tx.increment(ObjectId.ROOT, "clicks", r.nextInt(200) - 100);
          case 12 -> {
            long len = tx.length(list);
            switch (r.nextInt(4)) {
              case 0 -> tx.insert(list, r.nextInt((int) len + 1), text(r, 5));
              case 1 -> tx.insert(list, r.nextInt((int) len + 1), NewValue.integer(r.nextInt()));
              case 2 -> {
                ObjectId child = tx.insert(list, r.nextInt((int) len + 1), ObjectType.MAP);
                tx.set(child, "n", NewValue.f64(r.nextDouble()));
                tx.set(child, "c", NewValue.counter(r.nextInt(10)));
              }
              default -> {
                if (len > 0) {
                  tx.delete(list, r.nextInt((int) len));
                }
              }
            }
          }
          case 13 -> {
            ObjectId child = tx.set(map, "nested" + r.nextInt(3), ObjectType.MAP);
            ObjectId deeper = tx.set(child, "list", ObjectType.LIST);
            tx.insert(deeper, 0, NewValue.timestamp(new Date(r.nextInt())));
            tx.insert(deeper, 0, NewValue.bytes(new byte[] {1, 2, 3}));
            tx.insertNull(deeper, 1);
            tx.insertUint(deeper, 0, r.nextInt(100));
          }
          case 14 -> {
            if (tx.keys(map).map(k -> k.length).orElse(0) > 0) {
              tx.delete(map, tx.keys(map).get()[0]);
            }
          }
          default -> {
            long len = tx.length(text);
            if (len > 2) {
              long start = r.nextInt((int) len - 1);
              long end = start + 1 + r.nextInt((int) (len - start - 1));
              if (r.nextBoolean()) {
                tx.mark(text, start, end, "bold", true, ExpandMark.values()[r.nextInt(4)]);
              } else {
                tx.unmark(text, "bold", start, end, ExpandMark.NONE);
              }
            }
          }
        }
      }
      tx.commit();
    }
  }

  // ---------------------------------------------------------------- chunk helpers

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A chunk split into its type and body (trusting a valid encoding). */
  record Chunk(int type, byte[] body) {}

  static List<Chunk> split(byte[] chunks) {
    List<Chunk> out = new ArrayList<>();
    int pos = 0;
    while (pos < chunks.length) {
      int type = chunks[pos + 8];
      pos += 9;
      long len = 0;
      int shift = 0;
      int b;
      do {
        b = chunks[pos++] & 0xff;
        len |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      byte[] body = java.util.Arrays.copyOfRange(chunks, pos, pos + (int) len);
      out.add(new Chunk(type, body));
      pos += (int) len;
    }
    return out;
  }

  /** Encodes a chunk with a correct checksum (for type 2, {@code body} is the inflated body). */
  static byte[] seal(int type, byte[] body) {
    byte[] checksum = ChunkValidator.checksum(type == 2 ? 1 : type, body, 0, body.length);
    byte[] data = body;
    if (type == 2) {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      d.setInput(body);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      d.end();
      data = out.toByteArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83});
    out.writeBytes(checksum);
    out.write(type);
    long v = data.length;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    out.writeBytes(data);
    return out.toByteArray();
  }
}
