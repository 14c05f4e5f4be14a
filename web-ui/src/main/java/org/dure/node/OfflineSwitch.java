package org.dure.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether Dure keeps off the network, so people can work apart on purpose. Kept as a file in the
 * data directory ({@code offline}): the running app and {@code ./dure offline on|off} (a separate
 * process, which cannot open the locked store) agree on it, and it survives restarts.
 */
public final class OfflineSwitch {
  private final Path file;

  public OfflineSwitch(Path dataDir) {
    this.file = dataDir.resolve("offline");
  }

  public boolean isOffline() {
    return Files.exists(file);
  }

  public void set(boolean offline) {
    try {
      if (offline) {
        Files.writeString(
            file,
            "Dure keeps off the network while this file exists (./dure offline off removes it).\n");
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot change the offline switch " + file, e);
    }
  }
}
