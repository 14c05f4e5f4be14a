package org.dure.ui.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.browserless.internal.MockVaadin;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.upload.Upload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dure.identity.Identity;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.SpaceModerator;
import org.dure.node.SpaceVaults;
import org.dure.store.InProcessSync;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.vault.MemorySource;
import org.dure.store.vault.Progress;
import org.dure.store.vault.VaultImport;
import org.dure.store.vault.VaultLimits;
import org.dure.store.vault.VaultNames;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.ViewTestSupportAccess;
import org.dure.ui.wiki.SpaceView;
import org.junit.jupiter.api.Test;

class VaultViewTest extends ViewTestSupport {

  private byte[] download(String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    test($(Anchor.class).id(id)).download(out);
    return out.toByteArray();
  }

  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void theSpaceOffersExportAndImport() {
    navigate("space/" + space.id().value(), SpaceView.class);
    test($(Button.class).id("space-files")).click();
    assertTrue(getCurrentView() instanceof VaultView);
    assertTrue($(Upload.class).id("vault-upload").isVisible());
  }

  @Test
  void aDownloadedVaultImportsIntoAnotherSpaceWithAReport() throws Exception {
    createPage("Harvest / 2026", "Rice and [[Beans]].");
    createPage("Beans", "Back to [[Harvest / 2026]].");
    navigate("space/" + space.id().value() + "/files", VaultView.class);
    byte[] zip = download("vault-export-markdown");
    Map<String, String> files = unzip(zip);
    String folder = VaultNames.baseName(space.name());
    assertTrue(files.containsKey(folder + "/Harvest _ 2026.md"), files.keySet().toString());
    assertTrue(
        files
            .get(folder + "/Beans.md")
            .endsWith("---\nBack to [[Harvest _ 2026|Harvest / 2026]]."));

    SpaceId copy = store.createSpace("Copy").id();
    store.createPage(copy, "Beans", "Mine.", java.util.Optional.empty());
    navigate("space/" + copy.value() + "/files", VaultView.class);
    test($(Upload.class).id("vault-upload")).upload("farm.zip", "application/zip", zip);
    assertEquals("1 file ready", $(Paragraph.class).id("vault-uploaded").getText());
    test($(Button.class).id("vault-import-start")).click();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!$(Paragraph.class).withId("vault-report-summary").exists()) {
      assertTrue(System.nanoTime() < deadline, "the import did not finish");
      Thread.sleep(50);
      MockVaadin.clientRoundtrip();
    }
    // The welcome page and Harvest; Beans is there already and was skipped, not overwritten.
    assertEquals(
        "Imported 2 pages; 1 skipped, 0 renamed.",
        $(Paragraph.class).id("vault-report-summary").getText());
    assertEquals("Mine.", store.page(store.findPage(copy, "Beans").orElseThrow().id()).body());
    assertEquals(
        "Rice and [[Beans]].",
        store.page(store.findPage(copy, "Harvest / 2026").orElseThrow().id()).body());
  }

  @Test
  void theWebSiteRunsNoScriptAndLinksPagesRelatively() throws Exception {
    createPage(
        "Beans",
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(3)> [[Harvest]] [[Nowhere]]"
            + " [x](javascript:alert(2))");
    createPage("Harvest", "Rice.");
    navigate("space/" + space.id().value() + "/files", VaultView.class);
    Map<String, String> files = unzip(download("vault-export-html"));
    String folder = VaultNames.baseName(space.name()) + " (web)";
    String beans = files.get(folder + "/Beans.html");
    assertFalse(beans.toLowerCase(java.util.Locale.ROOT).contains("<script"), beans);
    assertFalse(beans.contains("href=\"javascript"), beans);
    assertFalse(beans.contains("<img"), beans);
    assertTrue(beans.contains("<a href=\"#\" class=\"wiki-link missing\""), beans);
    assertTrue(beans.contains("href=\"Harvest.html\""), beans);
    assertTrue(beans.contains("href=\"index.html\""), beans);
    assertTrue(files.get(folder + "/index.html").contains("href=\"Beans.html\""));
    assertTrue(files.containsKey(folder + "/style.css"));
  }

  @Test
  void aReaderIsNotOfferedTheImportAndCannotImport() throws Exception {
    try (WikiStore owner = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      owner.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      SpaceId shared = owner.createSpace("Village").id();
      owner.addMember(shared, store.identity().peerId(), Role.READER);
      InProcessSync.sync(owner, store, shared);
      navigate("space/" + shared.value() + "/files", VaultView.class);
      assertTrue($(Paragraph.class).withId("vault-import-not-allowed").exists());
      assertFalse($(Upload.class).withId("vault-upload").exists());
      SpaceVaults vaults =
          new SpaceVaults(store, new SpaceModerator(store), ViewTestSupportAccess.attachments());
      MemorySource source =
          new MemorySource(
              Map.of("a.md", "x".getBytes(StandardCharsets.UTF_8)), VaultLimits.defaults());
      assertThrows(
          NotAllowedException.class,
          () -> vaults.importFrom(shared, source, VaultImport.OnClash.SKIP, Progress.NONE));
      assertTrue(store.findPage(shared, "a").isEmpty());
    }
  }
}
