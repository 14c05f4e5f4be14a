package org.dure.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands in for Dure in {@link LauncherTest}: the first run dies as the JVM does when Automerge
 * aborts (exit status 134), the second run succeeds.
 */
public final class CrashOnceMain {
  private CrashOnceMain() {}

  public static void main(String[] args) throws IOException {
    Path marker = Path.of(System.getProperty("marker"));
    if (!Files.exists(marker)) {
      Files.writeString(marker, "crashed once\n");
      Runtime.getRuntime().halt(134);
    }
    Files.writeString(marker, "ran again\n", StandardOpenOption.APPEND);
    System.out.println("second run");
  }
}
