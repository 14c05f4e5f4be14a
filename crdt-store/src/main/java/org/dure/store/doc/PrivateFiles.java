package org.dure.store.doc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories of the data directory that only their owner may use: directories {@code
 * rwx------} (0700), files {@code rw-------} (0600), whatever the process's umask.
 *
 * <p>The permissions are given when a file is created (the mode of {@code open}/{@code mkdir}), so
 * there is no moment when a file is readable by others; as the umask can only take bits away, the
 * result is then checked and, if the umask took the owner's own bits, set exactly. On file systems
 * without POSIX permissions (Windows) the calls just create the file: there the user profile's
 * directory is private to its user already.
 *
 * <p>SQLite creates {@code dure.db-wal} and {@code dure.db-shm} itself, with the permissions of
 * {@code dure.db} (and it sets them with {@code fchmod}, past the umask); so {@code dure.db} is
 * created here, empty and owner-only, before SQLite first opens it.
 */
public final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /** Whether the file system of {@code p} has POSIX permissions. */
  public static boolean isPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Makes {@code dir} a directory only its owner may use: creates it 0700 (its missing parents as
   * the system makes them) or, if it exists with looser permissions, takes those from the group and
   * others and logs it.
   *
   * @return {@code dir}
   */
  public static Path directory(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      Path parent = d.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        if (isPosix(d)) {
          Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIRECTORY));
          exactly(d, DIRECTORY);
        } else {
          Files.createDirectory(d);
        }
        if (parent != null) {
          Journal.syncDirectory(parent); // the new directory's name survives a power loss
        }
        return dir;
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile (or a file of that name: the check below fails then)
      }
    }
    if (shared(d)) {
      LOG.warn(
          "{} is a shared directory (a root, the home or the temporary directory): its"
              + " permissions are left alone; give Dure a directory of its own",
          d);
      return dir;
    }
    tighten(d);
    return dir;
  }

  /** Whether {@code d} is a directory whose permissions are not Dure's to change. */
  private static boolean shared(Path d) {
    if (d.getParent() == null) {
      return true;
    }
    for (String property : List.of("user.home", "java.io.tmpdir")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        try {
          if (Files.isSameFile(d, Path.of(value))) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // not there: not the same
        }
      }
    }
    return false;
  }

  /** Creates {@code file}, empty and owner-only; fails if it exists. */
  public static Path createFile(Path file) throws IOException {
    if (!isPosix(file)) {
      return Files.createFile(file);
    }
    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    exactly(file, FILE);
    return file;
  }

  /**
   * Opens a channel on {@code file} with {@code options}; if they create it, it is created
   * owner-only.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    if (!isPosix(file)) {
      return FileChannel.open(file, options);
    }
    boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    FileChannel ch = FileChannel.open(file, new HashSet<>(List.of(options)), attribute(FILE));
    if (!existed) {
      try {
        exactly(file, FILE);
      } catch (IOException e) {
        ch.close();
        throw e;
      }
    }
    return ch;
  }

  /**
   * Creates {@code file} owner-only if it does not exist (an existing one is left as it is, to be
   * tightened by {@link #tighten}).
   */
  public static void ensureFile(Path file) throws IOException {
    try {
      createFile(file);
    } catch (FileAlreadyExistsException exists) {
      // kept
    }
  }

  /**
   * Replaces {@code file} with {@code content}: written to an owner-only {@code NAME.tmp} beside it
   * (readers never see half of it), forced to disk, then renamed over it.
   */
  public static void writeAtomically(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    createFile(tmp);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      out.write(content);
      out.flush();
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Takes every permission of the group and others from {@code path} (a file or directory, not
   * followed if it is a link), keeping the owner's; logs what it changed.
   *
   * @return whether anything changed
   */
  public static boolean tighten(Path path) throws IOException {
    if (!isPosix(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (Files.isSymbolicLink(path)) {
      return false; // the link's target is not ours to change
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> wanted = EnumSet.noneOf(PosixFilePermission.class);
    wanted.addAll(now);
    wanted.removeAll(OTHERS);
    if (wanted.equals(now)) {
      return false;
    }
    Files.setPosixFilePermissions(path, wanted);
    LOG.info(
        "{} was {}; now {}: only you may use Dure's files",
        path,
        PosixFilePermissions.toString(now),
        PosixFilePermissions.toString(wanted));
    return true;
  }

  /**
   * Tightens (see {@link #tighten(Path)}) each of {@code names} in {@code dir} that exists; a name
   * ending in {@code /} is a directory whose entries are tightened too.
   *
   * @return the paths changed
   */
  public static List<Path> tighten(Path dir, Collection<String> names) throws IOException {
    List<Path> changed = new ArrayList<>();
    if (!isPosix(dir)) {
      return changed;
    }
    for (String name : new HashSet<>(names)) {
      boolean isDir = name.endsWith("/");
      Path p = dir.resolve(isDir ? name.substring(0, name.length() - 1) : name);
      tightenInto(p, changed);
      if (isDir && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (var entries = Files.newDirectoryStream(p)) {
          for (Path e : entries) {
            tightenInto(e, changed);
          }
        }
      }
    }
    return changed;
  }

  private static void tightenInto(Path p, List<Path> changed) {
    try {
      if (tighten(p)) {
        changed.add(p);
      }
    } catch (IOException e) {
      LOG.warn("Cannot make {} private to you: {}", p, e.toString());
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> p) {
    return PosixFilePermissions.asFileAttribute(p);
  }

  /** Sets exactly {@code perms} if the umask took some of them at creation. */
  private static void exactly(Path path, Set<PosixFilePermission> perms) throws IOException {
    if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(perms)) {
      Files.setPosixFilePermissions(path, perms);
    }
  }
}
