package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultImportTest {
  @TempDir Path tmp;
  private WikiStore store;
  private SpaceId space;

  @BeforeEach
  void open() {
    store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    space = store.createSpace("Farm").id();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ImportReport run(VaultSource source, VaultImport.OnClash onClash, VaultLimits limits)
      throws IOException {
    return new VaultImport(store.wiki(), Attachments.NONE, limits)
        .run(space, source, onClash, Progress.NONE);
  }

  private static Map<String, byte[]> files(String... pathsAndTexts) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      out.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private String body(String title) {
    return store.page(store.findPage(space, title).orElseThrow().id()).body();
  }

  @Test
  void titlesComeFromFrontMatterOrFileNamesAndLinksFindThePages() throws IOException {
    Map<String, byte[]> vault =
        files(
            "Crops/Rice.md", "---\ntitle: Rice paddies\ntags: [farm]\n---\nNext: [[Beans]]",
            "Beans.md", "See [rice](Crops/Rice.md), [[Crops/Rice|the paddies]], [[Rice#Water]].",
            "notes/Seeds.md", "[up](../Beans.md) ![photo](../img/seed.png) [[Nowhere]]",
            "img/seed.png", "not read",
            ".obsidian/app.json", "{}");
    ImportReport r =
        run(
            new MemorySource(vault, VaultLimits.defaults()),
            VaultImport.OnClash.SKIP,
            VaultLimits.defaults());
    assertEquals(
        List.of(
            new ImportReport.Created("Beans.md", "Beans"),
            new ImportReport.Created("Crops/Rice.md", "Rice paddies"),
            new ImportReport.Created("notes/Seeds.md", "Seeds")),
        r.created());
    assertEquals(
        "See [[Rice paddies|rice]], [[Rice paddies|the paddies]], [[Rice paddies|Rice#Water]].",
        body("Beans"));
    assertEquals("Next: [[Beans]]", body("Rice paddies"));
    assertEquals("[[Beans|up]] ![photo](../img/seed.png) [[Nowhere]]", body("Seeds"));
    assertEquals(
        List.of(
            new ImportReport.Note(
                "notes/Seeds.md", ImportReport.Kind.FILE_NOT_IMPORTED, "img/seed.png")),
        r.notes(),
        "the image is reported while there is no attachment store");
    assertEquals(0, r.otherFiles(), "the image was referred to; .obsidian is hidden");
  }

  @Test
  void aTitleTakenIsSkippedOrRenamedNeverOverwritten() throws IOException {
    store.createPage(space, "Rice", "Mine.", Optional.empty());
    Map<String, byte[]> vault =
        files("Rice.md", "Theirs.", "b/rice.md", "Theirs too.", "Beans.md", "[[Rice]]");
    ImportReport skip =
        run(
            new MemorySource(vault, VaultLimits.defaults()),
            VaultImport.OnClash.SKIP,
            VaultLimits.defaults());
    assertEquals("Mine.", body("Rice"));
    assertEquals(
        List.of(
            new ImportReport.Clash("Rice.md", "Rice", ""),
            new ImportReport.Clash("b/rice.md", "rice", "")),
        skip.skipped());
    assertEquals("[[Rice]]", body("Beans"), "the link goes to the page that was there");

    SpaceId other = store.createSpace("Other").id();
    store.createPage(other, "Rice", "Mine.", Optional.empty());
    space = other;
    ImportReport rename =
        run(
            new MemorySource(vault, VaultLimits.defaults()),
            VaultImport.OnClash.RENAME,
            VaultLimits.defaults());
    assertEquals("Mine.", body("Rice"));
    assertEquals(
        List.of(
            new ImportReport.Clash("Rice.md", "Rice", "Rice (2)"),
            new ImportReport.Clash("b/rice.md", "rice", "rice (3)")),
        rename.renamed());
    assertEquals("Theirs.", body("Rice (2)"));
    assertEquals("Theirs too.", body("rice (3)"));
    assertEquals("[[Rice (2)|Rice]]", body("Beans"), "links go to the imported page");
  }

  /** A source whose files must not be read: the limits are checked from the listing. */
  private static VaultSource listedOnly(List<VaultSource.Entry> entries) {
    return new VaultSource() {
      @Override
      public List<Entry> entries() {
        return entries;
      }

      @Override
      public List<String> leftOut() {
        return List.of();
      }

      @Override
      public InputStream open(Entry entry) {
        throw new AssertionError("read " + entry.path() + " before the limits were checked");
      }
    };
  }

  @Test
  void limitsAreCheckedBeforeAnyFileIsRead() {
    VaultLimits limits = new VaultLimits(100, 3, 1000, 2500, 4, 0);
    List<VaultSource.Entry> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(new VaultSource.Entry("p" + i + ".md", 10));
    }
    VaultException many =
        assertThrows(
            VaultException.class, () -> run(listedOnly(four), VaultImport.OnClash.SKIP, limits));
    assertTrue(many.getMessage().contains("at most 3"), many.getMessage());
    VaultException large =
        assertThrows(
            VaultException.class,
            () ->
                run(
                    listedOnly(List.of(new VaultSource.Entry("big.md", 1001))),
                    VaultImport.OnClash.SKIP,
                    limits));
    assertTrue(large.getMessage().startsWith("big.md is larger"), large.getMessage());
    VaultException total =
        assertThrows(
            VaultException.class,
            () ->
                run(
                    listedOnly(
                        List.of(
                            new VaultSource.Entry("a.md", 1000),
                            new VaultSource.Entry("b.md", 1000),
                            new VaultSource.Entry("c.md", 1000))),
                    VaultImport.OnClash.SKIP,
                    limits));
    assertTrue(total.getMessage().contains("can be imported at once"), total.getMessage());
    assertEquals(0, store.pageCount(space));
  }

  @Test
  void aZipEntryLargerThanItsListingIsCutOffAndNamesLeavingTheZipAreNotRead() throws Exception {
    Path zip = tmp.resolve("vault.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (String name : List.of("My vault/ok.md", "My vault/../../evil.md", "/etc/abs.md")) {
        z.putNextEntry(new ZipEntry(name));
        z.write("fine".getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
      z.putNextEntry(new ZipEntry("My vault/bomb.md"));
      z.write(new byte[5000]); // compresses to almost nothing
      z.closeEntry();
    }
    VaultLimits limits = new VaultLimits(100, 10, 1000, 100_000, 4, 0);
    try (ZipSource source = ZipSource.open(zip, limits)) {
      assertEquals(
          List.of("bomb.md", "ok.md"), source.entries().stream().map(e -> e.path()).toList());
      assertEquals(2, source.leftOut().size(), source.leftOut().toString());
      // A zip may declare a smaller size than it inflates to: reading stops at the limit.
      List<VaultSource.Entry> lying =
          source.entries().stream().map(e -> new VaultSource.Entry(e.path(), 4)).toList();
      VaultSource liar =
          new VaultSource() {
            @Override
            public List<Entry> entries() {
              return lying;
            }

            @Override
            public List<String> leftOut() {
              return source.leftOut();
            }

            @Override
            public InputStream open(Entry entry) throws IOException {
              return source.open(entry);
            }
          };
      ImportReport r = run(liar, VaultImport.OnClash.SKIP, limits);
      assertEquals(List.of(new ImportReport.Created("ok.md", "ok")), r.created());
      assertTrue(
          r.notes().stream()
              .anyMatch(n -> n.path().equals("bomb.md") && n.kind() == ImportReport.Kind.TOO_LARGE),
          r.notes().toString());
    }
    assertFalse(store.findPage(space, "evil").isPresent());
  }

  @Test
  void symbolicLinksAreNotFollowedOutOfTheFolder() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.md"), "private");
    Path vault = Files.createDirectories(tmp.resolve("vault"));
    Files.writeString(vault.resolve("Home.md"), "[[Inside]] [[secret]]");
    Files.createDirectories(vault.resolve("sub"));
    Files.writeString(vault.resolve("sub/Real.md"), "real");
    Files.createSymbolicLink(vault.resolve("Inside.md"), vault.resolve("sub/Real.md"));
    Files.createSymbolicLink(vault.resolve("secret.md"), outside.resolve("secret.md"));
    Files.createSymbolicLink(vault.resolve("escape.md"), Path.of("../outside/secret.md"));
    Files.createSymbolicLink(vault.resolve("folder"), outside);
    ImportReport r;
    try (FolderSource source = FolderSource.open(vault, VaultLimits.defaults())) {
      assertEquals(
          List.of("Home.md", "Inside.md", "sub/Real.md"),
          source.entries().stream().map(VaultSource.Entry::path).toList());
      r = run(source, VaultImport.OnClash.SKIP, VaultLimits.defaults());
    }
    assertEquals(3, r.created().size());
    assertEquals("real", body("Inside"), "a link inside the folder is read");
    assertFalse(store.findPage(space, "secret").isPresent());
    assertFalse(store.findPage(space, "escape").isPresent());
    List<String> leftOut =
        r.notes().stream()
            .filter(n -> n.kind() == ImportReport.Kind.LEFT_OUT)
            .map(ImportReport.Note::path)
            .sorted()
            .toList();
    assertEquals(List.of("escape.md", "folder", "secret.md"), leftOut);
  }

  @Test
  void aFolderWithTooManyEntriesIsRefusedWhileListing() throws Exception {
    Path vault = Files.createDirectories(tmp.resolve("many"));
    for (int i = 0; i < 12; i++) {
      Files.writeString(vault.resolve("p" + i + ".md"), "x");
    }
    VaultException e =
        assertThrows(
            VaultException.class,
            () -> FolderSource.open(vault, new VaultLimits(10, 10, 100, 1000, 4, 0)));
    assertTrue(e.getMessage().contains("more than 10 files"), e.getMessage());
  }

  @Test
  void filesThatAreNotUtf8AreReportedAndBadTitlesMadeGood() throws IOException {
    Map<String, byte[]> vault = new LinkedHashMap<>();
    vault.put("latin1.md", new byte[] {'c', 'a', 'f', (byte) 0xe9});
    vault.put("[draft] plan.md", "\uFEFFplan".getBytes(StandardCharsets.UTF_8));
    ImportReport r =
        run(
            new MemorySource(vault, VaultLimits.defaults()),
            VaultImport.OnClash.SKIP,
            VaultLimits.defaults());
    assertEquals(List.of(new ImportReport.Created("[draft] plan.md", "(draft) plan")), r.created());
    assertEquals("plan", body("(draft) plan"), "the byte order mark is dropped");
    assertEquals(
        List.of(
            new ImportReport.Note(
                "[draft] plan.md", ImportReport.Kind.TITLE_CHANGED, "(draft) plan"),
            new ImportReport.Note("latin1.md", ImportReport.Kind.NOT_UTF8, "")),
        r.notes());
  }
}
