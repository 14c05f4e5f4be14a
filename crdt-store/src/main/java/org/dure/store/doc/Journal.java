package org.dure.store.doc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of page edits not yet written to SQLite. Appending copies the record into a
 * memory-mapped file, so an edit is safe from a crash of the process as soon as the call returns
 * (the bytes are in the kernel's page cache, which a killed process does not take with it; a {@code
 * write} per edit, as before, is no safer and costs a system call), without paying for a SQLite
 * transaction per keystroke; {@link SqliteDocumentStore} moves the edits into SQLite in batches and
 * then empties the file. Two files alternate: edits go to one while the other's batch is written to
 * SQLite.
 *
 * <p>Against a power loss, {@link #force} writes the records through to the disk ({@code msync});
 * callers that must not acknowledge an edit before it is there wait for it (see {@link
 * SqliteDocumentStore#awaitDurable}). A file is emptied only after its records were committed to
 * SQLite with {@code synchronous=FULL}, so every record is on the disk in one place or the other.
 *
 * <p>A record is {@code [u32 length][u32 CRC32C of the body][body]}; reading stops at a length of
 * zero (the unused, zero-filled rest of the file) and at the first record that is cut short or
 * fails its checksum (the tail of a write interrupted by a power loss). The length is written last,
 * so a record is never seen half-written. Emptying a file sets its used bytes back to zero rather
 * than truncating it, as a mapped file cannot be truncated everywhere.
 */
final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final byte VERSION = 1;

  /** The largest record accepted when reading (a page body of 2 M code points fits easily). */
  static final int MAX_RECORD = 64 * 1024 * 1024;

  /** The size a file is first mapped with; it doubles when a record does not fit. */
  static final int INITIAL_MAP_BYTES = 1024 * 1024;

  private static final byte[] ZEROS = new byte[64 * 1024];

  /** The two files' names in the data directory. */
  static final List<String> FILE_NAMES = List.of("journal-0.log", "journal-1.log");

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
  private final MappedByteBuffer[] maps = new MappedByteBuffer[2];
  private int active;
  private final long[] ends = new long[2];
  private final CRC32C crc = new CRC32C();

  /** Records appended since the journal was opened; a record's number is its ticket. */
  private long appended;

  /** Every record up to this ticket is on disk (forced, or emptied after a durable commit). */
  private long forced;

  /** Whether a thread is forcing the files now (the others wait for it: group commit). */
  private boolean forcing;

  private Journal(Path dir) throws IOException {
    files = new Path[] {dir.resolve(FILE_NAMES.get(0)), dir.resolve(FILE_NAMES.get(1))};
    boolean created = false;
    for (int i = 0; i < 2; i++) {
      created |= !Files.exists(files[i]);
      channels[i] =
          PrivateFiles.open(
              files[i],
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    }
    if (created) {
      syncDirectory(dir); // so the new files' names survive a power loss too
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
      if (length == 0) {
        return; // the zero-filled space after the last record
      }
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

  /**
   * Appends {@code e} to the active file. It is then safe from a crash of the process; {@link
   * #force} makes it safe from a power loss.
   *
   * @return the record's ticket, for {@link #force}
   */
  synchronized long append(Entry e) throws IOException {
    byte[] docId = e.docId().getBytes(StandardCharsets.UTF_8);
    byte[] message = e.message() == null ? null : e.message().getBytes(StandardCharsets.UTF_8);
    int length =
        1
            + field(docId)
            + 8
            + field(e.data())
            + field(e.sha())
            + field(e.heads())
            + field(e.author())
            + 8
            + field(message);
    long at = ends[active];
    MappedByteBuffer map = mapFor(active, at + 8 + length);
    int p = (int) at + 8;
    map.put(p, VERSION);
    p = put(map, p + 1, docId);
    map.putLong(p, e.seq());
    p = put(map, p + 8, e.data());
    p = put(map, p, e.sha());
    p = put(map, p, e.heads());
    p = put(map, p, e.author());
    map.putLong(p, e.time());
    put(map, p + 8, message);
    crc.reset();
    crc.update(map.slice((int) at + 8, length));
    map.putInt((int) at + 4, (int) crc.getValue());
    map.putInt((int) at, length); // last: until now the record reads as the end of the file
    ends[active] = at + 8 + length;
    return ++appended;
  }

  /** The ticket of the last record appended (0 if none). */
  synchronized long lastTicket() {
    return appended;
  }

  /** The ticket up to which every record is known to be on the disk. */
  synchronized long forcedTicket() {
    return forced;
  }

  /**
   * Returns once every record up to {@code ticket} is on the disk ({@code msync} of the files' used
   * bytes). Callers that arrive while another thread forces wait for it and force again only if
   * their record came after it started (group commit: one {@code msync} serves every record
   * appended before it). Appending goes on meanwhile; this does not hold the journal's lock while
   * it waits for the disk.
   *
   * <p>A file emptied by {@link #clear} while it is being forced held records that were committed
   * to SQLite durably first, so they are on the disk either way.
   */
  void force(long ticket) throws IOException {
    MappedByteBuffer[] toForce = new MappedByteBuffer[2];
    int[] lengths = new int[2];
    long target;
    synchronized (this) {
      while (forced < ticket && forcing) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("Interrupted while forcing the journal");
        }
      }
      if (forced >= ticket) {
        return;
      }
      forcing = true;
      target = appended;
      for (int i = 0; i < 2; i++) {
        toForce[i] = maps[i];
        lengths[i] = (int) ends[i];
      }
    }
    boolean done = false;
    try {
      for (int i = 0; i < 2; i++) {
        if (toForce[i] != null && lengths[i] > 0) {
          toForce[i].force(0, lengths[i]);
        }
      }
      done = true;
    } finally {
      synchronized (this) {
        forcing = false;
        if (done) {
          forced = Math.max(forced, target);
        }
        notifyAll();
      }
    }
  }

  /**
   * Forces the directory {@code dir} itself to the disk, so files just created in it keep their
   * names after a power loss. Does nothing where a directory cannot be opened (Windows).
   */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("Cannot force the directory {} to the disk: {}", dir, e.toString());
    }
  }

  private static int field(byte[] b) {
    return 4 + (b == null ? 0 : b.length);
  }

  private static int put(MappedByteBuffer map, int p, byte[] b) {
    if (b == null) {
      map.putInt(p, -1);
      return p + 4;
    }
    map.putInt(p, b.length);
    map.put(p + 4, b);
    return p + 4 + b.length;
  }

  /**
   * The mapping of file {@code i}, at least {@code size} bytes long. The first time, the file is
   * emptied (its records were read and applied when the store opened) and mapped.
   */
  private MappedByteBuffer mapFor(int i, long size) throws IOException {
    MappedByteBuffer map = maps[i];
    if (map != null && map.capacity() >= size) {
      return map;
    }
    if (map == null) {
      wipe(i);
    }
    long capacity = map == null ? INITIAL_MAP_BYTES : 2L * map.capacity();
    while (capacity < size) {
      capacity *= 2;
    }
    if (capacity > Integer.MAX_VALUE) {
      throw new IOException("The journal file " + files[i] + " would exceed 2 GiB");
    }
    maps[i] = channels[i].map(FileChannel.MapMode.READ_WRITE, 0, capacity);
    // Mapping grew the file: its new length goes to the disk now (rarely: it doubles), so that
    // forcing the mapped bytes later needs no metadata.
    channels[i].force(true);
    return maps[i];
  }

  /** Empties file {@code i}, which is not mapped. */
  private void wipe(int i) throws IOException {
    FileChannel ch = channels[i];
    try {
      ch.truncate(0);
    } catch (IOException e) {
      // A mapping of it from an earlier, closed journal may still exist (Windows refuses then).
      long size = ch.size();
      for (long p = 0; p < size; p += ZEROS.length) {
        ByteBuffer zeros = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, size - p));
        while (zeros.hasRemaining()) {
          ch.write(zeros, p + zeros.position());
        }
      }
    }
    ends[i] = 0;
  }

  /** Makes the other file the active one; returns the index of the one to clear once applied. */
  synchronized int rotate() {
    int old = active;
    active = 1 - active;
    return old;
  }

  /**
   * Empties file {@code index} after its records were applied. A mapped file's used bytes are set
   * to zero from the start, so a crash half-way leaves a file that reads as empty or as records
   * already applied.
   */
  synchronized void clear(int index) throws IOException {
    MappedByteBuffer map = maps[index];
    if (map == null) {
      wipe(index);
      return;
    }
    int end = (int) ends[index];
    for (int p = 0; p < end; p += ZEROS.length) {
      map.put(p, ZEROS, 0, Math.min(ZEROS.length, end - p));
    }
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
