package org.dure.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder on this computer to import from. Links are never followed out of it: a symbolic link to
 * a file inside the folder is read as that file, a link to anything outside it or to a folder is
 * left out (and said so); files are opened without following links, so a file swapped for a link
 * after the listing is not read.
 */
public final class FolderSource implements VaultSource {
  private final Path root;
  private final List<Entry> entries;
  private final Map<String, Path> files;
  private final List<String> leftOut;

  private FolderSource(Path root, List<Entry> entries, Map<String, Path> files, List<String> out) {
    this.root = root;
    this.entries = entries;
    this.files = files;
    this.leftOut = out;
  }

  /**
   * Lists the folder.
   *
   * @throws VaultException if it is not a folder or holds more than the limits allow
   */
  public static FolderSource open(Path folder, VaultLimits limits) throws VaultException {
    Path root;
    try {
      root = folder.toRealPath();
    } catch (IOException e) {
      throw new VaultException("Cannot open the folder " + folder + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(root)) {
      throw new VaultException(
          folder + " is not a folder: choose the folder of your Markdown files.");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Path> files = new HashMap<>();
    List<String> leftOut = new ArrayList<>();
    int[] seen = {0};
    try {
      Files.walkFileTree(
          root,
          java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              count();
              if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
              }
              String rel = VaultSource.normalize(root.relativize(dir).toString());
              if (rel == null) {
                return FileVisitResult.SKIP_SUBTREE; // hidden
              }
              if (root.relativize(dir).getNameCount() > limits.maxDepth()) {
                throw new VaultException(
                    "The folder "
                        + rel
                        + " is nested more than "
                        + limits.maxDepth()
                        + " folders deep; import a folder that is less deep.");
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              count();
              String rel = VaultSource.normalize(root.relativize(file).toString());
              if (rel == null) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isSymbolicLink()) {
                Path target;
                try {
                  target = file.toRealPath();
                } catch (IOException e) {
                  leftOut.add(rel + ": a link to nothing");
                  return FileVisitResult.CONTINUE;
                }
                if (!target.startsWith(root)) {
                  leftOut.add(rel + ": a link out of the folder, not followed");
                  return FileVisitResult.CONTINUE;
                }
                if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                  leftOut.add(rel + ": a link to a folder, not followed");
                  return FileVisitResult.CONTINUE;
                }
                entries.add(new Entry(rel, Files.size(target)));
                files.put(rel, target);
              } else if (attrs.isRegularFile()) {
                entries.add(new Entry(rel, attrs.size()));
                files.put(rel, file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              leftOut.add(root.relativize(file) + ": cannot be read (" + exc.getMessage() + ")");
              return FileVisitResult.CONTINUE;
            }

            private void count() throws VaultException {
              if (++seen[0] > limits.maxEntries()) {
                throw new VaultException(
                    "The folder holds more than "
                        + limits.maxEntries()
                        + " files and folders; import a smaller folder.");
              }
            }
          });
    } catch (VaultException e) {
      throw e;
    } catch (IOException e) {
      throw new VaultException("Cannot list the folder " + folder + ": " + e.getMessage(), e);
    }
    entries.sort(Comparator.comparing(Entry::path));
    return new FolderSource(root, List.copyOf(entries), files, List.copyOf(leftOut));
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public List<String> leftOut() {
    return leftOut;
  }

  @Override
  public InputStream open(Entry entry) throws IOException {
    Path p = files.get(entry.path());
    if (p == null) {
      throw new NoSuchFileException(entry.path());
    }
    if (!p.toAbsolutePath().startsWith(root)) {
      throw new IOException(entry.path() + " is not in " + root);
    }
    return Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
  }
}
