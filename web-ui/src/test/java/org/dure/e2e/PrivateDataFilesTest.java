package org.dure.e2e;

import static org.dure.e2e.DureProcess.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running Dure started under {@code umask 000} keeps every file of its data directory its owner's
 * only: the store's, and the app's own (the API token, {@code node.json}, the address book, the
 * offline switch).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "no POSIX permissions; the profile is private")
class PrivateDataFilesTest {
  @TempDir Path tmp;

  @Test
  void everyFileOfARunningDureIsOwnerOnlyUnderUmask000() throws Exception {
    Path dirA = tmp.resolve("a");
    Path dirB = tmp.resolve("b");
    try (DureProcess a = DureProcess.startWithUmask("private-a", dirA, "000");
        DureProcess b = DureProcess.startWithUmask("private-b", dirB, "000")) {
      a.cli("connect", b.address()).ok(); // A's address book gets B: peers.txt
      a.putPage("My wiki/Notes", "Private notes.\n");
      a.cli("offline", "on").ok(); // the switch's file
      List<String> expected =
          List.of(
              "dure.db",
              "dure.db-wal",
              "dure.db-shm",
              "dure.lock",
              "journal-0.log",
              "journal-1.log",
              "identity.key",
              "inflight/",
              "api-token",
              "node.json",
              "peers.txt",
              "offline");
      await(
          Duration.ofSeconds(20),
          () -> permissions(dirA).keySet().containsAll(expected),
          () -> "A has " + expected + ": " + permissions(dirA));
      assertOwnerOnly(permissions(dirA));
      assertOwnerOnly(permissions(dirB));
    }
    // Probe: this test's own files, made without care under the same conditions, would not be.
    Path probe = tmp.resolve("probe");
    new ProcessBuilder("/bin/sh", "-c", "umask 000 && : > \"$0\"", probe.toString())
        .start()
        .waitFor();
    assertTrue(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)).equals("rw-rw-rw-"),
        "umask 000 really makes files anyone's");
  }

  /** Every entry under {@code dir}, relative ("." for itself, directories ending in "/"). */
  private static Map<String, String> permissions(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        String name = dir.equals(p) ? "." : dir.relativize(p).toString();
        try {
          if (Files.isDirectory(p)) {
            name += "/";
          }
          out.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } catch (IOException gone) {
          // a temporary file renamed meanwhile
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new AssertionError("cannot list " + dir, e);
    }
    return out;
  }

  private static void assertOwnerOnly(Map<String, String> perms) {
    List<String> loose = new ArrayList<>();
    perms.forEach(
        (name, p) -> {
          if (!p.equals(name.endsWith("/") ? "rwx------" : "rw-------")) {
            loose.add(name + " " + p);
          }
        });
    assertTrue(loose.isEmpty(), "not owner-only: " + loose + " of " + perms);
  }
}
