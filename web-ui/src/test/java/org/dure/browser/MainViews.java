package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.List;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;

/**
 * The main views of the app, on a sample page with every Markdown feature, for the accessibility,
 * narrow-window and screenshot tests.
 */
final class MainViews {

  /** A view: its name (for messages and screenshot files), path, and an element it shows. */
  record View(String name, String path, String shown) {}

  /** The sample page's Markdown: tasks, a wide table, footnotes, code, a wiki link. */
  static final String SAMPLE =
      """
      # Garden plan

      What grows where this year, and who waters.[^rota] See [[Compost]].

      - [x] Order seeds
      - [ ] Build the bean poles
      - [ ] Ask 민지 about the 고추 seedlings

      | Bed | Crop | Sown | Planted out | First harvest | Last harvest | Yield (kg) | Watered by |
      |:----|:-----|-----:|------------:|--------------:|-------------:|-----------:|:-----------|
      | 1 | Beans | 2026-04-12 | 2026-05-20 | 2026-07-01 | 2026-09-15 | 12.5 | Sam |
      | 2 | 고추 | 2026-04-20 | 2026-05-28 | 2026-08-02 | 2026-10-10 | 4.2 | 민지 |

      ```java
      // How many litres a bed needs today
      int litres(Bed bed, double rainMm) {
        return rainMm > 5 ? 0 : bed.areaM2() * 4;
      }
      ```

      [^rota]: The rota is on the shed door.
      """;

  private MainViews() {}

  /** The sample space and page, made once in the app's store. */
  static synchronized List<View> of(BrowserTestSupport.Dure dure) {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    Space space =
        store.spaces().stream()
            .filter(s -> s.name().equals("Garden club"))
            .findFirst()
            .orElseGet(() -> store.createSpace("Garden club"));
    PageSummary page =
        store
            .findPage(space.id(), "Garden plan")
            .orElseGet(
                () -> {
                  PageSummary p =
                      store.createPage(space.id(), "Garden plan", SAMPLE, Optional.empty());
                  store.createPage(space.id(), "Compost", "Leaves and peels.", Optional.empty());
                  return p;
                });
    String s = space.id().value();
    String p = page.id().value();
    return List.of(
        new View("feed", "", "#home-view"),
        new View("space", "space/" + s, "#page-list"),
        new View("page", "page/" + p, "#page-body"),
        new View("editor", "page/" + p + "/edit", "#preview"),
        new View("history", "page/" + p + "/history", "#versions"),
        new View("search", "search?q=beans", "#search-view"),
        new View("members", "space/" + s + "/members", "#members-view"),
        new View("share", "space/" + s + "/share", "#share-view"),
        new View("network", "network", "#network-view"),
        new View("friends", "friends", "#friends-view"),
        new View("notifications", "notifications", "#notifications-view"),
        new View("usage", "usage", "#usage-view"),
        new View("settings", "settings", "#settings-view"));
  }

  /**
   * Opens {@code view} and waits until it shows: up to a minute, as a first visit on a loaded
   * 2-core machine (the app warming up, Chromium starting) can take longer than the usual 15 s.
   */
  static void open(Page page, BrowserTestSupport.Dure dure, View view) {
    page.navigate(dure.url(view.path()), new Page.NavigateOptions().setTimeout(60_000));
    assertThat(page.locator(view.shown()).first())
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
  }
}
