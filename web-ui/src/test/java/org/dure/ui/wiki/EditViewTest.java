package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.coedit.LiveEditor;
import org.junit.jupiter.api.Test;

class EditViewTest extends ViewTestSupport {

  private String previewHtml() {
    Div preview = $(Div.class).id("preview");
    return $(Html.class, preview).single().getInnerHtml();
  }

  @Test
  void opensTheLiveEditorWithTheCurrentTextAndItsPreview() {
    PageSummary p = createPage("Notes", "Some *text*");

    navigate("page/" + p.id().value() + "/edit", EditView.class);

    LiveEditor editor = $(LiveEditor.class).id("editor");
    assertEquals("Some *text*", editor.text());
    assertFalse(editor.isReadOnly(), "the owner edits");
    assertTrue(previewHtml().contains("<em>text</em>"), previewHtml());
    assertEquals("Nobody else has this page open.", $(Span.class).id("presence").getText());
  }

  @Test
  void anUnknownPageShowsAProblem() {
    navigate("page/" + PageId.random().value() + "/edit", EditView.class);

    assertEquals("No such page", $(H2.class).single().getText());
  }
}
