package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dure.node.OfflineSwitch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new OfflineCommand()
        .run(
            List.of(args),
            new Command.Context(
                dir,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  @Test
  void onOffAndStatusChangeAndReportTheSwitch() {
    OfflineSwitch offline = new OfflineSwitch(dir);
    assertEquals(0, run("on"));
    assertTrue(offline.isOffline());
    assertEquals(0, run("status"));
    assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("offline\n"));
    assertEquals(0, run("off"));
    assertFalse(offline.isOffline());
    assertEquals(2, run("sideways"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: dure offline on|off|status"));
  }
}
