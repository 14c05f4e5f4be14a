package org.dure.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of page edits not yet written to SQLite. Appending is one {@code write} to a
 * file, so an edit is safe from a crash of the process as soon as the call returns, without paying
 * for a SQLite transaction per keystroke; {@link Database} moves the edits into SQLite in batches
 * and then empties the file. Two files alternate: edits go to one while the other's batch is
 * written to SQLite.
 *
 * <p>A record is {@code [u32 length][u32 CRC32C of the body][body]}; reading stops at the first
 * record that is cut short or fails its checksum (the tail of a write interrupted by a power loss).
 */
final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final byte VERSION = 1;

  /** The largest record accepted when reading (a page body of 2 M code points fits easily). */
  static final int MAX_RECORD = 64 * 1024 * 1024;

  /**
   * One persisted commit of a page.
   *
   * @param author the author's public key, or null
   * @param message the commit message, or null
   */
  record Entry(
      String docId,
      long seq,
      byte[] data,
      byte[] sha,
      byte[] heads,
      byte[] author,
      long time,
      String message) {}

  private final Path[] files;
  private final FileChannel[] channels = new FileChannel[2];
  private int active;
  private final long[] ends = new long[2];

  private Journal(Path dir) throws IOException {
    files = new Path[] {dir.resolve("journal-0.log"), dir.resolve("journal-1.log")};
    for (int i = 0; i < 2; i++) {
      channels[i] =
          FileChannel.open(
              files[i],
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    }
  }

  static Journal open(Path dir) throws IOException {
    return new Journal(dir);
  }

  /** The valid records of both files (to be re-applied at start-up; already-applied ones too). */
  synchronized List<Entry> readAll() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      readFile(i, out);
    }
    return out;
  }

  private void readFile(int i, List<Entry> out) throws IOException {
    FileChannel ch = channels[i];
    long size = ch.size();
    long pos = 0;
    ByteBuffer header = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      header.clear();
      readFully(ch, header, pos);
      header.flip();
      int length = header.getInt();
      int crc = header.getInt();
      if (length < 1 || length > MAX_RECORD || pos + 8 + length > size) {
        LOG.warn("{}: the record at {} is cut short; ignoring the rest of the file", files[i], pos);
        return;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(ch, body, pos + 8);
      CRC32C c = new CRC32C();
      c.update(body.array());
      if ((int) c.getValue() != crc) {
        LOG.warn("{}: the record at {} fails its checksum; ignoring the rest", files[i], pos);
        return;
      }
      try {
        out.add(decode(ByteBuffer.wrap(body.array())));
      } catch (RuntimeException e) {
        LOG.warn("{}: the record at {} cannot be read ({}); ignoring the rest", files[i], pos, e);
        return;
      }
      pos += 8 + length;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        throw new IOException("Unexpected end of the journal");
      }
    }
  }

  /** Appends {@code e} to the active file. */
  synchronized void append(Entry e) throws IOException {
    byte[] body = encode(e);
    CRC32C c = new CRC32C();
    c.update(body);
    ByteBuffer buf = ByteBuffer.allocate(8 + body.length);
    buf.putInt(body.length).putInt((int) c.getValue()).put(body).flip();
    FileChannel ch = channels[active];
    long at = ends[active];
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
    ends[active] = at;
  }

  /** Makes the other file the active one; returns the index of the one to clear once applied. */
  synchronized int rotate() {
    int old = active;
    active = 1 - active;
    return old;
  }

  /** Empties file {@code index} after its records were applied. */
  synchronized void clear(int index) throws IOException {
    channels[index].truncate(0);
    ends[index] = 0;
  }

  /** Empties both files. */
  synchronized void clearAll() throws IOException {
    clear(0);
    clear(1);
  }

  @Override
  public synchronized void close() throws IOException {
    for (FileChannel ch : channels) {
      ch.close();
    }
  }

  static byte[] encode(Entry e) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + e.data().length);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      writeBytes(out, e.docId().getBytes(StandardCharsets.UTF_8));
      out.writeLong(e.seq());
      writeBytes(out, e.data());
      writeBytes(out, e.sha());
      writeBytes(out, e.heads());
      writeBytes(out, e.author());
      out.writeLong(e.time());
      writeBytes(out, e.message() == null ? null : e.message().getBytes(StandardCharsets.UTF_8));
      return bytes.toByteArray();
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  static Entry decode(ByteBuffer in) {
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown record version " + version);
    }
    String docId = new String(readBytes(in), StandardCharsets.UTF_8);
    long seq = in.getLong();
    byte[] data = readBytes(in);
    byte[] sha = readBytes(in);
    byte[] heads = readBytes(in);
    byte[] author = readBytes(in);
    long time = in.getLong();
    byte[] message = readBytes(in);
    if (data == null || sha == null || heads == null) {
      throw new IllegalArgumentException("a required field is missing");
    }
    return new Entry(
        docId,
        seq,
        data,
        sha,
        heads,
        author,
        time,
        message == null ? null : new String(message, StandardCharsets.UTF_8));
  }

  private static byte[] readBytes(ByteBuffer in) {
    int n = in.getInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("a field's length " + n + " exceeds the record");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
