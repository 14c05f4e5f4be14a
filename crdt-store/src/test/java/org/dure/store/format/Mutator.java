package org.dure.store.format;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes mutants of valid Automerge encodings: raw byte mutations, and mutations of one chunk's body
 * after which the chunk is sealed again with a correct length and checksum (optionally as a
 * compressed chunk), so that parsing gets past the checksum.
 */
final class Mutator {
  enum Kind {
    DOCUMENT,
    CHANGES,
    SYNC
  }

  record Mutant(Kind kind, byte[] bytes, String how) {}

  private final Random r;

  Mutator(long seed) {
    this.r = new Random(seed);
  }

  Mutant mutate(Kind kind, byte[] valid) {
    int strategy = r.nextInt(10);
    if (strategy < 2 || valid.length == 0) {
      return new Mutant(kind, bytes(valid), "raw");
    }
    if (kind == Kind.SYNC) {
      return new Mutant(kind, mutateSync(valid), "sync");
    }
    return new Mutant(kind, mutateChunks(valid), "resealed");
  }

  /** Mutates one chunk's body and seals it again. */
  byte[] mutateChunks(byte[] chunks) {
    List<Samples.Chunk> parts = Samples.split(chunks);
    if (parts.isEmpty()) {
      return bytes(chunks);
    }
    int pick = r.nextInt(parts.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      Samples.Chunk c = parts.get(i);
      if (i == pick) {
        int type = c.type();
        if (type == 1 && r.nextInt(5) == 0) {
          type = 2;
        }
        out.writeBytes(Samples.seal(type, bytes(c.body())));
      } else {
        out.writeBytes(Samples.seal(c.type(), c.body()));
      }
    }
    return out.toByteArray();
  }

  /** Mutates a sync message's fields or one of the chunks it carries, then encodes it again. */
  byte[] mutateSync(byte[] message) {
    Sync s = Sync.parse(message);
    switch (r.nextInt(4)) {
      case 0 -> {
        if (!s.changes.isEmpty()) {
          int i = r.nextInt(s.changes.size());
          s.changes.set(i, mutateChunks(s.changes.get(i)));
        } else {
          return bytes(message);
        }
      }
      case 1 -> {
        if (!s.blooms.isEmpty()) {
          int i = r.nextInt(s.blooms.size());
          s.blooms.set(i, bytes(s.blooms.get(i)));
        } else {
          return bytes(message);
        }
      }
      case 2 -> s.head = bytes(s.head);
      default -> {
        return bytes(message);
      }
    }
    return s.encode();
  }

  /** One to three random byte mutations. */
  byte[] bytes(byte[] in) {
    byte[] b = in.clone();
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      b = once(b);
    }
    return b;
  }

  private byte[] once(byte[] b) {
    if (b.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    int at = r.nextInt(b.length);
    switch (r.nextInt(8)) {
      case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b[at] = (byte) r.nextInt(256);
      case 2 -> b[at] = new byte[] {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x40}[r.nextInt(6)];
      case 3 -> {
        byte[] ins = new byte[1 + r.nextInt(4)];
        r.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
      }
      case 4 -> {
        int len = Math.min(1 + r.nextInt(8), b.length - at);
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
      }
      case 5 -> {
        return Arrays.copyOf(b, at);
      }
      case 6 -> {
        int len = Math.min(1 + r.nextInt(16), b.length - at);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at + len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return out;
      }
      default -> {
        // a large LEB128 number somewhere
        byte[] big = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        int len = Math.min(big.length, b.length - at);
        System.arraycopy(big, 0, b, at, len);
      }
    }
    return b;
  }

  /** A sync message split into the parts worth mutating separately (trusting a valid one). */
  static final class Sync {
    byte[] head; // type, heads, need
    final List<byte[]> lastSyncs = new ArrayList<>();
    final List<byte[]> blooms = new ArrayList<>();
    final List<byte[]> changes = new ArrayList<>();
    byte[] tail; // capabilities

    static Sync parse(byte[] m) {
      Sync s = new Sync();
      int[] pos = {1};
      skipHashes(m, pos);
      skipHashes(m, pos);
      s.head = Arrays.copyOf(m, pos[0]);
      long haves = leb(m, pos);
      for (int i = 0; i < haves; i++) {
        int start = pos[0];
        skipHashes(m, pos);
        s.lastSyncs.add(Arrays.copyOfRange(m, start, pos[0]));
        int len = (int) leb(m, pos);
        s.blooms.add(Arrays.copyOfRange(m, pos[0], pos[0] + len));
        pos[0] += len;
      }
      long changes = leb(m, pos);
      for (int i = 0; i < changes; i++) {
        int len = (int) leb(m, pos);
        s.changes.add(Arrays.copyOfRange(m, pos[0], pos[0] + len));
        pos[0] += len;
      }
      s.tail = Arrays.copyOfRange(m, pos[0], m.length);
      return s;
    }

    byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head);
      writeLeb(out, lastSyncs.size());
      for (int i = 0; i < lastSyncs.size(); i++) {
        out.writeBytes(lastSyncs.get(i));
        writeLeb(out, blooms.get(i).length);
        out.writeBytes(blooms.get(i));
      }
      writeLeb(out, changes.size());
      for (byte[] c : changes) {
        writeLeb(out, c.length);
        out.writeBytes(c);
      }
      out.writeBytes(tail);
      return out.toByteArray();
    }

    private static void skipHashes(byte[] m, int[] pos) {
      int n = (int) leb(m, pos);
      pos[0] += 32 * n;
    }

    private static long leb(byte[] m, int[] pos) {
      long v = 0;
      int shift = 0;
      int b;
      do {
        b = m[pos[0]++] & 0xff;
        v |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      return v;
    }

    private static void writeLeb(ByteArrayOutputStream out, long v) {
      do {
        int b = (int) (v & 0x7f);
        v >>>= 7;
        out.write(v != 0 ? b | 0x80 : b);
      } while (v != 0);
    }
  }
}
