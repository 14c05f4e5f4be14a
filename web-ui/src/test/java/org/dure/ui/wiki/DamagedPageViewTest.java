package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import java.nio.file.Path;
import java.util.Optional;
import org.dure.fixtures.DamagedPages;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page whose stored data fails its check is shown as damaged; the views do not throw. */
class DamagedPageViewTest extends ViewTestSupport {
  @TempDir Path dir;
  private PageSummary bad;

  @BeforeEach
  void damageAPage() throws Exception {
    WikiStore s = WikiStore.open(dir);
    bad = s.createPage(s.defaultSpace().id(), "Bad", "will break", Optional.empty());
    s.splice(bad.id(), 0, 0, "really ");
    s.close();
    DamagedPages.corruptSecondChange(dir, bad.id());
    useStore(WikiStore.open(dir));
  }

  @Test
  void pageViewSaysThePageIsDamaged() {
    navigate(href(bad.id()), PageView.class);

    assertEquals("Bad", $(H1.class).single().getText());
    assertEquals("This page is damaged", $(H2.class).single().getText());
    assertTrue(
        $(Paragraph.class).all().stream().anyMatch(p -> p.getText().contains("quarantined")));
  }

  @Test
  void editorRefusesADamagedPage() {
    navigate("page/" + bad.id().value() + "/edit", EditView.class);

    assertEquals("This page is damaged", $(H2.class).single().getText());
  }

  @Test
  void onceFoundDamagedThePageIsMarkedInTheSpaceList() {
    // the damage is found when the page is loaded, here by opening it
    navigate(href(bad.id()), PageView.class);
    navigate("space/" + space.id().value(), SpaceView.class);

    @SuppressWarnings("unchecked")
    var grid = test((Grid<PageSummary>) $(Grid.class).id("page-list"));
    int row = 0;
    while (!grid.getRow(row).title().equals("Bad")) {
      row++;
    }
    assertTrue(grid.getRow(row).damaged().isPresent(), "the list knows the page is damaged");
    var cell = grid.getCellComponent(row, 0);
    assertTrue(
        $(Span.class, cell).withText("damaged").exists(), "a damaged badge beside the title");
    assertTrue($(Span.class, grid.getCellComponent(1 - row, 0)).all().isEmpty(), "no badge");
  }
}
