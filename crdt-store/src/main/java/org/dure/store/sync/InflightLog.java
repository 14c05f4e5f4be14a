package org.dure.store.sync;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.store.doc.NativeLoads;
import org.dure.store.doc.PrivateFiles;
import org.dure.store.doc.StoreException;
import org.dure.store.format.ChangeHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what native code is working on while it does: a lane writes a record right before it
 * hands a peer's input (or a stored document it loads) to Automerge, and marks it done right after.
 * So at any instant the active records name exactly the inputs inside native code, one per lane,
 * not those waiting in a lane's queue. If the process dies inside the call (Automerge-Java aborts
 * the JVM on some inputs), the records are still there at the next start ({@link CrashRecovery}).
 *
 * <p>Each thread has its own record file (one more per level of nesting, as when a lane loads a
 * document while it imports another), overwritten in place by one gathering {@code write} before
 * native code runs (the input's bytes are not copied), and marked done by overwriting one byte.
 * Creating, writing and deleting a file per input cost 2 to 5 times as much (measured on ext4: 30,
 * 109 and 913 µs for a 300-byte, 16 KiB and 1 MiB input, against 13, 42 and 185 µs to overwrite a
 * file in place). A record only has to survive the death of the process, not of the machine: what a
 * write call wrote is in the operating system's cache whether or not the process dies next, so no
 * {@code fsync} (and a power cut leaves no native-crash marker, so nobody is blamed then anyway). A
 * record keeps the input's bytes when they are small enough ({@link #MAX_KEPT_BYTES}), so that when
 * several lanes were in native code at once the next start can replay each alone to find the one
 * that crashes.
 */
public final class InflightLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InflightLog.class);
  private static final int MAGIC = 0x44_49_46_32; // "DIF2"

  /** Offset of the byte that says whether a record is active (native code is on it) or done. */
  private static final int STATE_AT = 4;

  /** Inputs larger than this are recorded by hash only (and cannot be replayed). */
  static final int MAX_KEPT_BYTES = 1024 * 1024;

  /** What native code was doing. */
  enum Kind {
    SYNC_MESSAGE("a sync message"),
    SNAPSHOT("a snapshot"),
    STORED_DOCUMENT("loading a stored document");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** A change an input carries, as the validator read its header. */
  record ChangeId(byte[] hash, byte[] actor, long seq) {
    static ChangeId of(ChangeHeader h) {
      return new ChangeId(h.hash(), h.actor(), h.seq());
    }
  }

  /**
   * One piece of native work.
   *
   * @param peer the sender of the input; empty for a stored document
   * @param sha SHA-256 of the input (empty for a stored document)
   * @param changes the changes the input carries, as validated (empty for snapshots)
   * @param input the input's bytes, or null if larger than {@link #MAX_KEPT_BYTES} or stored
   */
  record Entry(
      Kind kind, String peer, String docId, byte[] sha, List<ChangeId> changes, byte[] input) {

    static Entry syncMessage(
        String peer, String docId, byte[] sha, List<ChangeHeader> changes, byte[] message) {
      return new Entry(
          Kind.SYNC_MESSAGE,
          peer,
          docId,
          sha,
          changes.stream().map(ChangeId::of).toList(),
          message.length <= MAX_KEPT_BYTES ? message : null);
    }

    static Entry snapshot(String peer, String docId, byte[] sha, byte[] snapshot) {
      return new Entry(
          Kind.SNAPSHOT,
          peer,
          docId,
          sha,
          List.of(),
          snapshot.length <= MAX_KEPT_BYTES ? snapshot : null);
    }

    static Entry storedDocument(String docId) {
      return new Entry(Kind.STORED_DOCUMENT, "", docId, new byte[0], List.of(), null);
    }

    /** What it was, for people: "a sync message from PEER for DOC". */
    String describe() {
      return kind == Kind.STORED_DOCUMENT
          ? kind.label + " (" + docId + ")"
          : kind.label + " from " + peer + " (for " + docId + ")";
    }
  }

  private final Path dir;
  private final AtomicLong counter = new AtomicLong();

  /** A thread's record files, one per nesting level, and how many are active. */
  private static final class Slots {
    final List<Path> files = new ArrayList<>();
    final List<FileChannel> channels = new ArrayList<>();
    int depth;
  }

  private final Map<Thread, Slots> slots = new ConcurrentHashMap<>();

  /** The record files of this log (this process's): never leftovers, while it writes them. */
  private final Set<Path> own = ConcurrentHashMap.newKeySet();

  /**
   * The log in {@code dir} (created if needed), or one that records nothing if {@code dir} is null
   * (a store in memory).
   */
  public static InflightLog open(Path dir) throws IOException {
    return new InflightLog(dir);
  }

  /** A log in {@code dir}, or one that records nothing if {@code dir} is null (in memory). */
  InflightLog(Path dir) throws IOException {
    this.dir = dir == null ? null : PrivateFiles.directory(dir);
  }

  /**
   * The record files earlier runs left (active ones: native work in progress when they died), not
   * this log's own: a lane keeps writing its records into the file it made, so one forgotten while
   * this process runs would leave its later records unseen.
   */
  List<Path> leftovers() throws IOException {
    List<Path> out = new ArrayList<>();
    if (dir == null) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (!own.contains(f)) {
          out.add(f);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Reads a record; null if it was done (or cannot be read: logged). */
  static Entry read(Path f) {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not an in-flight record");
      }
      if (in.readUnsignedByte() != 1) {
        return null; // done: native code finished with it
      }
      Kind kind = Kind.values()[in.readUnsignedByte()];
      String peer = in.readUTF();
      String docId = in.readUTF();
      byte[] sha = in.readNBytes(in.readUnsignedByte());
      int n = in.readInt();
      if (n < 0 || n > 1_000_000) {
        throw new IOException("bad change count " + n);
      }
      List<ChangeId> changes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] hash = in.readNBytes(32);
        byte[] actor = in.readNBytes(in.readUnsignedShort());
        changes.add(new ChangeId(hash, actor, in.readLong()));
      }
      int length = in.readInt();
      if (length > MAX_KEPT_BYTES) {
        throw new IOException("bad input length " + length);
      }
      byte[] input = length < 0 ? null : in.readNBytes(length);
      if (input != null && input.length != length) {
        throw new IOException("truncated");
      }
      return new Entry(kind, peer, docId, sha, List.copyOf(changes), input);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Unreadable in-flight record {} ignored: {}", f, e.toString());
      return null;
    }
  }

  /** Forgets a record left by an earlier run, once it has been dealt with. */
  static void forget(Path record) throws IOException {
    Files.deleteIfExists(record);
  }

  /**
   * Records that native code is about to work on {@code entry}; returns the record to {@link #end}
   * on the same thread (null when this log records nothing).
   *
   * @throws StoreException if the record cannot be written (then the work must not start)
   */
  Path begin(Entry entry) {
    if (dir == null) {
      return null;
    }
    Slots s = slots.computeIfAbsent(Thread.currentThread(), t -> new Slots());
    try {
      if (s.depth == s.files.size()) {
        Path f;
        FileChannel ch;
        while (true) {
          f = dir.resolve(ProcessHandle.current().pid() + "-" + counter.incrementAndGet());
          try {
            ch = PrivateFiles.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            break;
          } catch (FileAlreadyExistsException taken) {
            // a name an earlier process used: the next one
          }
        }
        own.add(f);
        s.files.add(f);
        s.channels.add(ch);
      }
      // The header and the input's bytes (not copied) in one gathering write from the start.
      ByteBuffer[] record = {
        ByteBuffer.wrap(header(entry)),
        ByteBuffer.wrap(entry.input() == null ? new byte[0] : entry.input())
      };
      FileChannel ch = s.channels.get(s.depth);
      ch.position(0);
      while (record[0].hasRemaining() || record[1].hasRemaining()) {
        ch.write(record);
      }
    } catch (IOException e) {
      throw new StoreException("Cannot record the input in flight: " + e.getMessage(), e);
    }
    return s.files.get(s.depth++);
  }

  /** Native code is done with what {@code record} named (called on the thread that began it). */
  void end(Path record) {
    if (record == null) {
      return;
    }
    Slots s = slots.get(Thread.currentThread());
    if (s == null || s.depth == 0 || !s.files.get(s.depth - 1).equals(record)) {
      throw new IllegalStateException("In-flight record " + record + " ended out of turn");
    }
    s.depth--;
    try {
      s.channels.get(s.depth).write(ByteBuffer.wrap(new byte[] {0}), STATE_AT);
    } catch (IOException e) {
      LOG.warn("Cannot mark the in-flight record {} done", record, e);
    }
  }

  /** The kernel's hook: a record names each stored document while native code loads it. */
  public NativeLoads loads() {
    return docId -> {
      Path record = begin(Entry.storedDocument(docId));
      return () -> end(record);
    };
  }

  /** Closes and removes this process's record files (the store closes: nothing is in flight). */
  @Override
  public void close() {
    for (Slots s : slots.values()) {
      for (int i = 0; i < s.files.size(); i++) {
        try {
          s.channels.get(i).close();
          Files.deleteIfExists(s.files.get(i));
        } catch (IOException e) {
          LOG.debug("Cannot remove the in-flight record {}", s.files.get(i), e);
        }
      }
    }
    slots.clear();
    own.clear();
  }

  /** A record up to its input's bytes, which follow it. */
  private static byte[] header(Entry e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 48 * e.changes().size());
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeByte(1); // active (STATE_AT)
    out.writeByte(e.kind().ordinal());
    out.writeUTF(e.peer());
    out.writeUTF(e.docId());
    out.writeByte(e.sha().length);
    out.write(e.sha());
    out.writeInt(e.changes().size());
    for (ChangeId c : e.changes()) {
      out.write(c.hash());
      out.writeShort(c.actor().length);
      out.write(c.actor());
      out.writeLong(c.seq());
    }
    out.writeInt(e.input() == null ? -1 : e.input().length);
    out.flush();
    return bytes.toByteArray();
  }
}
