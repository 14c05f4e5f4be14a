package org.dure.ui.coedit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vaadin.flow.component.UI;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

class LiveEditorTest extends ViewTestSupport {

  @Test
  void keystrokesAreStoredAsTheyArrive() {
    PageSummary p = createPage("Notes", "abc");
    LiveEditor editor = new LiveEditor(store, p.id(), false);
    StringBuilder seen = new StringBuilder();
    editor.addTextListener(t -> seen.append(t).append('|'));
    UI.getCurrent().add(editor);

    editor.push(0, "[{\"c\":\"me\",\"l\":3,\"s\":[[3,3,\"d\"]]}]");

    assertEquals("abcd", store.page(p.id()).body());
    assertEquals("abcd", editor.text());
    assertEquals("abc|abcd|", seen.toString());
  }

  @Test
  void aReadersEditorStoresNothingThatTheBrowserSends() {
    PageSummary p = createPage("Notes", "abc");
    long version = store.page(p.id()).version();
    LiveEditor editor = new LiveEditor(store, p.id(), true);
    UI.getCurrent().add(editor);

    editor.push(0, "[{\"c\":\"me\",\"l\":3,\"s\":[[0,3,\"gone\"]]}]");

    assertEquals("abc", store.page(p.id()).body());
    assertEquals(version, store.page(p.id()).version());
  }

  @Test
  void anEditThatDoesNotFitIsRefusedAndTheEditorStartsAgain() {
    PageSummary p = createPage("Notes", "abc");
    LiveEditor editor = new LiveEditor(store, p.id(), false);
    UI.getCurrent().add(editor);

    editor.push(0, "[{\"c\":\"me\",\"l\":3,\"s\":[[2,9,\"x\"]]}]");

    assertEquals("abc", store.page(p.id()).body());
    assertEquals("abc", editor.text());
  }
}
