package org.dure.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Every file and directory the store makes is its owner's only, whatever the umask. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "no POSIX permissions; the profile is private")
class PrivateFilesTest {
  @TempDir Path tmp;

  /** The permissions of everything under {@code dir} (and of {@code dir} as "."). */
  static Map<String, String> permissions(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        String name = dir.equals(p) ? "." : dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          name += "/";
        }
        out.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
      }
    }
    return out;
  }

  /** Fails naming every entry that is not 0700 (directories) or 0600 (files). */
  static void assertOwnerOnly(Map<String, String> perms) {
    List<String> loose = new ArrayList<>();
    perms.forEach(
        (name, p) -> {
          if (!p.equals(name.endsWith("/") ? "rwx------" : "rw-------")) {
            loose.add(name + " " + p);
          }
        });
    assertTrue(loose.isEmpty(), "not owner-only: " + loose + " of " + perms);
  }

  @Test
  void everyFileTheStoreMakesIsOwnerOnlyUnderUmask000() throws Exception {
    Path data = tmp.resolve("data");
    Path probe = tmp.resolve("probe");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "umask 000 && exec \"$@\"",
                "sh",
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                PrivateFilesChild.class.getName(),
                data.toString(),
                probe.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      // The umask really was 000: a file made without care is anyone's.
      assertEquals("PROBE rw-rw-rw-", out.readLine());
      assertEquals("READY", out.readLine());
      // Checked while the store is open: SQLite's -wal and -shm exist only then.
      Map<String, String> perms = permissions(data);
      for (String expected :
          List.of(
              ".",
              "dure.db",
              "dure.db-wal",
              "dure.db-shm",
              "dure.lock",
              "journal-0.log",
              "journal-1.log",
              "identity.key",
              "inflight/")) {
        assertTrue(
            perms.containsKey(expected) || perms.containsKey(expected + "/"),
            expected + " in " + perms);
      }
      assertTrue(perms.keySet().stream().anyMatch(n -> n.startsWith("inflight/")), "a record");
      assertOwnerOnly(perms);
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    assertEquals(0, child.exitValue());
    assertOwnerOnly(permissions(data));
  }

  @Test
  void anExistingLooseDataDirectoryIsTightenedWhenTheStoreOpens() throws Exception {
    Path data = tmp.resolve("old");
    try (WikiStore store = WikiStore.open(data)) {
      store.defaultSpace();
    }
    // As an older Dure, or a copy with cp -r under a lax umask, may have left them.
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String f : List.of("dure.db", "identity.key", "journal-0.log", "dure.lock")) {
      Files.setPosixFilePermissions(data.resolve(f), PosixFilePermissions.fromString("rw-rw-rw-"));
    }
    Files.setPosixFilePermissions(
        data.resolve("inflight"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Path mine = Files.writeString(data.resolve("my-notes.txt"), "not Dure's");
    Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rw-r--r--"));

    try (WikiStore store = WikiStore.open(data)) {
      assertEquals("ok", store.integrityCheck());
      Map<String, String> perms = permissions(data);
      perms.remove("my-notes.txt");
      assertOwnerOnly(perms);
    }
    // A file that is not Dure's keeps its permissions (the directory keeps others out anyway).
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
  }
}
