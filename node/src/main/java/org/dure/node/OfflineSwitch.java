package org.dure.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dure.store.doc.PrivateFiles;

/**
 * Whether Dure keeps off the network, so people can work apart on purpose. Kept as a file in the
 * data directory ({@code offline}): the running app and {@code ./dure offline on|off} (a separate
 * process, which cannot open the locked store) agree on it, and it survives restarts.
 */
public final class OfflineSwitch {
  /** The switch's file name in the data directory. */
  public static final String FILE_NAME = "offline";

  private final Path file;

  public OfflineSwitch(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  public boolean isOffline() {
    return Files.exists(file);
  }

  public void set(boolean offline) {
    try {
      if (offline) {
        PrivateFiles.writeAtomically(
            file,
            "Dure keeps off the network while this file exists (./dure offline off removes it).\n"
                .getBytes(StandardCharsets.UTF_8));
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot change the offline switch " + file, e);
    }
  }
}
