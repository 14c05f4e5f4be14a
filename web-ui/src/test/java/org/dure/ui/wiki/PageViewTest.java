package org.dure.ui.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Aside;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import java.util.List;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.base.Links;
import org.junit.jupiter.api.Test;

class PageViewTest extends ViewTestSupport {

  private String bodyHtml() {
    Div body = $(Div.class).id("page-body");
    return $(Html.class, body).single().getInnerHtml();
  }

  @Test
  void rendersTheMarkdown() {
    PageSummary p = createPage("Notes", "# Heading\n\nSome **bold** text");

    navigate(href(p.id()), PageView.class);

    assertEquals("Notes", $(H1.class).id("page-title").getText());
    String html = bodyHtml();
    assertTrue(html.contains("<strong>bold</strong>"), html);
    assertTrue(html.contains("Heading</h1>"), html);
  }

  @Test
  void wikiLinksPointToExistingPagesAndOfferToCreateMissingOnes() {
    PageSummary target = createPage("Target", "here");
    PageSummary p = createPage("Source", "See [[Target]] and [[Missing Page]].");

    navigate(href(p.id()), PageView.class);

    String html = bodyHtml();
    assertTrue(html.contains("href=\"" + href(target.id()) + "\""), html);
    assertTrue(
        html.contains(Links.newPageHref(space.id(), "Missing Page").replace("&", "&amp;")), html);
  }

  @Test
  void backlinksPanelListsTheLinkingPages() {
    PageSummary target = createPage("Target", "here");
    PageSummary a = createPage("Linker A", "to [[Target]]");
    createPage("Unrelated", "no links");
    store.flushIndex();

    navigate(href(target.id()), PageView.class);

    Aside aside = $(Aside.class).id("backlinks");
    List<Anchor> links = $(Anchor.class, aside).all();
    assertEquals(List.of("Linker A"), links.stream().map(Anchor::getText).toList());
    assertEquals(href(a.id()), links.get(0).getHref());
  }

  @Test
  void withoutBacklinksThePanelSaysHowToLinkHere() {
    PageSummary target = createPage("Lonely", "alone");

    navigate(href(target.id()), PageView.class);

    Aside aside = $(Aside.class).id("backlinks");
    assertTrue(aside.getElement().getTextRecursively().contains("[[Lonely]]"));
  }

  @Test
  void editAndHistoryButtonsOpenThoseViews() {
    PageSummary p = createPage("Notes", "text");
    navigate(href(p.id()), PageView.class);

    test($(Button.class).id("edit-page")).click();
    assertTrue(getCurrentView() instanceof EditView);

    navigate(href(p.id()), PageView.class);
    test($(Button.class).id("page-history")).click();
    assertTrue(getCurrentView() instanceof HistoryView);
  }

  @Test
  void anUnknownPageIdShowsNotFound() {
    createPage("Notes", "text");

    navigate(href(PageId.random()), PageView.class);

    assertEquals("No such page", $(H2.class).single().getText());
  }

  @Test
  void aMalformedPageIdShowsNotFound() {
    navigate("page/not-an-id", PageView.class);

    assertEquals("No such page", $(H2.class).single().getText());
  }
}
