package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import java.util.List;
import java.util.Optional;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Version;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.i18n.DureI18N;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HistoryViewTest extends ViewTestSupport {
  private PageSummary page;

  @BeforeEach
  void threeVersions() {
    page = store.createPage(space.id(), "Notes", "one\n", Optional.of("Started"));
    store.replaceText(page.id(), "one\ntwo\n", Optional.of("Added two"));
    store.replaceText(page.id(), "one\nthree\n", Optional.of("Two became three"));
  }

  @SuppressWarnings("unchecked")
  private Grid<Version> versions() {
    return $(Grid.class).id("versions");
  }

  private List<String> lines(String cls) {
    Div diff = $(Div.class).id("diff");
    return $(Div.class, diff).withClassName(cls).all().stream()
        .map(d -> d.getElement().getTextRecursively())
        .toList();
  }

  @Test
  void listsVersionsNewestFirstWithTheirMessages() {
    navigate("page/" + page.id().value() + "/history", HistoryView.class);

    var grid = test(versions());
    assertEquals(3, grid.size());
    assertEquals("#3", grid.getCellText(0, 0));
    assertEquals("Two became three", grid.getCellText(0, 3));
    assertEquals("Added two", grid.getCellText(1, 3));
    assertEquals("Started", grid.getCellText(2, 3));
    assertEquals(
        new DureI18N().getTranslation("social.badge.you", UI.getCurrent().getLocale()),
        grid.getCellText(0, 2));
  }

  @Test
  void selectingAVersionShowsItsChangesAgainstThePreviousOne() {
    navigate("page/" + page.id().value() + "/history", HistoryView.class);

    test(versions()).select(0);

    assertEquals(List.of("+three"), lines("diff-added"));
    assertEquals(List.of("−two"), lines("diff-removed"));
    assertFalse($(Button.class).id("revert").isEnabled(), "the latest version cannot be restored");
  }

  @Test
  void theVersionInTheAddressIsSelected() {
    open("page/" + page.id().value() + "/history?v=2", HistoryView.class);

    assertEquals(List.of("+two"), lines("diff-added"));
    assertTrue($(Button.class).id("revert").isEnabled());
  }

  @Test
  void restoringAnOldVersionAfterConfirmingSavesItAsANewVersion() {
    navigate("page/" + page.id().value() + "/history", HistoryView.class);
    test(versions()).select(1);

    test($(Button.class).id("revert")).click();
    ConfirmDialog dialog = $(ConfirmDialog.class).single();
    assertEquals("Restore version 2?", test(dialog).getHeader());
    test(dialog).confirm();

    assertEquals("one\ntwo\n", store.page(page.id()).body());
    assertEquals(4, store.history(page.id(), 0, 1).get(0).number());
    assertEquals(4, test(versions()).size(), "the list shows the new version");
  }

  @Test
  void cancellingTheRestoreChangesNothing() {
    navigate("page/" + page.id().value() + "/history", HistoryView.class);
    test(versions()).select(2);

    test($(Button.class).id("revert")).click();
    test($(ConfirmDialog.class).single()).cancel();

    assertEquals("one\nthree\n", store.page(page.id()).body());
    assertEquals(3, store.history(page.id(), 0, 1).get(0).number());
  }

  @Test
  void anUnknownPageShowsAProblem() {
    navigate("page/" + PageId.random().value() + "/history", HistoryView.class);

    assertEquals("No such page", $(H2.class).single().getText());
  }
}
