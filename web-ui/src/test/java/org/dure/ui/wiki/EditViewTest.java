package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Optional;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Version;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

class EditViewTest extends ViewTestSupport {

  private String previewHtml() {
    Div preview = $(Div.class).id("preview");
    return $(Html.class, preview).single().getInnerHtml();
  }

  @Test
  void opensWithTheCurrentTextAndItsPreview() {
    PageSummary p = createPage("Notes", "Some *text*");

    navigate("page/" + p.id().value() + "/edit", EditView.class);

    assertEquals("Some *text*", $(TextArea.class).id("editor").getValue());
    assertTrue(previewHtml().contains("<em>text</em>"), previewHtml());
  }

  @Test
  void previewFollowsTheText() {
    PageSummary p = createPage("Notes", "old");
    navigate("page/" + p.id().value() + "/edit", EditView.class);

    test($(TextArea.class).id("editor")).setValue("## Fresh heading\n\nsee [[Nowhere]]");

    String html = previewHtml();
    assertTrue(html.contains("Fresh heading</h2>"), html);
    assertTrue(html.contains("title=Nowhere"), html);
    // only the preview changed, not the page
    assertEquals("old", store.page(p.id()).body());
  }

  @Test
  void savingWithAMessageCreatesAVersionWithThatMessage() {
    PageSummary p = createPage("Notes", "old");
    navigate("page/" + p.id().value() + "/edit", EditView.class);

    test($(TextArea.class).id("editor")).setValue("new text");
    test($(TextField.class).id("edit-message")).setValue("Rewrote it");
    test($(Button.class).id("save-page")).click();

    assertEquals("new text", store.page(p.id()).body());
    Version latest = store.history(p.id(), 0, 1).get(0);
    assertEquals(Optional.of("Rewrote it"), latest.message());
    assertTrue(getCurrentView() instanceof PageView);
    assertEquals(href(p.id()), currentPath());
  }

  @Test
  void savingAfterSomeoneElseSavedMergesBothEdits() {
    PageSummary p = createPage("Notes", "first line\n\nsecond line\n");
    navigate("page/" + p.id().value() + "/edit", EditView.class);

    // meanwhile, another tab saves a change to the second line
    store.replaceText(p.id(), "first line\n\nsecond line, theirs\n", Optional.of("other tab"));
    // this editor still shows the version it was opened at and changes the first line
    test($(TextArea.class).id("editor")).setValue("first line, mine\n\nsecond line\n");
    test($(Button.class).id("save-page")).click();

    assertEquals("first line, mine\n\nsecond line, theirs\n", store.page(p.id()).body());
  }

  @Test
  void ctrlSSaves() {
    PageSummary p = createPage("Notes", "old");
    navigate("page/" + p.id().value() + "/edit", EditView.class);

    test($(TextArea.class).id("editor")).setValue("saved by keyboard");
    pressKeyIn($(EditView.class).single(), Key.KEY_S, KeyModifier.CONTROL);

    assertEquals("saved by keyboard", store.page(p.id()).body());
  }

  @Test
  void anUnknownPageShowsAProblemAndSaveDoesNothing() {
    navigate("page/" + PageId.random().value() + "/edit", EditView.class);

    assertEquals("No such page", $(H2.class).single().getText());
  }
}
