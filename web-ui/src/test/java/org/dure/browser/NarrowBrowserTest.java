package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A phone-sized window, 390 × 844: no main view is wider than the window, the menu is a drawer
 * behind a toggle, the editor and its preview stack, a wide table scrolls inside the page.
 */
@BrowserTest
class NarrowBrowserTest {

  /**
   * Elements reaching past the window's right edge that no ancestor clips or scrolls (up through
   * shadow roots and slots), and how far the page itself scrolls sideways.
   */
  static final String OVERFLOW =
      """
      () => {
        const w = document.documentElement.clientWidth;
        const parent = el => el.assignedSlot || el.parentElement || el.getRootNode().host || null;
        const clipped = el => {
          for (let p = parent(el); p && p !== document.documentElement; p = parent(p)) {
            const o = getComputedStyle(p).overflowX;
            if (o !== 'visible') return true;
          }
          return false;
        };
        const out = [];
        const pageScroll = document.documentElement.scrollWidth - w;
        if (pageScroll > 1) out.push('the page scrolls sideways by ' + pageScroll + ' px');
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0 || r.right <= w + 1) continue;
          if (getComputedStyle(el).visibility === 'hidden' || clipped(el)) continue;
          out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
            + ' right=' + Math.round(r.right));
          if (out.length > 6) break;
        }
        return out;
      }
      """;

  @SuppressWarnings("unchecked")
  static List<String> overflow(Page page) {
    return (List<String>) page.evaluate(OVERFLOW);
  }

  @Test
  void everyMainViewFitsA390PixelWindow(Page page, BrowserTestSupport.Dure dure) {
    page.setViewportSize(390, 844);
    List<String> found = new ArrayList<>();
    for (MainViews.View view : MainViews.of(dure)) {
      MainViews.open(page, dure, view);
      for (String o : overflow(page)) {
        found.add(view.name() + ": " + o);
      }
    }
    assertTrue(found.isEmpty(), () -> String.join("\n", found));
  }

  @Test
  void theMenuIsADrawerBehindAToggle(Page page, BrowserTestSupport.Dure dure) {
    page.setViewportSize(390, 844);
    MainViews.open(page, dure, MainViews.of(dure).get(2));
    assertThat(page.locator("#side-nav")).not().isInViewport();
    page.locator("vaadin-drawer-toggle").click();
    assertThat(page.locator("vaadin-app-layout[drawer-opened]")).hasCount(1);
    assertThat(page.locator("#side-nav")).isInViewport();
    dure.screenshot("drawer");
    page.locator("#side-nav vaadin-side-nav-item[path='settings']").click();
    assertThat(page.locator("#settings-view")).isVisible();
  }

  @Test
  void editorAndPreviewStackAndTablesScroll(Page page, BrowserTestSupport.Dure dure) {
    page.setViewportSize(390, 844);
    List<MainViews.View> views = MainViews.of(dure);
    MainViews.open(page, dure, views.get(2));
    Object scrolls =
        page.evaluate(
            "() => { const t = document.querySelector('#page-body table');"
                + " return t.scrollWidth > t.clientWidth + 20 && t.clientWidth <= 390; }");
    assertTrue((Boolean) scrolls, "the wide table scrolls inside the page");
    MainViews.open(page, dure, views.get(3));
    assertThat(page.locator("#preview table")).isAttached();
    BoundingBox editor = page.locator("#editor").boundingBox();
    BoundingBox preview = page.locator("#preview").boundingBox();
    assertTrue(
        preview.y >= editor.y + editor.height - 1,
        () ->
            "preview at y="
                + preview.y
                + " under the editor ending at "
                + (editor.y + editor.height));
    assertTrue(editor.width > 300 && preview.width > 300, "both use the window's width");
  }
}
