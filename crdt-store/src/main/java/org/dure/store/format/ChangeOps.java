package org.dure.store.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Counts the operations of one change chunk from its action column (one entry per op), reading the
 * change's header and columns as a stream: a compressed chunk is inflated as it is read, never into
 * one buffer, and at most {@code maxInflated} bytes of it. Counting a run of a million identical
 * ops costs its few encoded bytes, so a small change declaring millions of ops is known as such
 * before Automerge sees it. Checks only what it needs to count; the validator checks the rest.
 */
final class ChangeOps {
  /** The action column's spec: id 4, uLEB RLE (never deflated in a change chunk). */
  private static final int ACTION = (4 << 4) | Columns.INTEGER;

  /** What counting one chunk found. */
  record Count(long ops, long inflatedBytes) {}

  private final InputStream in;
  private final long origin;
  private final Limits limits;
  private long read;

  private ChangeOps(InputStream in, long origin, Limits limits) {
    this.in = in;
    this.origin = origin;
    this.limits = limits;
  }

  /**
   * Counts the ops of the change chunk body {@code body[off, off + len)}, of chunk type {@code
   * type} (1 change, 2 compressed change; 0, a document, has none counted here).
   *
   * @param maxInflated the most a compressed body may inflate to
   * @throws InvalidAutomergeDataException if the body ends early, inflates to more than allowed,
   *     declares more ops than {@link Limits#maxOps} or a deflated action column
   */
  static Count count(byte[] body, int off, int len, int type, long maxInflated, Limits limits)
      throws InvalidAutomergeDataException {
    if (type != ChunkValidator.CHANGE && type != ChunkValidator.COMPRESSED_CHANGE) {
      return new Count(0, 0);
    }
    InputStream raw = new ByteArrayInputStream(body, off, len);
    if (type == ChunkValidator.CHANGE) {
      ChangeOps c = new ChangeOps(raw, off, limits);
      return new Count(c.change(len), len);
    }
    Inflater inflater = new Inflater(true);
    try (InputStream inflated = new InflaterInputStream(raw, inflater, 8192)) {
      ChangeOps c =
          new ChangeOps(
              new Bounded(new java.io.BufferedInputStream(inflated, 8192), maxInflated, off),
              off,
              limits);
      long ops = c.change(Long.MAX_VALUE);
      // What follows the columns is extra bytes: inflate them too, to know the change's size.
      c.skip(Long.MAX_VALUE, "extra bytes");
      return new Count(ops, c.read);
    } catch (InvalidAutomergeDataException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidAutomergeDataException(
          "compressed change chunk is not valid DEFLATE data: " + e.getMessage(), off);
    } finally {
      inflater.end();
    }
  }

  /** Reads the change header and columns; returns the action column's entries. */
  private long change(long bodyLength) throws InvalidAutomergeDataException {
    long deps = uleb("dependency count");
    if (deps > limits.maxHashes()) {
      throw fail("more than " + limits.maxHashes() + " dependencies");
    }
    skipExactly(32 * deps, "dependencies");
    skipExactly(bounded(limits.maxActorIdBytes(), "actor length"), "actor");
    uleb("seq");
    uleb("start op");
    uleb("time");
    skipExactly(bounded(limits.maxStringBytes(), "message length"), "message");
    long actors = bounded(limits.maxActors(), "other actor count");
    for (long i = 0; i < actors; i++) {
      skipExactly(bounded(limits.maxActorIdBytes(), "actor length"), "other actor");
    }
    int columns = (int) bounded(limits.maxColumns(), "column count");
    long[] specs = new long[columns];
    long[] lengths = new long[columns];
    long total = 0;
    for (int i = 0; i < columns; i++) {
      specs[i] = uleb("column spec");
      lengths[i] = uleb("column length");
      total += lengths[i];
      if (lengths[i] < 0 || total < 0 || total > bodyLength) {
        throw fail("column data longer than the change");
      }
    }
    long ops = 0;
    for (int i = 0; i < columns; i++) {
      if ((specs[i] & ~8L) == ACTION) {
        if ((specs[i] & 8) != 0) {
          throw fail("the action column is deflated");
        }
        ops += rleEntries(lengths[i]);
      } else {
        skipExactly(lengths[i], "column data");
      }
    }
    return ops;
  }

  /** Entries of a uLEB RLE column of {@code length} bytes. */
  private long rleEntries(long length) throws InvalidAutomergeDataException {
    long end = read + length;
    long entries = 0;
    while (read < end) {
      long n = sleb("run length");
      if (n > 0) {
        entries += n;
        uleb("run value");
      } else if (n < 0) {
        if (n == Long.MIN_VALUE || -n > limits.maxOps()) {
          throw fail("literal run of " + n);
        }
        for (long i = 0; i < -n; i++) {
          uleb("literal value");
        }
        entries += -n;
      } else {
        entries += uleb("null run length");
      }
      if (entries < 0 || entries > limits.maxOps()) {
        throw fail("more than " + limits.maxOps() + " operations in one change");
      }
    }
    if (read != end) {
      throw fail("action column overruns its length");
    }
    return entries;
  }

  private long bounded(long max, String what) throws InvalidAutomergeDataException {
    long v = uleb(what);
    if (v < 0 || v > max) {
      throw fail(what + " " + v + " exceeds " + max);
    }
    return v;
  }

  private int u8(String what) throws InvalidAutomergeDataException {
    int b;
    try {
      b = in.read();
    } catch (InvalidAutomergeDataException e) {
      throw e;
    } catch (IOException e) {
      throw fail(what + ": " + e.getMessage());
    }
    if (b < 0) {
      throw fail("change ends inside its " + what);
    }
    read++;
    return b;
  }

  private long uleb(String what) throws InvalidAutomergeDataException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8(what);
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw fail(what + " is not a valid LEB128 number");
  }

  private long sleb(String what) throws InvalidAutomergeDataException {
    long v = 0;
    int shift = 0;
    int b;
    do {
      if (shift >= 64) {
        throw fail(what + " is not a valid LEB128 number");
      }
      b = u8(what);
      v |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      v |= -1L << shift;
    }
    return v;
  }

  /** Skips {@code n} bytes, or to the end if {@code n} is {@link Long#MAX_VALUE}. */
  private void skip(long n, String what) throws InvalidAutomergeDataException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int got;
      try {
        got = in.read(buf, 0, (int) Math.min(buf.length, left));
      } catch (InvalidAutomergeDataException e) {
        throw e;
      } catch (IOException e) {
        throw fail(what + ": " + e.getMessage());
      }
      if (got < 0) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw fail("change ends inside its " + what);
      }
      read += got;
      left -= got;
    }
  }

  private void skipExactly(long n, String what) throws InvalidAutomergeDataException {
    if (n < 0) {
      throw fail(what + " has a negative length");
    }
    skip(n, what);
  }

  private InvalidAutomergeDataException fail(String reason) {
    return new InvalidAutomergeDataException("counting ops: " + reason, origin);
  }

  /** Fails once more than {@code max} bytes were read (the inflation bound). */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private final long max;
    private final long origin;
    private long n;

    Bounded(InputStream in, long max, long origin) {
      this.in = in;
      this.max = max;
      this.origin = origin;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0 && ++n > max) {
        throw tooMuch();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int got = in.read(b, off, len);
      if (got > 0 && (n += got) > max) {
        throw tooMuch();
      }
      return got;
    }

    private InvalidAutomergeDataException tooMuch() {
      return new InvalidAutomergeDataException(
          "compressed change chunk inflates to more than " + max + " bytes", origin);
    }
  }
}
