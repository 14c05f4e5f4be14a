package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.dure.identity.Identity;
import org.dure.moderation.SpaceModerator;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobManifest;
import org.dure.store.vault.ImportReport;
import org.dure.store.vault.MemorySink;
import org.dure.store.vault.MemorySource;
import org.dure.store.vault.Progress;
import org.dure.store.vault.VaultExport;
import org.dure.store.vault.VaultImport;
import org.dure.store.vault.VaultLimits;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.render.MarkdownRenderer;
import org.dure.ui.render.StaticSiteHtml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import of a space with its attachments: real stores, real blob stores, the vault code
 * as the app wires it ({@link SpaceVaults} over {@link VaultAttachments}).
 */
class VaultAttachmentsTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  private WikiStore a;
  private WikiStore b;
  private Attachments attA;
  private Attachments attB;
  private SpaceVaults vaultsA;
  private SpaceVaults vaultsB;
  private final byte[] photo =
      AttachmentsTest.withPngHeader(bytes(3 * BlobManifest.CHUNK_SIZE + 17, 1));
  private final byte[] report = bytes(5000, 2);

  @BeforeEach
  void open() {
    a = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    b = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    attA = new Attachments(a, Attachments.openStore(dirA), null, dirA);
    attB = new Attachments(b, Attachments.openStore(dirB), null, dirB);
    vaultsA = new SpaceVaults(a, new SpaceModerator(a), attA);
    vaultsB = new SpaceVaults(b, new SpaceModerator(b), attB);
  }

  @AfterEach
  void close() {
    attA.close();
    attB.close();
    a.close();
    b.close();
  }

  @Test
  void aPageWithAnImageAndAFileGoesOutAndComesBackWithItsFiles() throws Exception {
    SpaceId village = a.createSpace("Village").id();
    BlobManifest img = put(attA, village, "photo.png", "image/png", photo);
    BlobManifest pdf = put(attA, village, "report.pdf", "application/pdf", report);
    a.createPage(
        village,
        "Harvest",
        "Rice.\n\n"
            + Attachments.markdownFor(img)
            + "\n\nThe "
            + Attachments.markdownFor(pdf)
            + ", and the photo again: "
            + Attachments.markdownFor(img),
        Optional.empty());

    MemorySink out = new MemorySink();
    VaultExport.Summary sum = vaultsA.exportMarkdown(village, out, Progress.NONE);
    assertEquals(1, sum.pages());
    assertEquals(2, sum.attachments());
    Map<String, byte[]> files = out.files();
    assertArrayEquals(photo, files.get("attachments/photo.png"));
    assertArrayEquals(report, files.get("attachments/report.pdf"));
    assertEquals(3, files.size(), files.keySet().toString());
    String md = text(files.get("Harvest.md"));
    assertTrue(md.contains("![photo.png](attachments/photo.png)"), md);
    assertTrue(md.contains("[report.pdf](attachments/report.pdf)"), md);
    assertFalse(md.contains("/attachments/"), md);

    // Into an empty space of another node.
    SpaceId copy = b.createSpace("Copy").id();
    ImportReport r =
        vaultsB.importFrom(
            copy,
            new MemorySource(files, VaultLimits.defaults()),
            VaultImport.OnClash.SKIP,
            Progress.NONE);
    assertEquals(1, r.created().size(), r.toString());
    assertTrue(r.notes().isEmpty(), r.toString());
    assertTrue(attB.blobs().isComplete(img.root()));
    assertTrue(attB.blobs().isComplete(pdf.root()));
    assertEquals(java.util.Set.of(copy.value()), attB.blobs().spaces(img.root()));
    assertEquals("image/png", attB.manifest(img.root()).orElseThrow().mediaType());
    assertEquals("application/pdf", attB.manifest(pdf.root()).orElseThrow().mediaType());
    String body = b.page(b.findPage(copy, "Harvest").orElseThrow().id()).body();
    assertTrue(body.contains("![photo.png](/attachments/" + img.root().hex() + ")"), body);
    assertTrue(body.contains("[report.pdf](/attachments/" + pdf.root().hex() + ")"), body);

    MemorySink again = new MemorySink();
    vaultsB.exportMarkdown(copy, again, Progress.NONE);
    assertEquals(new TreeMap<>(files).keySet(), new TreeMap<>(again.files()).keySet());
    assertArrayEquals(photo, again.files().get("attachments/photo.png"));
    assertArrayEquals(report, again.files().get("attachments/report.pdf"));
    assertEquals(afterFrontMatter(md), afterFrontMatter(text(again.files().get("Harvest.md"))));
  }

  @Test
  void theSiteShowsTheImageByARelativePathAndLinksTheFile() throws Exception {
    SpaceId village = a.createSpace("Village").id();
    BlobManifest img = put(attA, village, "my photo.png", "image/png", photo);
    BlobManifest pdf = put(attA, village, "report.pdf", "application/pdf", report);
    a.createPage(
        village,
        "Harvest",
        Attachments.markdownFor(img)
            + "\n\n"
            + Attachments.markdownFor(pdf)
            + "\n\n![thumb](/attachments/"
            + img.root().hex()
            + "?thumb)\n\n![elsewhere](https://example.org/x.png) ![up](attachments/../../etc.png)",
        Optional.empty());

    MemorySink out = new MemorySink();
    vaultsA.exportHtml(village, new StaticSiteHtml(new MarkdownRenderer()), out, Progress.NONE);
    String html = text(out.files().get("Harvest.html"));
    assertTrue(html.contains("<img src=\"attachments/my%20photo.png\""), html);
    assertTrue(html.contains("alt=\"thumb\""), html);
    assertEquals(2, html.split("<img src=\"attachments/my%20photo.png\"", -1).length - 1, html);
    assertTrue(html.contains("href=\"attachments/report.pdf\""), html);
    assertFalse(html.contains("/attachments/"), html);
    assertFalse(html.contains("example.org/x.png\""), html);
    assertFalse(html.contains("src=\"attachments/../"), html);
    assertArrayEquals(photo, out.files().get("attachments/my photo.png"));
    assertArrayEquals(report, out.files().get("attachments/report.pdf"));
  }

  @Test
  void aBlobOfAnotherSpaceIsNotExported() throws Exception {
    SpaceId village = a.createSpace("Village").id();
    SpaceId secret = a.createSpace("Secret").id();
    BlobManifest hidden = put(attA, secret, "plans.png", "image/png", photo);
    a.createPage(village, "Harvest", Attachments.markdownFor(hidden), Optional.empty());

    MemorySink out = new MemorySink();
    VaultExport.Summary sum = vaultsA.exportMarkdown(village, out, Progress.NONE);
    assertEquals(0, sum.attachments());
    assertEquals(java.util.Set.of("Harvest.md"), out.files().keySet());
    MemorySink site = new MemorySink();
    vaultsA.exportHtml(village, new StaticSiteHtml(new MarkdownRenderer()), site, Progress.NONE);
    assertFalse(site.files().keySet().stream().anyMatch(f -> f.startsWith("attachments/")));
    String html = text(site.files().get("Harvest.html"));
    assertFalse(html.contains("src="), html);
    assertFalse(html.contains(hidden.root().hex()), html);
    // The same space's export has it.
    assertTrue(
        new VaultAttachments(attA).find(secret, "/attachments/" + hidden.root().hex()).isPresent());
  }

  @Test
  void aFileOverTheLimitPerAttachmentIsReportedAndThePageImported() throws Exception {
    attB.setMaxMiB(1);
    SpaceId copy = b.createSpace("Copy").id();
    Map<String, byte[]> files =
        Map.of(
            "Harvest.md",
            "Big: ![map](attachments/map.png) small: [notes](attachments/notes.txt)"
                .getBytes(StandardCharsets.UTF_8),
            "attachments/map.png",
            bytes((1 << 20) + 1, 3),
            "attachments/notes.txt",
            "hello".getBytes(StandardCharsets.UTF_8));
    ImportReport r =
        vaultsB.importFrom(
            copy,
            new MemorySource(files, VaultLimits.defaults()),
            VaultImport.OnClash.SKIP,
            Progress.NONE);
    assertEquals(1, r.created().size(), r.toString());
    assertEquals(1, r.notes().size(), r.toString());
    ImportReport.Note n = r.notes().get(0);
    assertEquals("attachments/map.png", n.path());
    assertEquals(ImportReport.Kind.FILE_NOT_IMPORTED, n.kind());
    assertTrue(n.detail().contains("larger than the limit of 1048576 bytes"), n.detail());
    String body = b.page(b.findPage(copy, "Harvest").orElseThrow().id()).body();
    assertTrue(body.contains("![map](attachments/map.png)"), body);
    assertTrue(body.matches("(?s).*\\[notes]\\(/attachments/[0-9a-f]{64}\\).*"), body);
    assertEquals(1, attB.blobs().blobs().size());
  }

  @Test
  void theCommandLineOnAStoppedDataDirectoryUsesItsAttachmentsAndItsLimit(
      @TempDir Path data, @TempDir Path exported) throws Exception {
    try (WikiStore store = WikiStore.open(data)) {
      SpaceId village = store.createSpace("Village").id();
      SpaceId copy = store.createSpace("Copy").id();
      Attachments running = new Attachments(store, Attachments.openStore(data), null, data);
      BlobManifest img = put(running, village, "photo.png", "image/png", photo);
      running.setMaxMiB(1);
      store.createPage(village, "Harvest", Attachments.markdownFor(img), Optional.empty());
      Path folder = exported.resolve("out");

      org.dure.api.LocalDure cli = new org.dure.api.LocalDure(store, data);
      org.dure.api.DureApi.ExportInfo e =
          cli.exportSpace(village.value(), folder.toString(), false);
      assertEquals(1, e.attachments());
      assertArrayEquals(
          photo, java.nio.file.Files.readAllBytes(folder.resolve("attachments/photo.png")));

      java.nio.file.Files.write(folder.resolve("attachments/big.bin"), bytes((1 << 20) + 1, 5));
      java.nio.file.Files.writeString(folder.resolve("Big.md"), "[big](attachments/big.bin)");
      org.dure.api.DureApi.ImportInfo r = cli.importFolder(copy.value(), folder.toString(), false);
      assertEquals(java.util.Set.of("Harvest", "Big"), java.util.Set.copyOf(r.created()));
      assertEquals(1, r.notes().size(), r.toString());
      assertEquals("attachments/big.bin", r.notes().get(0).path());
      assertTrue(r.notes().get(0).detail().contains("limit"), r.toString());
      assertTrue(running.blobs().spaces(img.root()).contains(copy.value()));
    }
  }

  private static BlobManifest put(
      Attachments att, SpaceId space, String name, String type, byte[] data) throws Exception {
    return att.put(space, name, type, new ByteArrayInputStream(data));
  }

  private static byte[] bytes(int n, long seed) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }

  private static String afterFrontMatter(String md) {
    return md.substring(md.indexOf("\n---\n") + 5);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
