package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

class NewPageViewTest extends ViewTestSupport {

  @Test
  void titleFromTheLinkIsFilledInAndStartsTheBody() {
    open("new?space=" + space.id().value() + "&title=Garden%20plan", NewPageView.class);

    assertEquals("Garden plan", $(TextField.class).id("new-title").getValue());
    assertEquals("# Garden plan\n\n", $(TextArea.class).id("new-body").getValue());
  }

  @Test
  void creatingAPageStoresItAndOpensIt() {
    open("new?space=" + space.id().value(), NewPageView.class);

    test($(TextField.class).id("new-title")).setValue("Recipes");
    test($(TextArea.class).id("new-body")).setValue("Bread *and* butter");
    test($(Button.class).id("create-page")).click();

    PageSummary created = store.findPage(space.id(), "Recipes").orElseThrow();
    assertEquals("Bread *and* butter", store.page(created.id()).body());
    assertTrue(getCurrentView() instanceof PageView);
    assertEquals(href(created.id()), currentPath());
  }

  @Test
  void anExistingTitleIsRefusedWithAMessage() {
    createPage("Recipes", "first");
    int before = store.pageCount(space.id());
    open("new?space=" + space.id().value(), NewPageView.class);

    TextField title = $(TextField.class).id("new-title");
    test(title).setValue("Recipes");
    test($(Button.class).id("create-page")).click();

    assertTrue(title.isInvalid());
    assertTrue(title.getErrorMessage().contains("already exists"), title.getErrorMessage());
    assertEquals(before, store.pageCount(space.id()));
    assertTrue(getCurrentView() instanceof NewPageView);
  }

  @Test
  void anUnknownSpaceFallsBackToTheDefaultSpace() {
    open("new?space=nonsense&title=Elsewhere", NewPageView.class);

    test($(Button.class).id("create-page")).click();

    assertFalse(store.findPage(space.id(), "Elsewhere").isEmpty());
  }
}
