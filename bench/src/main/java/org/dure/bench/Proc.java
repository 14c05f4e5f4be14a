package org.dure.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the operating system says about this process's memory (Linux; empty elsewhere). */
public final class Proc {
  private Proc() {}

  /** Peak resident set size (VmHWM) in bytes. */
  public static OptionalLong peakRssBytes() {
    return statusKb("VmHWM:");
  }

  /** Current resident set size (VmRSS) in bytes. */
  public static OptionalLong rssBytes() {
    return statusKb("VmRSS:");
  }

  private static OptionalLong statusKb(String key) {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(key)) {
          String kb = line.substring(key.length()).trim().split("\\s+")[0];
          return OptionalLong.of(Long.parseLong(kb) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
