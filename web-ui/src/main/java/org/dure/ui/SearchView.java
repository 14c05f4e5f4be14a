package org.dure.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.List;
import org.dure.store.WikiStore;
import org.dure.ui.base.Links;
import org.dure.ui.wiki.SearchResults;

/**
 * The search page, {@code search?q=…}; the header search field leads here. A placeholder that shows
 * the query until the real search replaces it.
 */
@Route(SearchView.ROUTE)
public class SearchView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  /** The route of this page. */
  public static final String ROUTE = Links.SEARCH;

  /** The query parameter holding the search text. */
  public static final String QUERY_PARAMETER = Links.SEARCH_QUERY;

  private final Paragraph summary = new Paragraph();
  private String query = "";

  private final transient WikiStore store;

  /** Builds the page. */
  public SearchView(WikiStore store) {
    this.store = store;
    setId("search-view");
    summary.setId("search-summary");
    add(new H2(getTranslation("core.search.heading")), summary);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    List<String> values =
        event
            .getLocation()
            .getQueryParameters()
            .getParameters()
            .getOrDefault(QUERY_PARAMETER, List.of());
    query = values.isEmpty() ? "" : values.get(0).strip();
    summary.setText(
        query.isEmpty()
            ? getTranslation("core.search.empty")
            : getTranslation("core.search.results", query));
    getChildren().filter(SearchResults.class::isInstance).toList().forEach(this::remove);
    add(new SearchResults(store, query));
  }

  /** The search text of the current request, blank if none. */
  public String getQuery() {
    return query;
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.title.page", getTranslation("core.search.heading"));
  }
}
