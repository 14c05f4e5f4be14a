package org.dure.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.store.doc.IdentityKeyFile;
import org.dure.store.doc.PrivateFiles;
import org.dure.store.doc.SqliteDocumentStore;
import org.dure.store.sync.StoreSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory this process has taken: its lock file held (so no other process uses it), its
 * files owner-only, and the identity kept in it.
 */
final class DataDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  /** The SQLite database's file name in the data directory. */
  static final String DATABASE_FILE = "dure.db";

  /**
   * What the store keeps in the data directory, owner-only (see {@link PrivateFiles}); an existing
   * one with looser permissions is tightened when the store opens.
   */
  static final List<String> PRIVATE_FILES =
      List.of(
          DATABASE_FILE,
          DATABASE_FILE + "-wal",
          DATABASE_FILE + "-shm",
          DATABASE_FILE + "-journal",
          "dure.lock",
          SqliteDocumentStore.JOURNAL_FILES.get(0),
          SqliteDocumentStore.JOURNAL_FILES.get(1),
          IdentityKeyFile.FILE_NAME,
          IdentityKeyFile.FILE_NAME + ".tmp",
          StoreSync.NATIVE_CRASH_MARKER,
          "inflight/");

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Identity identity;

  private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock, Identity identity) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.identity = identity;
  }

  /**
   * Takes {@code dir} (created if needed): tightens its files, locks it, loads or creates the
   * identity, and creates the database file owner-only.
   *
   * @throws StoreLockedException if another process has it
   */
  static DataDirectory take(Path dir) throws IOException {
    FileChannel ch = null;
    try {
      PrivateFiles.directory(dir);
      PrivateFiles.tighten(dir, PRIVATE_FILES);
      ch =
          PrivateFiles.open(
              dir.resolve("dure.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new StoreLockedException(dir);
      }
      Identity identity = IdentityKeyFile.loadOrCreate(dir);
      // Created owner-only here: SQLite gives its -wal and -shm files the database's permissions.
      PrivateFiles.ensureFile(dir.resolve(DATABASE_FILE));
      return new DataDirectory(dir, ch, lock, identity);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw e;
    }
  }

  Identity identity() {
    return identity;
  }

  /** The SQLite database. */
  Path database() {
    return dir.resolve(DATABASE_FILE);
  }

  /** Where in-flight records are kept (see {@link org.dure.store.sync.InflightLog}). */
  Path inflight() {
    return dir.resolve("inflight");
  }

  /**
   * Releases the lock.
   *
   * @throws IOException if it cannot be released
   */
  void release() throws IOException {
    lock.release();
    lockChannel.close();
  }

  /** Releases the lock, logging a failure. */
  @Override
  public void close() {
    try {
      release();
    } catch (IOException e) {
      LOG.debug("Releasing the data directory lock failed", e);
    }
  }
}
