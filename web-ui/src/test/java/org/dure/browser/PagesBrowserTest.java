package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

/**
 * Renaming, deleting and restoring a page in Chromium: a link to the old title keeps working after
 * the rename, shows as missing while the page is in the trash, and works again after Restore; the
 * history names each step.
 */
@BrowserTest
class PagesBrowserTest {

  private static void openMyWiki(Page page, BrowserTestSupport.Dure dure) {
    page.navigate(dure.baseUrl());
    page.locator(".dure-feed-space", new Page.LocatorOptions().setHasText("My wiki"))
        .first()
        .click();
    assertThat(page.locator("#space-view h1")).hasText("My wiki");
  }

  private static void openFromList(Page page, String title) {
    page.locator("#page-list a.page-link", new Page.LocatorOptions().setHasText(title))
        .first()
        .click();
    assertThat(page.locator("#page-title")).hasText(title);
  }

  @Test
  void renameDeleteAndRestoreKeepLinksRight(Page page, BrowserTestSupport.Dure dure) {
    openMyWiki(page, dure);
    page.locator("#new-page").click();
    page.locator("#new-title input").fill("Farm");
    page.locator("#new-body textarea").fill("Our trees: see [[Orchard]].");
    page.locator("#create-page").click();
    page.locator("#page-body a.wiki-link.missing").click();
    page.locator("#new-body textarea").fill("Apples and pears.");
    page.locator("#create-page").click();
    assertThat(page.locator("#page-title")).hasText("Orchard");

    // Rename: the link written as [[Orchard]] still leads here.
    page.locator("#rename-page").click();
    page.locator("#rename-title input").fill("Fruit trees");
    page.locator("#rename-confirm").click();
    assertThat(page.locator("#page-title")).hasText("Fruit trees");
    assertThat(page.locator("#backlinks")).containsText("Farm");
    page.locator("#backlinks a", new Page.LocatorOptions().setHasText("Farm")).click();
    assertThat(page.locator("#page-title")).hasText("Farm");
    assertThat(page.locator("#page-body a.wiki-link.missing")).hasCount(0);
    page.locator("#page-body a.wiki-link", new Page.LocatorOptions().setHasText("Orchard")).click();
    assertThat(page.locator("#page-title")).hasText("Fruit trees");
    dure.screenshot("renamed");

    // Delete, after confirming: gone from the list, the link shows as missing.
    page.locator("#delete-page").click();
    assertThat(page.getByText("It can be restored from the trash")).isVisible();
    dure.screenshot("delete-confirm");
    page.locator("#delete-confirm").click();
    assertThat(page.locator("#space-view h1")).hasText("My wiki");
    assertThat(page.locator("#page-list")).containsText("Farm");
    assertThat(page.locator("#page-list")).not().containsText("Fruit trees");
    openFromList(page, "Farm");
    assertThat(page.locator("#page-body a.wiki-link.missing")).hasText("Orchard");

    // The trash lists it with who deleted it; Restore brings it back.
    page.locator(".dure-breadcrumb").click();
    page.locator("#space-trash").click();
    assertThat(page.locator("#trash-list")).containsText("Fruit trees");
    // This node's user: "you", after the profile name when another test of the app set one.
    assertThat(page.locator("#trash-list .dure-author-name").first()).containsText("you");
    dure.screenshot("trash");
    page.locator("#trash-list .trash-restore").first().click();
    assertThat(page.locator("#trash-empty")).isVisible();
    page.locator("#trash-view .dure-breadcrumb").click();
    assertThat(page.locator("#page-list")).containsText("Fruit trees");
    openFromList(page, "Farm");
    assertThat(page.locator("#page-body a.wiki-link.missing")).hasCount(0);

    // The history names the rename, the delete and the restore.
    page.locator("#page-body a.wiki-link", new Page.LocatorOptions().setHasText("Orchard")).click();
    assertThat(page.locator("#page-title")).hasText("Fruit trees");
    page.locator("#page-history").click();
    assertThat(page.locator("#versions"))
        .containsText("Renamed from \"Orchard\" to \"Fruit trees\"");
    assertThat(page.locator("#versions")).containsText("Deleted (moved to the trash)");
    assertThat(page.locator("#versions")).containsText("Restored from the trash");
    dure.screenshot("history");
  }
}
