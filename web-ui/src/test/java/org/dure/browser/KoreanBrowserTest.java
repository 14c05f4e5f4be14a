package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;

/**
 * A Korean browser gets the app in Korean (screenshot {@code KoreanBrowserTest.…korean.png}), and
 * the header's selector switches it to English, which then sticks.
 */
@BrowserTest
class KoreanBrowserTest {

  @Test
  @BrowserLocale("ko-KR")
  void aKoreanBrowserGetsKoreanAndCanSwitchToEnglish(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    assertFalse(
        koreanFonts().isBlank(),
        "no font with Korean glyphs (fc-list :lang=ko is empty), so screenshots show boxes:"
            + " install fonts-noto-cjk (.ci/install-chromium.sh)");

    // The home page (the activity feed) in Korean, then a space's page.
    page.navigate(dure.baseUrl());
    assertThat(page.locator("#home-view h1")).hasText("최근 변경");
    String space =
        dure.url(
            "space/" + dure.app().context().getBean(WikiStore.class).defaultSpace().id().value());
    page.navigate(space);
    assertThat(page.locator("#space-view")).isVisible();
    assertThat(page.locator("#app-name")).hasText("두레");
    assertThat(page.locator("#side-nav")).containsText("홈");
    assertThat(page.locator("#side-nav")).containsText("네트워크");
    assertThat(page.locator("#new-page")).hasText("새 페이지");
    assertThat(page.locator("#share-space")).hasText("공유");
    assertThat(page.locator("#header-search input")).hasAttribute("placeholder", "검색");
    assertThat(page.locator("html")).hasAttribute("lang", "ko");
    assertThat(page).hasTitle(Pattern.compile(".+ · 두레"));
    noMissingKey(page);
    Path shot = dure.screenshot("korean");
    assertTrue(Files.size(shot) > 0);

    page.navigate(dure.url("network"));
    assertThat(page.locator("#network-view h1")).hasText("네트워크");
    assertThat(page.locator("#network-view")).containsText("공간에 참여하기");
    assertThat(page.locator("#join")).hasText("참여");
    noMissingKey(page);
    dure.screenshot("korean-network");

    page.locator("#language-select").click();
    page.locator("vaadin-select-item")
        .filter(new Locator.FilterOptions().setHasText("English"))
        .click();
    assertThat(page.locator("#network-view h1")).hasText("Network");
    assertThat(page.locator("#app-name")).hasText("Dure");
    assertThat(page.locator("#join")).hasText("Join");
    assertThat(page).hasTitle("Network · Dure");
    assertThat(page.locator("html")).hasAttribute("lang", "en");
    assertEquals(
        "en",
        page.context().cookies().stream()
            .filter(c -> c.name.equals("dure-lang"))
            .map((Cookie c) -> c.value)
            .findFirst()
            .orElse("(no cookie)"));

    // the choice outlives the page: a new page load of the Korean browser stays in English
    page.navigate(space);
    assertThat(page.locator("#new-page")).hasText("New page");
    assertThat(page.locator("html")).hasAttribute("lang", "en");

    // and switching back works the same way
    page.locator("#language-select").click();
    page.locator("vaadin-select-item")
        .filter(new Locator.FilterOptions().setHasText("한국어"))
        .click();
    assertThat(page.locator("#new-page")).hasText("새 페이지");
  }

  private static void noMissingKey(Page page) {
    String text = page.locator("body").innerText();
    assertFalse(text.contains("!core."), text);
  }

  /** What {@code fc-list :lang=ko} lists: the fonts that have Korean glyphs. */
  private static String koreanFonts() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("fc-list", ":lang=ko").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
