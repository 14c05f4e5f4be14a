package org.dure.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path dir;

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "destroyForcibly is not SIGKILL there")
  void everyAcknowledgedEditSurvivesKillDashNine() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                DurabilityChild.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String pageId = null;
    int lastAck = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("PAGE ")) {
          pageId = line.substring(5);
        } else if (line.startsWith("ACK ")) {
          lastAck = Integer.parseInt(line.substring(4));
          if (lastAck == 300) {
            // SIGKILL: no shutdown hooks, no close. Keep reading what it printed before dying.
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(lastAck >= 300, "child acknowledged " + lastAck);
    assertEquals(137, child.exitValue(), "killed by SIGKILL");

    try (WikiStore store = WikiStore.open(dir)) {
      assertEquals("ok", store.integrityCheck());
      String body = store.page(new PageId(pageId)).body();
      for (int i = 0; i <= lastAck; i++) {
        assertTrue(body.contains("e" + i + ";"), "edit " + i + " of " + lastAck + " survived");
      }
      assertEquals(List.of("Durable"), store.spaces().stream().map(Space::name).toList());
    }
  }
}
