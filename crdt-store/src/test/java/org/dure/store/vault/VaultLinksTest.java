package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dure.store.wiki.WikiLinks;
import org.junit.jupiter.api.Test;

class VaultLinksTest {
  /** Pages of a space by title key, and their files. */
  private static final Map<String, String> FILES =
      Map.of(
          WikiLinks.key("Harvest / 2026"), "Harvest _ 2026",
          WikiLinks.key("Harvest"), "Harvest",
          WikiLinks.key("벼와 콩"), "벼와 콩");

  private static final Map<String, String> TITLES =
      Map.of(
          "harvest _ 2026", "Harvest / 2026",
          "harvest", "Harvest",
          "벼와 콩", "벼와 콩");

  private static final Function<String, Optional<String>> BASE =
      t -> Optional.ofNullable(FILES.get(WikiLinks.key(t)));

  private static String export(String md) {
    return VaultLinks.toVault(md, BASE, d -> Optional.empty());
  }

  private static String importBack(String md) {
    return VaultLinks.fromVault(md, resolver(new ArrayList<>()));
  }

  private static VaultLinks.Resolver resolver(List<String> attachments) {
    return new VaultLinks.Resolver() {
      @Override
      public Optional<String> pageForTarget(String target) {
        String t = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        return Optional.ofNullable(TITLES.get(t.toLowerCase(java.util.Locale.ROOT)));
      }

      @Override
      public Optional<String> pageForPath(String relativePath) {
        return pageForTarget(relativePath.replaceAll("\\.md$", "").replaceAll(".*/", ""));
      }

      @Override
      public Optional<String> attachment(String relativePath, boolean image) {
        attachments.add(relativePath);
        return relativePath.equals("pics/rice.png") ? Optional.of("dure:blob-1") : Optional.empty();
      }
    };
  }

  @Test
  void exportLinksNameFilesAndKeepTheTextShown() {
    assertEquals("See [[Harvest _ 2026|Harvest / 2026]].", export("See [[Harvest / 2026]]."));
    assertEquals("[[Harvest]] and [[Harvest|harvest]]", export("[[Harvest]] and [[harvest]]"));
    assertEquals("[[Harvest _ 2026|this year]]", export("[[ Harvest / 2026 | this year ]]"));
    assertEquals("[[Harvest]]", export("[[harvest|Harvest]]"), "the text shown is the file name");
    assertEquals("[[Harvest]]", export("[[Harvest|Harvest]]"));
    assertEquals("[[Nowhere|x]] stays", export("[[Nowhere|x]] stays"), "no such page");
    assertEquals("[[벼와 콩]]", export("[[벼와 콩]]"));
  }

  @Test
  void codeIsLeftAlone() {
    String md =
        "`[[Harvest / 2026]]` and ``a [[Harvest]] b``\n```\n[[Harvest / 2026]]\n```\n"
            + "    [[Harvest / 2026]]\n\\[[Harvest / 2026]]";
    assertEquals(md, export(md));
    assertEquals(md, importBack(md));
  }

  @Test
  void importReadsFileNamesPathsAndTitlesBackAsDureLinks() {
    assertEquals("[[Harvest / 2026]]", importBack("[[Harvest _ 2026|Harvest / 2026]]"));
    assertEquals("[[Harvest / 2026|Harvest _ 2026]]", importBack("[[Harvest _ 2026]]"));
    assertEquals("[[harvest]]", importBack("[[Harvest|harvest]]"));
    assertEquals("[[Harvest|Rice#Notes]]", importBack("[[Harvest#Notes|Rice#Notes]]"));
    assertEquals("[[Harvest|Harvest#Notes]]", importBack("[[Harvest#Notes]]"));
    assertEquals("![[Harvest]]", importBack("![[Harvest]]"), "an embed stays one");
    assertEquals("[[Unknown]]", importBack("[[Unknown]]"));
  }

  @Test
  void relativeMarkdownLinksBecomeWikiLinks() {
    assertEquals("see [[Harvest]]", importBack("see [Harvest](Harvest.md)"));
    assertEquals(
        "see [[Harvest / 2026|this year]]",
        importBack("see [this year](notes/Harvest%20_%202026.md)"));
    assertEquals("[[Harvest|a]]", importBack("[a](<../Harvest.md#top> \"title\")"));
    assertEquals(
        "[web](https://example.org/Harvest.md)",
        importBack("[web](https://example.org/Harvest.md)"));
    assertEquals("[[Harvest]]", importBack("[[[x]]](Harvest.md)"), "a text no label can hold");
  }

  @Test
  void imagesAreAskedForAndRewrittenOrKeptAsWritten() {
    List<String> asked = new ArrayList<>();
    String md = "![rice](pics/rice.png \"Rice\") ![beans](pics/beans%20dry.png) ![[rice.png]]";
    assertEquals(
        "![rice](dure:blob-1 \"Rice\") ![beans](pics/beans%20dry.png) ![[rice.png]]",
        VaultLinks.fromVault(md, resolver(asked)));
    assertEquals(List.of("pics/rice.png", "pics/beans dry.png", "rice.png"), asked);
  }

  @Test
  void exportPointsAttachmentsIntoTheirFolder() {
    String md = "![rice](dure:blob-1 \"Rice\") [doc](https://x.org/a.pdf)";
    String out =
        VaultLinks.toVault(
            md,
            BASE,
            d ->
                d.equals("dure:blob-1")
                    ? Optional.of("attachments/rice field.png")
                    : Optional.empty());
    assertEquals("![rice](attachments/rice%20field.png \"Rice\") [doc](https://x.org/a.pdf)", out);
  }

  @Test
  void exportImportExportGivesTheSameLinks() {
    String[] pages = {
      "[[Harvest / 2026]] [[harvest]] [[Harvest|Harvest]] [[harvest|Harvest]]",
      "[[Harvest / 2026|Harvest _ 2026]] [[HARVEST / 2026|x]] [[Nowhere]] [[벼와 콩|콩]]",
    };
    for (String page : pages) {
      String once = export(page);
      assertEquals(once, export(importBack(once)), page);
    }
  }
}
