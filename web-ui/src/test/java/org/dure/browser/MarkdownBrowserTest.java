package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;

/**
 * Markdown features in the page view: ticking a task is an edit of exactly that task's box in the
 * source; the title is shown once; a footnote reference leads to its note on the same page.
 */
@BrowserTest
class MarkdownBrowserTest {

  @Test
  void tickingATaskEditsExactlyItsBox(Page page, BrowserTestSupport.Dure dure) {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    Space space = store.createSpace("Chores");
    String body =
        "# Chores\n\n- [ ] sweep [[Yard]]\n- [x] dishes\n  - [ ] dry them\n\nNote.[^1]\n\n"
            + "[^1]: Every Sunday.\n";
    PageSummary chores = store.createPage(space.id(), "Chores", body, Optional.empty());
    MainViews.open(
        page, dure, new MainViews.View("chores", "page/" + chores.id().value(), "#page-body"));
    assertThat(page.locator("#page-title")).hasText("Chores");
    assertThat(page.locator("#page-body h1")).hasCount(0);
    assertThat(page.locator("#page-body input.task-box")).hasCount(3);
    assertThat(page.locator("#page-body input.task-box:disabled")).hasCount(0);

    page.locator("#page-body input.task-box[data-task='2']").check();
    page.waitForCondition(() -> store.page(chores.id()).body().contains("  - [x] dry them"));
    assertEquals(
        body.replace("  - [ ] dry them", "  - [x] dry them"), store.page(chores.id()).body());
    // The view shows the new version (a tick on the old one, replaced meanwhile, would be lost).
    assertThat(page.locator("#backlinks")).containsText("Version 2");
    assertThat(page.locator("#page-body input.task-box[data-task='2']")).isChecked();

    page.locator("#page-body input.task-box[data-task='1']").uncheck();
    page.waitForCondition(() -> store.page(chores.id()).body().contains("- [ ] dishes"));
    assertEquals(
        body.replace("  - [ ] dry them", "  - [x] dry them")
            .replace("- [x] dishes", "- [ ] dishes"),
        store.page(chores.id()).body());
    // The view shows that version before its buttons are used (it is drawn again after a tick).
    assertThat(page.locator("#backlinks")).containsText("Version 3");
    // History shows the tick as an ordinary edit.
    page.locator("#page-history").click();
    assertThat(page.locator("#versions")).containsText("Unticked a task");

    // The footnote reference leads to its note without leaving the page.
    page.navigate(dure.url("page/" + chores.id().value()));
    page.locator("#page-body sup.footnote-ref a").click();
    assertThat(page.locator("#page-title")).hasText("Chores");
    assertThat(page.locator("#page-body li#fn-1")).isInViewport();
  }
}
