package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real app in Chromium: the start page (the feed), the header search, an unknown address. */
@BrowserTest
class SmokeBrowserTest {

  @Test
  void homePageShowsDureAndHeaderSearchOpensTheSearchPage(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    Response response = page.navigate(dure.baseUrl());
    assertEquals(200, response.status());
    // The start page is the activity feed; the welcome page was made on the first start.
    assertThat(page.locator("#home-view #feed")).containsText("Welcome");
    assertThat(page.locator("#app-name")).hasText("Dure");
    assertThat(page).hasTitle(Pattern.compile(".+ · Dure$"));
    Path home = dure.screenshot("home");
    assertTrue(Files.size(home) > 0);

    page.locator("#header-search input").fill("hello wiki");
    page.locator("#header-search input").press("Enter");

    page.waitForURL(Pattern.compile(".*/search\\?q=hello(\\+|%20)wiki$"));
    assertThat(page.locator("#search-summary")).hasText("Results for “hello wiki”");
    assertThat(page.locator("#header-search input")).hasValue("hello wiki");
  }

  @Test
  void unknownAddressShowsNotFoundInsideTheFrame(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    page.navigate(dure.url("no/such/page"));
    assertThat(page.locator("#not-found-view h2")).hasText("Page not found");
    assertThat(page.locator("#app-name")).hasText("Dure");
  }

  @Test
  void serverPushReachesThePage(Page page, BrowserTestSupport.Dure dure) {
    page.navigate(dure.url("_test/push"));
    // Changed by a background thread; only server push (@Push on the AppShell) can deliver it.
    assertThat(page.locator("#push-status")).hasText("pushed");
  }

  @Test
  void componentCatalogRendersWithoutErrors(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    StringBuilder errors = new StringBuilder();
    page.onPageError(error -> errors.append(error).append('\n'));
    page.navigate(dure.url("_components"));
    assertThat(page.locator("#component-catalog h1")).hasText("Components");
    assertThat(page.locator("vaadin-grid").first()).isVisible();
    assertThat(page.locator("vaadin-markdown strong")).hasText("Markdown");
    assertEquals("", errors.toString());
  }
}
