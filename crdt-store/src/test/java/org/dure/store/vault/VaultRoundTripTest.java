package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.store.MutableClock;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export to a folder, import into an empty space of another store, export again: the same files.
 * The second export's front matter differs only where it describes the new pages (their ids and the
 * times they were made), which the test checks separately.
 */
class VaultRoundTripTest {
  @TempDir Path tmp;

  private static WikiStore store(MutableClock clock) {
    return WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults().withClock(clock));
  }

  static final Map<String, String> PAGES = new LinkedHashMap<>();

  static {
    PAGES.put("Harvest / 2026", "Rice and [[beans]]. See [[Harvest: plan|the plan]].\n");
    PAGES.put("Beans", "# Beans\n\nBack to [[Harvest / 2026]], [[Nowhere]], `[[Beans]]`.\n");
    PAGES.put("Harvest: plan", "---\nnot front matter\n---\n[[harvest / 2026|Harvest / 2026]]");
    PAGES.put("Harvest_ plan", "Clashes with the page above on disk: [[Harvest: plan]]");
    PAGES.put("CON", "A name Windows reserves. [[벼와 콩]]");
    PAGES.put("벼와 콩", "한국어 제목. [[CON|콘]]\r\n");
    PAGES.put("Index", "A page called Index. ```[[not a link]]```");
  }

  @Test
  void exportImportExportGivesTheSameFiles() throws Exception {
    MutableClock clockA = new MutableClock();
    MutableClock clockB = new MutableClock();
    clockB.advance(Duration.ofDays(3));
    try (WikiStore a = store(clockA);
        WikiStore b = store(clockB)) {
      SpaceId from = a.createSpace("Farm").id();
      PAGES.forEach(
          (title, body) -> {
            clockA.advance(Duration.ofMinutes(1));
            a.createPage(from, title, body, Optional.empty());
          });
      Path first = tmp.resolve("first");
      new VaultExport(a.wiki(), Attachments.NONE)
          .markdown(from, FolderSink.create(first), Progress.NONE);

      SpaceId to = b.createSpace("Farm copy").id();
      ImportReport report;
      try (FolderSource source = FolderSource.open(first, VaultLimits.defaults())) {
        report =
            new VaultImport(b.wiki(), Attachments.NONE, VaultLimits.defaults())
                .run(to, source, VaultImport.OnClash.SKIP, Progress.NONE);
      }
      assertEquals(PAGES.size(), report.created().size(), report.toString());
      assertTrue(report.skipped().isEmpty() && report.renamed().isEmpty(), report.toString());
      assertTrue(report.notes().isEmpty(), report.toString());
      for (var e : PAGES.entrySet()) {
        PageSummary p = b.findPage(to, e.getKey()).orElseThrow();
        assertEquals(e.getKey(), p.title());
        // A link whose text is its target's title comes back written as [[Title]]: it shows the
        // same text and goes to the same page.
        String expected =
            a.page(a.findPage(from, e.getKey()).orElseThrow().id())
                .body()
                .replace("[[harvest / 2026|Harvest / 2026]]", "[[Harvest / 2026]]");
        assertEquals(expected, b.page(p.id()).body());
      }

      Path second = tmp.resolve("second");
      new VaultExport(b.wiki(), Attachments.NONE)
          .markdown(to, FolderSink.create(second), Progress.NONE);
      Map<String, String> one = files(first);
      Map<String, String> two = files(second);
      assertEquals(one.keySet(), two.keySet());
      assertTrue(one.containsKey("Harvest_ plan.md") && one.containsKey("Harvest_ plan (2).md"));
      assertTrue(one.containsKey("CON_.md") && one.containsKey("벼와 콩.md"), one.keySet().toString());
      for (String name : one.keySet()) {
        String title = FrontMatter.parse(one.get(name)).frontMatter().title().orElseThrow();
        PageSummary there = b.findPage(to, title).orElseThrow();
        String expected =
            one.get(name)
                .replaceFirst("(?m)^created: .*$", "created: " + there.created())
                .replaceFirst("(?m)^updated: .*$", "updated: " + there.updated())
                .replaceFirst("(?m)^dure-page: .*$", "dure-page: \"" + there.id() + "\"");
        assertEquals(expected, two.get(name), name);
      }
      assertTrue(one.get("Beans.md").contains("[[Harvest _ 2026|Harvest / 2026]]"));
    }
  }

  private static Map<String, String> files(Path dir) throws Exception {
    Map<String, String> out = new java.util.TreeMap<>();
    try (var list = Files.list(dir)) {
      for (Path p : list.toList()) {
        out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
