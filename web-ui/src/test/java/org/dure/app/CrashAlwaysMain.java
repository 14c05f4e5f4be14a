package org.dure.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands in for Dure in {@link LauncherTest}: every run dies as the JVM does when Automerge aborts
 * (exit status 134). Like the real store, each start takes the native-crash marker away (it has
 * dealt with it) and notes whether it found one, so the test can tell which crashes left one.
 */
public final class CrashAlwaysMain {
  private CrashAlwaysMain() {}

  public static void main(String[] args) throws IOException {
    Path runs = Path.of(System.getProperty("marker"));
    Path data = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--data=")) {
        data = Path.of(args[i].substring("--data=".length()));
      } else if (args[i].equals("--data") && i + 1 < args.length) {
        data = Path.of(args[i + 1]);
      }
    }
    boolean found = data != null && Files.deleteIfExists(data.resolve("native-crash"));
    Files.writeString(
        runs,
        (found ? "marker" : "no marker") + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Runtime.getRuntime().halt(134);
  }
}
