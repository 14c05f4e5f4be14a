package org.dure.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * axe-core finds no serious or critical accessibility violation on the main views ({@link
 * MainViews}), in English and Korean, light and dark; the page's language is declared.
 */
@BrowserTest
class AccessibilityBrowserTest {

  private static void audit(
      Page page, BrowserTestSupport.Dure dure, String lang, ColorScheme scheme) {
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
    List<String> found = new ArrayList<>();
    for (MainViews.View view : MainViews.of(dure)) {
      MainViews.open(page, dure, view);
      assertEquals(lang, page.evaluate("() => document.documentElement.lang"), view.name());
      boolean dark =
          (Boolean)
              page.evaluate(
                  "() => { const m = getComputedStyle(document.documentElement).backgroundColor"
                      + ".match(/\\d+/g).map(Number); return (m[0] + m[1] + m[2]) / 3 < 128; }");
      assertEquals(scheme == ColorScheme.DARK, dark, view.name() + " in " + scheme);
      for (String v : Axe.seriousViolations(page)) {
        found.add(view.name() + ": " + v);
      }
    }
    assertTrue(found.isEmpty(), () -> found.size() + " violations:\n" + String.join("\n", found));
  }

  @Test
  void englishLight(Page page, BrowserTestSupport.Dure dure) {
    audit(page, dure, "en", ColorScheme.LIGHT);
  }

  @Test
  void englishDark(Page page, BrowserTestSupport.Dure dure) {
    audit(page, dure, "en", ColorScheme.DARK);
  }

  @Test
  @BrowserLocale("ko-KR")
  void koreanLight(Page page, BrowserTestSupport.Dure dure) {
    audit(page, dure, "ko", ColorScheme.LIGHT);
  }

  @Test
  @BrowserLocale("ko-KR")
  void koreanDark(Page page, BrowserTestSupport.Dure dure) {
    audit(page, dure, "ko", ColorScheme.DARK);
  }
}
