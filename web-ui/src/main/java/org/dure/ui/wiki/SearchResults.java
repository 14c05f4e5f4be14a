package org.dure.ui.wiki;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.wiki.SearchHit;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Links;

/** Search results with highlighted snippets, and an offer to create a page with the query. */
public class SearchResults extends Div {
  private static final long serialVersionUID = 1L;
  static final int LIMIT = 50;

  public SearchResults(WikiStore store, String query) {
    setId("search-results");
    addClassName("dure-search-results");
    if (query.isBlank()) {
      add(new Paragraph(getTranslation("core.search.hint")));
      return;
    }
    List<SearchHit> hits = store.search(Optional.empty(), query, LIMIT);
    Paragraph summary =
        new Paragraph(
            hits.isEmpty()
                ? getTranslation("core.search.none", query)
                : getTranslation("core.search.count", hits.size()));
    summary.setId("search-count");
    add(summary);
    for (SearchHit hit : hits) {
      Div row = new Div();
      row.addClassName("search-hit");
      Anchor title = new Anchor(Links.pageHref(hit.page().id()), hit.page().title());
      title.addClassName("search-hit-title");
      Div snippet = new Div();
      snippet.addClassName("search-snippet");
      for (SearchHit.Part part : hit.parts()) {
        Span s = new Span(part.text());
        if (part.match()) {
          s.addClassName("search-match");
        }
        snippet.add(s);
      }
      row.add(title, snippet);
      add(row);
    }
    Space space = store.defaultSpace();
    String t = query.strip();
    if (t.length() <= 200
        && !t.contains("[")
        && !t.contains("]")
        && !t.contains("|")
        && store.findPage(space.id(), t).isEmpty()) {
      Anchor create =
          new Anchor(Links.newPageHref(space.id(), t), getTranslation("core.search.create", t));
      create.setId("create-from-search");
      add(new Paragraph(create));
    }
  }
}
