package org.dure.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's screenshots of the main views: light, dark, a 390-px window, Korean. Written to
 * {@code -Ddure.screenshots.dir} ({@code scripts/screenshots.sh} passes {@code docs/screenshots}),
 * else to {@code target/screenshots/docs}; each must stay under {@value #MAX_BYTES} bytes.
 */
@BrowserTest
class ScreenshotsBrowserTest {
  static final long MAX_BYTES = 150 * 1024;

  private static Path dir() throws IOException {
    String d = System.getProperty("dure.screenshots.dir");
    Path dir =
        d == null || d.isBlank()
            ? BrowserTestSupport.screenshotDir().resolve("docs")
            : Path.of(d).toAbsolutePath();
    return Files.createDirectories(dir);
  }

  private static void shoot(Page page, String name) throws IOException {
    // Let fonts, icons and the push connection settle: no spinner, no half-drawn component.
    page.waitForFunction("() => document.fonts.status === 'loaded'");
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    Path file = dir().resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setTimeout(30_000));
    long size = Files.size(file);
    assertTrue(size <= MAX_BYTES, () -> file + " is " + size + " bytes");
  }

  @Test
  void english(Page page, BrowserTestSupport.Dure dure) throws IOException {
    var views = MainViews.of(dure);
    page.setViewportSize(1100, 720);
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    MainViews.open(page, dure, views.get(2));
    shoot(page, "page-light");
    MainViews.open(page, dure, views.get(3));
    shoot(page, "editor-light");
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    MainViews.open(page, dure, views.get(2));
    shoot(page, "page-dark");
    MainViews.open(page, dure, views.get(1));
    shoot(page, "space-dark");

    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    page.setViewportSize(390, 844);
    MainViews.open(page, dure, views.get(2));
    shoot(page, "page-narrow");
    page.locator("vaadin-drawer-toggle").click();
    page.locator("vaadin-app-layout[drawer-opened]").waitFor();
    shoot(page, "menu-narrow");
  }

  @Test
  @BrowserLocale("ko-KR")
  void korean(Page page, BrowserTestSupport.Dure dure) throws IOException {
    var views = MainViews.of(dure);
    page.setViewportSize(1100, 720);
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    MainViews.open(page, dure, views.get(2));
    shoot(page, "page-korean");
  }
}
