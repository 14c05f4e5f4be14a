package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.Cookie;
import org.junit.jupiter.api.Test;

/**
 * Light or dark follows the system setting of the browser; a choice in Settings wins and is kept;
 * choosing "as the system" follows it again. Screenshot {@code AppearanceBrowserTest.…dark.png}.
 */
@BrowserTest
class AppearanceBrowserTest {

  /** Whether the page's background is dark (Lumo's base color on the root element). */
  private static boolean dark(Page page) {
    return (Boolean)
        page.evaluate(
            "() => { const c = getComputedStyle(document.documentElement).backgroundColor;"
                + " const m = c.match(/\\d+/g).map(Number);"
                + " return (m[0] + m[1] + m[2]) / 3 < 128; }");
  }

  private static void choose(Page page, String label) {
    page.locator("#appearance").click();
    page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName(label).setExact(true))
        .click();
  }

  @Test
  void followsTheSystemUntilTheUserChooses(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    page.navigate(dure.baseUrl());
    assertThat(page.locator("#home-view")).isVisible();
    assertTrue(dark(page), "a browser set to dark gets the dark theme");
    dure.screenshot("dark");

    page.navigate(dure.url("settings"));
    assertThat(page.locator("#settings-view")).isVisible();
    choose(page, "Light");
    page.waitForCondition(() -> !dark(page));
    page.navigate(dure.url("settings"));
    assertThat(page.locator("#settings-view")).isVisible();
    assertFalse(dark(page), "the choice outlives the page");
    assertEquals(
        "light",
        page.context().cookies().stream()
            .filter(c -> c.name.equals("dure-scheme"))
            .map((Cookie c) -> c.value)
            .findFirst()
            .orElse("(no cookie)"));

    choose(page, "As the system (light or dark)");
    page.waitForCondition(() -> dark(page));
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    page.waitForCondition(() -> !dark(page));
  }
}
