package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandsTest {
  @TempDir Path dir;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  private int run(String stdin, String... args) throws Exception {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    String name = args[0];
    Command c =
        CommandRegistry.standard().all().stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow();
    return c.run(
        List.of(args).subList(1, args.length),
        new Command.Context(
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createASpaceWriteAndReadAPageListPages() throws Exception {
    assertEquals(0, run("", "space", "create", "Village"));
    String id = out().strip();
    assertEquals(0, run("# Harvest\n\n벼와 콩.\n", "page", "put", "Village/Harvest"));
    assertEquals(0, run("", "page", "get", id + "/harvest"));
    assertEquals("# Harvest\n\n벼와 콩.\n", out());
    assertEquals(0, run("# Harvest\n\nRice.\n", "page", "put", "village/Harvest"));
    assertEquals(0, run("", "pages", "Village"));
    assertEquals("Harvest\n", out().replace("\r\n", "\n"));
    assertEquals(0, run("", "page", "get", "Village/Harvest"));
    assertEquals("# Harvest\n\nRice.\n", out());
    assertEquals(0, run("", "status"));
    assertTrue(out().contains("Village  (1 pages)"), out());

    assertEquals(1, run("", "pages", "Nowhere"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no space \"Nowhere\""));
    assertEquals(2, run("", "page", "get", "no-slash"));
  }

  @Test
  void aRunningDureKeepsTheStoreAndTheCommandSaysSo() throws Exception {
    try (WikiStore running = WikiStore.open(dir)) {
      assertEquals(1, run("", "status"));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("stop it first"));
    }
  }
}
