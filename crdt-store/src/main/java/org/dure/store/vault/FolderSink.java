package org.dure.store.vault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an export into a folder that is new or empty, so nothing there is overwritten and no file
 * of an earlier export is left beside the new ones.
 */
public final class FolderSink implements VaultSink {
  private final Path root;

  private FolderSink(Path root) {
    this.root = root;
  }

  /**
   * Creates the folder if needed.
   *
   * @throws VaultException if it exists and is not an empty folder, or cannot be made
   */
  public static FolderSink create(Path folder) throws VaultException {
    try {
      if (Files.exists(folder)) {
        if (!Files.isDirectory(folder)) {
          throw new VaultException(folder + " is a file; name a new or empty folder.");
        }
        try (DirectoryStream<Path> in = Files.newDirectoryStream(folder)) {
          if (in.iterator().hasNext()) {
            throw new VaultException(
                folder + " is not empty; name a new or empty folder, so nothing is overwritten.");
          }
        }
      }
      Files.createDirectories(folder);
      return new FolderSink(folder.toRealPath());
    } catch (VaultException e) {
      throw e;
    } catch (IOException e) {
      throw new VaultException("Cannot create the folder " + folder + ": " + e.getMessage(), e);
    }
  }

  @Override
  public OutputStream create(String path) throws IOException {
    String rel = VaultSource.normalize(path);
    if (rel == null || !rel.equals(path)) {
      throw new IllegalArgumentException("Not a path inside the folder: " + path);
    }
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }
}
