package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A person's first session in Chromium: create a page, edit it, follow a link, search, open the
 * history and restore an old version.
 */
@BrowserTest
class WikiBrowserTest {

  @Test
  void createEditLinkSearchHistoryAndRevert(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    page.navigate(dure.baseUrl());
    // The start page is the feed: open "My wiki" from an entry of one of its pages.
    page.locator(".dure-feed-space", new Page.LocatorOptions().setHasText("My wiki"))
        .first()
        .click();
    assertThat(page.locator("#space-view h1")).hasText("My wiki");

    // Create a page.
    page.locator("#new-page").click();
    page.locator("#new-title input").fill("Garden");
    page.locator("#new-body textarea").fill("Tomatoes and 고추 grow here.\n\nSee [[Compost]].");
    page.locator("#create-page").click();
    assertThat(page.locator("#page-title")).hasText("Garden");
    assertThat(page.locator("#page-body")).containsText("Tomatoes and 고추 grow here.");
    assertThat(page.locator("#page-body a.wiki-link.missing")).hasText("Compost");
    dure.screenshot("page");

    // Edit it (stored as typed); the preview follows the text; Ctrl+S returns to the page.
    page.locator("#edit-page").click();
    page.locator("#editor .cm-content")
        .fill("Tomatoes, beans and 고추 grow here.\n\nSee [[Compost]].");
    assertThat(page.locator("#preview")).containsText("beans");
    dure.screenshot("editor");
    page.locator("#editor .cm-content").press("Control+s");
    assertThat(page.locator("#page-body")).containsText("Tomatoes, beans and");

    // Follow the link to the missing page and create it.
    page.locator("#page-body a.wiki-link.missing").click();
    assertThat(page.locator("#new-title input")).hasValue("Compost");
    page.locator("#new-body textarea").fill("Leaves and peels.");
    page.locator("#create-page").click();
    assertThat(page.locator("#page-title")).hasText("Compost");
    assertThat(page.locator("#backlinks")).containsText("Garden");

    // Search, in Korean and English.
    page.locator("#header-search input").fill("고추");
    page.locator("#header-search input").press("Enter");
    assertThat(page.locator("#search-results .search-hit-title")).hasText("Garden");
    assertThat(page.locator("#search-results .search-match").first()).hasText("고추");
    dure.screenshot("search");

    // History: two versions, coloured diff, restore the first.
    page.locator("#search-results .search-hit-title").click();
    page.locator("#page-history").click();
    page.locator("#versions").getByText("#2").click();
    assertThat(page.locator("#diff .diff-added")).containsText("Tomatoes, beans and");
    assertThat(page.locator("#diff .diff-removed")).containsText("Tomatoes and");
    assertThat(
            page.locator(
                "#diff .diff-added .diff-word", new Page.LocatorOptions().setHasText("beans")))
        .hasCount(1);
    dure.screenshot("history");
    page.locator("#versions").getByText("#1").click();
    page.locator("#revert").click();
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Restore").setExact(true))
        .click();
    assertThat(page.locator("#versions")).containsText("Reverted to version 1");
    page.locator("#back-to-page").click();
    assertThat(page).hasURL(Pattern.compile(".*/page/[a-z2-7]{26}$"));
    assertThat(page.locator("#page-body")).containsText("Tomatoes and 고추 grow here.");
  }
}
