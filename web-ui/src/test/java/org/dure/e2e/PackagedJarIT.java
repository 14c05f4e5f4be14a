package org.dure.e2e;

import static org.dure.e2e.DureProcess.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application ({@code java -jar dure.jar}, what {@code ./dure} runs), after {@code
 * package}: two headless nodes, an invite and a page that arrives. This covers what only the jar
 * can show, e.g. that snapshots from a peer are loaded in the sandbox process started from the
 * Spring Boot jar (its classes are nested, so a plain class path does not work there).
 */
class PackagedJarIT {
  @TempDir Path tmp;

  @Test
  void twoPackagedNodesShareASpace() throws Exception {
    Path jar = Path.of(System.getProperty("dure.jar", "target/dure.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "no " + jar + " (run mvn package first)");
    try (DureProcess a = DureProcess.startJar("jar-a", tmp.resolve("a"), jar);
        DureProcess b = DureProcess.startJar("jar-b", tmp.resolve("b"), jar)) {
      a.cli("space", "create", "Village").ok();
      a.putPage("Village/Harvest", "Rice and beans, from the jar.\n");
      String link = a.cli("invite", "create", "Village").ok().out().strip();
      b.cli("invite", "accept", link).ok();
      await(
          Duration.ofSeconds(60),
          () -> "Rice and beans, from the jar.\n".equals(b.page("Village/Harvest")),
          "B has A's page");
      b.putPage("Village/Harvest", "Rice and beans, from the jar.\nAnd B's wheat.\n");
      await(
          Duration.ofSeconds(60),
          () -> "Rice and beans, from the jar.\nAnd B's wheat.\n".equals(a.page("Village/Harvest")),
          "A has B's edit");
    }
  }
}
