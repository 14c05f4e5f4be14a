package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Optional;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

/** The page view's Rename and Delete, a deleted page's notice, and the space's Trash view. */
class PageLifecycleViewTest extends ViewTestSupport {

  @Test
  void renameFromThePageViewShowsTheNewTitle() {
    PageSummary p = createPage("Notes", "text");
    navigate(href(p.id()), PageView.class);

    test($(Button.class).id("rename-page")).click();
    test($(TextField.class).id("rename-title")).setValue("Journal");
    test($(Button.class).id("rename-confirm")).click();

    assertEquals("Journal", store.page(p.id()).title());
    assertEquals("Journal", $(H1.class).id("page-title").getText());
  }

  @Test
  void deleteAsksFirstThenThePageShowsItIsInTheTrashWhichListsIt() {
    PageSummary p = createPage("Old plan", "text");
    navigate(href(p.id()), PageView.class);

    test($(Button.class).id("delete-page")).click();
    assertEquals("Delete \"Old plan\"?", $(Span.class).id("delete-question").getText());
    test($(Button.class).id("page-action-cancel")).click();
    assertTrue(store.wiki().trash().of(p.id()).isEmpty(), "cancel deletes nothing");
    test($(Button.class).id("delete-page")).click();
    test($(Button.class).id("delete-confirm")).click();
    assertTrue(store.wiki().trash().of(p.id()).isPresent());
    assertTrue(store.findPage(space.id(), "Old plan").isEmpty());

    // Its own address shows that it is in the trash, with Restore.
    navigate(href(p.id()), PageView.class);
    assertTrue($(Div.class).withId("page-in-trash").exists());
    assertFalse($(Button.class).withId("edit-page").exists(), "no editing in the trash");

    navigate("space/" + space.id().value() + "/trash", TrashView.class);
    @SuppressWarnings("unchecked")
    Grid<Object> grid = $(Grid.class).id("trash-list");
    assertEquals(1, test(grid).size());
  }

  @Test
  void aDeletedPagesNoticeRestoresIt() {
    PageSummary p = createPage("Scratch", "text");
    store.wiki().pages().delete(p.id(), Optional.empty());
    navigate(href(p.id()), PageView.class);

    test($(Button.class).id("restore-page")).click();

    assertTrue(store.wiki().trash().of(p.id()).isEmpty());
    assertTrue($(Button.class).withId("edit-page").exists(), "shown as a page again");
  }
}
