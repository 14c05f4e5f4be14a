package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Editing, saving, searching and sharing with the keyboard alone: every step reaches its control
 * with Tab (no click, no focus set by the test) and acts with Enter, Space or a shortcut.
 */
@BrowserTest
class KeyboardBrowserTest {

  /** The focused element, through shadow roots, matches {@code selector} or lies inside one. */
  private static boolean focusedIn(Page page, String selector) {
    return (Boolean)
        page.evaluate(
            "s => { let a = document.activeElement;"
                + " while (a && a.shadowRoot && a.shadowRoot.activeElement) {"
                + "   if (a.matches(s)) return true; a = a.shadowRoot.activeElement; }"
                + " for (let e = a; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {"
                + "   if (e.matches && e.matches(s)) return true; }"
                + " return false; }",
            selector);
  }

  /** Presses Tab until the focus is in {@code selector}; fails after 80 presses. */
  private static void tabTo(Page page, String selector) {
    for (int i = 0; i < 80; i++) {
      if (focusedIn(page, selector)) {
        return;
      }
      page.keyboard().press("Tab");
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  @Test
  void editSaveSearchAndShareWithTheKeyboardOnly(Page page, BrowserTestSupport.Dure dure) {
    MainViews.View view = MainViews.of(dure).get(2);
    MainViews.open(page, dure, view);

    // Edit: Tab to the Edit button, Enter; Tab into the text; type; Ctrl+S saves.
    tabTo(page, "#edit-page");
    page.keyboard().press("Enter");
    assertThat(page.locator("#preview")).isVisible();
    tabTo(page, "#editor");
    page.keyboard().press("Control+End");
    page.keyboard().type("\nTyped with the keyboard: 키보드.");
    assertThat(page.locator("#preview")).containsText("키보드");
    page.keyboard().press("Control+s");
    assertThat(page.locator("#page-body")).containsText("Typed with the keyboard: 키보드.");

    // A task's box ticks with Space.
    tabTo(page, "#page-body input.task-box[data-task='1']");
    page.keyboard().press("Space");
    assertThat(page.locator("#page-body input.task-box[data-task='1']")).isChecked();

    // Search: Tab to the header field, type, Enter; Tab to the hit, Enter.
    tabTo(page, "#header-search");
    page.keyboard().type("키보드");
    page.keyboard().press("Enter");
    assertThat(page.locator("#search-results .search-hit-title").first()).hasText("Garden plan");
    tabTo(page, "#search-results .search-hit-title");
    page.keyboard().press("Enter");
    assertThat(page.locator("#page-title")).hasText("Garden plan");

    // Share: from the space, Tab to Share, Enter; Tab to Create invite, Enter.
    MainViews.open(page, dure, MainViews.of(dure).get(1));
    tabTo(page, "#share-space");
    page.keyboard().press("Enter");
    assertThat(page.locator("#share-view")).isVisible();
    tabTo(page, "#create-invite");
    page.keyboard().press("Enter");
    assertThat(page.locator("#invite-text textarea"))
        .hasValue(Pattern.compile("^dure:invite/[A-Za-z0-9_-]+$"));
    assertTrue(focusedIn(page, "#share-view"), "the focus stays in the view");
  }
}
