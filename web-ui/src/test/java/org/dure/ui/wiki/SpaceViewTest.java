package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import java.util.Optional;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

class SpaceViewTest extends ViewTestSupport {

  @Test
  void listsPagesMostRecentlyChangedFirst() {
    PageSummary alpha = createPage("Alpha", "a");
    createPage("Beta", "b");
    store.replaceText(alpha.id(), "a, edited", Optional.empty());

    navigate("space/" + space.id().value(), SpaceView.class);

    @SuppressWarnings("unchecked")
    Grid<PageSummary> grid = $(Grid.class).id("page-list");
    var rows = test(grid);
    // the welcome page of the new store, then Alpha and Beta
    assertEquals(3, rows.size());
    assertEquals("Alpha", rows.getRow(0).title());
    assertEquals("Beta", rows.getRow(1).title());
    Anchor link = (Anchor) rows.getCellComponent(0, 0);
    assertEquals(href(alpha.id()), link.getHref());
    assertEquals("3 pages", $(Span.class).withText("3 pages").single().getText());
  }

  @Test
  void newPageButtonOpensTheCreateFormForThisSpace() {
    navigate("space/" + space.id().value(), SpaceView.class);

    test($(Button.class).id("new-page")).click();

    assertTrue(getCurrentView() instanceof NewPageView);
    assertTrue(currentPath().contains("space=" + space.id().value()), currentPath());
  }

  @Test
  void unknownSpaceShowsAProblemInsteadOfThrowing() {
    navigate("space/nonsense", SpaceView.class);

    assertEquals("No such space", $(H2.class).single().getText());
  }
}
