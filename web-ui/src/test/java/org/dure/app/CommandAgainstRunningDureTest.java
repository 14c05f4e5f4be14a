package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command against a running Dure runs in a JVM of its own as {@code ./dure COMMAND} does, prints
 * what the same command prints in-process, and loads no Spring, Vaadin, JSON library or SQLite:
 * only the launcher, the command and the HTTP client of {@code java.base}.
 */
class CommandAgainstRunningDureTest {
  @TempDir Path dir;
  @TempDir Path tmp;

  /** Packages that a command against a running Dure must not load (the class-load log says). */
  private static final List<String> HEAVY =
      List.of(
          "org.springframework.",
          "com.vaadin.",
          "tools.jackson.",
          "com.fasterxml.jackson.",
          "org.sqlite.",
          "org.automerge.",
          "java.net.http.",
          "org.dure.store.WikiStore",
          "org.dure.node.PeerNode");

  private record Result(int code, String out, String err, List<String> classes) {}

  /** Runs {@code DureMain --data dir ARGS} in a new JVM with the test's class path. */
  private Result child(String stdin, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "classes", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xlog:class+load=info:file=" + log);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DureMain.class.getName());
    cmd.add("--data");
    cmd.add(dir.toString());
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command finished");
    List<String> classes = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      // [0.012s][info][class,load] java.lang.Object source: shared objects file
      int at = line.indexOf("] ");
      if (line.contains("[class,load]") && at > 0) {
        String rest = line.substring(line.lastIndexOf("] ") + 2);
        int space = rest.indexOf(' ');
        classes.add(space < 0 ? rest : rest.substring(0, space));
      }
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        classes);
  }

  /** The same command in this JVM, as NodeCommandsTest runs it. */
  private Result inProcess(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--data", dir.toString()));
    all.addAll(List.of(args));
    int code =
        DureMain.run(
            all,
            CommandRegistry.standard(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), null);
  }

  private static void assertLight(Result r) {
    assertTrue(r.classes().size() > 100, "the class-load log was read: " + r.classes().size());
    assertTrue(r.classes().contains("org.dure.api.ApiClient"), "went through the local API");
    for (String c : r.classes()) {
      for (String heavy : HEAVY) {
        assertTrue(!c.startsWith(heavy), "loaded " + c);
      }
    }
  }

  @Test
  void commandsAgainstARunningDureLoadOnlyTheClientAndPrintTheSame() throws Exception {
    try (HeadlessDure running =
        HeadlessDure.start(dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, null)) {
      Result put = child("벼와 콩.\n", "page", "put", "My wiki/Harvest");
      assertEquals(0, put.code(), put.err());
      assertLight(put);

      Result status = child("", "status");
      assertEquals(0, status.code(), status.err());
      assertLight(status);
      assertTrue(status.out().contains("Dure: running, online"), status.out());
      assertEquals(inProcess("", "status").out(), status.out());

      Result get = child("", "page", "get", "My wiki/Harvest");
      assertEquals("벼와 콩.\n", get.out());
      assertLight(get);

      // Errors: the same message and exit code as in-process (400 -> 2, 404 -> 1).
      Result badRole = child("", "invite", "create", "My wiki", "--role", "king");
      Result badRoleHere = inProcess("", "invite", "create", "My wiki", "--role", "king");
      assertEquals(2, badRole.code());
      assertEquals(badRoleHere.err(), badRole.err());
      Result noSpace = child("", "pages", "Nowhere");
      assertEquals(1, noSpace.code());
      assertEquals(inProcess("", "pages", "Nowhere").err(), noSpace.err());
      assertLight(noSpace);
    }
  }

  @Test
  void exportAndImportGoThroughTheRunningDure() throws Exception {
    try (HeadlessDure running =
        HeadlessDure.start(dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, null)) {
      assertEquals(0, child("[[Seeds / 2026]] 벼와 콩.\n", "page", "put", "My wiki/Harvest").code());
      assertEquals(0, child("Back to [[Harvest]].", "page", "put", "My wiki/Seeds / 2026").code());
      Path vault = tmp.resolve("vault");
      Result export = child("", "export", "My wiki", vault.toString());
      assertEquals(0, export.code(), export.err());
      assertLight(export);
      assertTrue(export.out().startsWith("Wrote 3 pages to " + vault), export.out());
      String harvest = Files.readString(vault.resolve("Harvest.md"), StandardCharsets.UTF_8);
      assertTrue(harvest.startsWith("---\ntitle: \"Harvest\"\n"), harvest);
      assertTrue(harvest.endsWith("---\n[[Seeds _ 2026|Seeds / 2026]] 벼와 콩.\n"), harvest);
      assertTrue(Files.exists(vault.resolve("Seeds _ 2026.md")));

      Result again = child("", "export", "My wiki", vault.toString());
      assertEquals(1, again.code());
      assertTrue(again.err().contains("is not empty"), again.err());

      Result site = child("", "export", "My wiki", tmp.resolve("site").toString(), "--html");
      assertEquals(0, site.code(), site.err());
      String page = Files.readString(tmp.resolve("site/Harvest.html"), StandardCharsets.UTF_8);
      assertTrue(page.contains("href=\"Seeds%20_%202026.html\""), page);
      assertTrue(Files.exists(tmp.resolve("site/index.html")));

      assertEquals(0, child("", "space", "create", "Copy").code());
      Result imported = child("", "import", "Copy", vault.toString());
      assertEquals(0, imported.code(), imported.err());
      assertLight(imported);
      assertTrue(imported.out().startsWith("Imported 3 pages into Copy."), imported.out());
      assertEquals("[[Seeds / 2026]] 벼와 콩.\n", child("", "page", "get", "Copy/Harvest").out());

      Result twice = child("", "import", "Copy", vault.toString());
      assertEquals(0, twice.code(), twice.err());
      assertTrue(twice.out().contains("Imported 0 pages into Copy.\nSkipped"), twice.out());
      assertTrue(twice.out().contains("Harvest.md  (Harvest)"), twice.out());
    }
  }

  @Test
  void withoutARunningDureTheCommandOpensTheDataDirectoryItself() throws Exception {
    assertEquals(0, inProcess("", "space", "create", "Village").code());
    Result pages = child("", "space", "list");
    assertEquals(0, pages.code(), pages.err());
    assertTrue(pages.out().contains("Village"), pages.out());
    assertTrue(pages.classes().contains("org.dure.store.WikiStore"), "opened the store itself");
  }

  @Test
  void aStaleNodeFileIsIgnored() throws Exception {
    // A crash leaves node.json behind; nobody answers at its address.
    new org.dure.api.NodeInfo("12D3KooWgone", List.of(), "http://127.0.0.1:1/api/", null, 1)
        .write(dir);
    org.dure.api.ApiToken.ensure(dir);
    Result status = child("", "status");
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("Dure: not running"), status.out());
    assertTrue(new File(dir.toFile(), "node.json").exists());
  }
}
