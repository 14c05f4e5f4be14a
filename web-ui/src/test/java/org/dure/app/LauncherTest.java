package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./dure} launcher restarts the server when the JVM dies in native code. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "tests the bash launcher")
class LauncherTest {
  @TempDir Path tmp;

  @Test
  void theServerIsRestartedAfterAnAbortAndACommandIsNot() throws Exception {
    Path jar = tmp.resolve("crash-once.jar");
    writeJar(jar, CrashOnceMain.class);
    Path marker = tmp.resolve("marker");

    Path data = Files.createDirectories(tmp.resolve("data"));
    Result server = run(jar, marker, "--data", data.toString(), "--port", "0");
    assertEquals(0, server.status, server.err);
    assertTrue(server.err.contains("restarting"), server.err);
    assertEquals("crashed once\nran again\n", Files.readString(marker));
    // The restarted store learns that the JVM died in native code (so it may blame the input).
    assertTrue(Files.exists(data.resolve("native-crash")));

    Files.delete(marker);
    Result command = run(jar, marker, "net", "id");
    assertEquals(134, command.status, command.err);
    assertEquals("crashed once\n", Files.readString(marker));
  }

  @Test
  void afterTheSixthCrashInTenMinutesTheLauncherGivesUpButStillLeavesTheMarker() throws Exception {
    Path jar = tmp.resolve("crash-always.jar");
    writeJar(jar, CrashAlwaysMain.class);
    Path runs = tmp.resolve("runs");
    Path data = Files.createDirectories(tmp.resolve("data dir"));
    // --data=DIR after another option: found wherever it is.
    Result r = run(jar, runs, "--port", "0", "--data=" + data);
    assertEquals(134, r.status, r.err);
    assertTrue(r.err.contains("not restarting"), r.err);
    // Six runs: the first found no marker, each restart found the one the launcher left.
    assertEquals(
        "no marker\nmarker\nmarker\nmarker\nmarker\nmarker\n", Files.readString(runs), r.err);
    // And the sixth crash left one too, for the next start by hand to quarantine what crashed.
    assertTrue(Files.exists(data.resolve("native-crash")));
  }

  private record Result(int status, String err) {}

  private Result run(Path jar, Path marker, String... args) throws Exception {
    Path root = repositoryRoot();
    var cmd = new ArrayList<String>();
    cmd.add(root.resolve("dure").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DURE_JAR", jar.toString());
    pb.environment().put("DURE_JAVA_OPTS", "-Dmarker=" + marker);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), err);
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("dure")) && Files.isDirectory(p.resolve("web-ui"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found");
  }

  private static void writeJar(Path jar, Class<?> main) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
    String entry = main.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, mf);
        InputStream cls = main.getClassLoader().getResourceAsStream(entry)) {
      j.putNextEntry(new JarEntry(entry));
      cls.transferTo(j);
      j.closeEntry();
    }
  }
}
