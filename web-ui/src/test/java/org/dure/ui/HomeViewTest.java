package org.dure.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.base.Links;
import org.junit.jupiter.api.Test;

class HomeViewTest extends ViewTestSupport {

  @org.junit.jupiter.api.BeforeEach
  void inEnglish() {
    UI.getCurrent().setLocale(Locale.ENGLISH);
  }

  private List<String> shownTitles() {
    return $(Div.class).withClassName("dure-feed-entry").all().stream()
        .map(e -> $(Anchor.class, e).withClassName("dure-feed-page").single().getText())
        .toList();
  }

  @Test
  void theStartPageIsTheFeedNewestFirst() {
    PageSummary garden = createPage("Garden", "roses");
    createPage("Kitchen", "bread");
    store.replaceText(garden.id(), "roses and tulips", Optional.empty());

    navigate("", HomeView.class);

    assertEquals("Recent changes", $(H1.class).single().getText());
    // The stepping clock moves 1 s per reading: these are one session each by page.
    assertEquals(List.of("Garden", "Kitchen", "Welcome"), shownTitles());
    Div first = $(Div.class).withClassName("dure-feed-entry").first();
    assertEquals(Links.pageHref(garden.id()), $(Anchor.class, first).first().getHref());
    assertEquals(
        Links.spaceHref(space.id()),
        $(Anchor.class, first).withClassName("dure-feed-space").single().getHref());
    assertTrue(first.getElement().getTextRecursively().contains("+"), "a diff summary");
    assertTrue(first.getElement().getTextRecursively().contains("roses and tulips"));
    assertFalse($(Button.class).withId("feed-more").exists(), "everything fits on one page");
    assertFalse($(Div.class).withId("feed-empty").exists(), "not empty");
  }

  @Test
  void theFeedSpeaksKorean() {
    UI.getCurrent().setLocale(Locale.KOREAN);
    navigate("", HomeView.class);
    assertEquals("최근 변경", $(H1.class).single().getText());
    assertTrue(
        $(Div.class)
            .withClassName("dure-feed-line")
            .first()
            .getElement()
            .getTextRecursively()
            .contains("나: 새 페이지를 만듦"));
  }

  @Test
  void loadMoreAppendsTheNextPage() {
    for (int i = 0; i < 24; i++) {
      createPage("Page " + i, "text");
    }
    navigate("", HomeView.class);
    assertEquals(20, shownTitles().size());
    Button more = $(Button.class).id("feed-more");
    assertTrue(more.isVisible());
    test(more).click();
    List<String> all = shownTitles();
    assertEquals(25, all.size(), "24 pages and the welcome page");
    assertEquals(25, new HashSet<>(all).size());
    assertEquals("Welcome", all.get(24));
    assertFalse(more.isVisible(), "nothing more to load");
  }
}
