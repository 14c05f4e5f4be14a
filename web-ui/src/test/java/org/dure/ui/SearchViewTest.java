package org.dure.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.base.Links;
import org.dure.ui.wiki.PageView;
import org.junit.jupiter.api.Test;

class SearchViewTest extends ViewTestSupport {

  @Test
  void resultsLinkToPagesWithHighlightedSnippets() {
    PageSummary hit = createPage("Bread", "How to bake sourdough bread at home");
    createPage("Cheese", "Nothing about that here");
    store.flushIndex();

    open("search?q=sourdough", SearchView.class);

    assertEquals("1 page found.", $(Paragraph.class).id("search-count").getText());
    Div row = $(Div.class).withClassName("search-hit").single();
    Anchor title = $(Anchor.class, row).single();
    assertEquals("Bread", title.getText());
    assertEquals(Links.pageHref(hit.id()), title.getHref());
    List<String> matches =
        $(Span.class, row).withClassName("search-match").all().stream().map(Span::getText).toList();
    assertEquals(List.of("sourdough"), matches.stream().map(String::toLowerCase).toList());
  }

  @Test
  void anEmptyQueryAsksForWords() {
    open("search?q=%20", SearchView.class);

    assertEquals("Type in the search field.", $(Paragraph.class).id("search-summary").getText());
    Div results = $(Div.class).id("search-results");
    assertTrue(results.getElement().getTextRecursively().startsWith("Type words"));
  }

  @Test
  void noResultsSaysSoAndOffersToCreateThePage() {
    createPage("Bread", "sourdough");
    store.flushIndex();

    open("search?q=zucchini", SearchView.class);

    assertEquals("No page contains “zucchini”.", $(Paragraph.class).id("search-count").getText());
    Anchor create = $(Anchor.class).id("create-from-search");
    assertEquals(Links.newPageHref(space.id(), "zucchini"), create.getHref());
  }

  @Test
  void anExistingTitleIsNotOfferedForCreation() {
    createPage("Bread", "sourdough");
    store.flushIndex();

    open("search?q=Bread", SearchView.class);

    assertTrue($(Anchor.class).withId("create-from-search").all().isEmpty());
  }

  @Test
  void enterInTheHeaderSearchOpensTheSearchPage() {
    PageSummary p = createPage("Bread", "sourdough");
    navigate(Links.pageHref(p.id()), PageView.class);

    TextField field = $(TextField.class).id("header-search");
    test(field).setValue("  sour dough ");
    pressKeyIn(field, Key.ENTER);

    SearchView view = (SearchView) getCurrentView();
    assertEquals("sour dough", view.getQuery());
    assertEquals("search?q=sour%20dough", currentPath().replace("+", "%20"));
    assertEquals("sour dough", field.getValue());
  }

  @Test
  void theHeaderSearchIsClearedOnOtherPages() {
    open("search?q=bread", SearchView.class);
    TextField field = $(TextField.class).id("header-search");
    assertEquals("bread", field.getValue());

    PageSummary p = createPage("Bread", "sourdough");
    navigate(Links.pageHref(p.id()), PageView.class);

    assertEquals("", field.getValue());
  }
}
