package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's path: a space downloaded as a zip, uploaded into another space, exported again. */
class ZipRoundTripTest {
  @TempDir Path tmp;

  @Test
  void aZipDownloadImportsBackToTheSameFiles() throws Exception {
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      SpaceId from = store.createSpace("Farm").id();
      store.createPage(from, "Harvest / 2026", "Rice and [[Beans]].", Optional.empty());
      store.createPage(from, "Beans", "Back to [[harvest / 2026|this year]].", Optional.empty());
      Path zip = tmp.resolve("Farm.zip");
      try (OutputStream out = Files.newOutputStream(zip);
          ZipSink sink = new ZipSink(out, "Farm")) {
        new VaultExport(store.wiki(), Attachments.NONE).markdown(from, sink, Progress.NONE);
      }
      SpaceId to = store.createSpace("Copy").id();
      try (ZipSource source = ZipSource.open(zip, VaultLimits.defaults())) {
        ImportReport r =
            new VaultImport(store.wiki(), Attachments.NONE, VaultLimits.defaults())
                .run(to, source, VaultImport.OnClash.SKIP, Progress.NONE);
        assertEquals(2, r.created().size(), r.toString());
      }
      MemorySink first = new MemorySink();
      MemorySink second = new MemorySink();
      new VaultExport(store.wiki(), Attachments.NONE).markdown(from, first, Progress.NONE);
      new VaultExport(store.wiki(), Attachments.NONE).markdown(to, second, Progress.NONE);
      assertEquals(first.files().keySet(), second.files().keySet());
      for (Map.Entry<String, byte[]> e : first.files().entrySet()) {
        String a = FrontMatter.parse(new String(e.getValue(), StandardCharsets.UTF_8)).body();
        String b =
            FrontMatter.parse(new String(second.files().get(e.getKey()), StandardCharsets.UTF_8))
                .body();
        assertEquals(a, b, e.getKey());
      }
      assertEquals(
          "Back to [[Harvest _ 2026|this year]].",
          FrontMatter.parse(new String(first.files().get("Beans.md"), StandardCharsets.UTF_8))
              .body());
    }
  }

  @Test
  void theSiteLinksPagesRelativelyAndEscapesTitles() throws Exception {
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      SpaceId space = store.createSpace("Farm <&>").id();
      store.createPage(space, "index", "[[<b>]]", Optional.empty());
      store.createPage(space, "<b>", "bold?", Optional.empty());
      MemorySink site = new MemorySink();
      PageHtml fake =
          (md, pageHref, attachmentHref) ->
              "<p>"
                  + pageHref.apply("<b>").orElse("none")
                  + "|"
                  + pageHref.apply("x").orElse("none")
                  + "</p>";
      new VaultExport(store.wiki(), Attachments.NONE).html(space, fake, site, Progress.NONE);
      assertEquals(
          java.util.Set.of("index.html", "index (2).html", "_b_.html", "style.css"),
          site.files().keySet());
      String page = new String(site.files().get("index (2).html"), StandardCharsets.UTF_8);
      assertTrue(page.contains("<p>_b_.html|none</p>"), page);
      assertTrue(page.contains("<title>index · Farm &lt;&amp;&gt;</title>"), page);
      String index = new String(site.files().get("index.html"), StandardCharsets.UTF_8);
      assertTrue(index.contains("<a href=\"_b_.html\">&lt;b&gt;</a>"), index);
      assertTrue(index.contains("<a href=\"index%20%282%29.html\">index</a>"), index);
    }
  }
}
