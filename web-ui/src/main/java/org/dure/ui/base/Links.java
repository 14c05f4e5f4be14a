package org.dure.ui.base;

import com.vaadin.flow.router.QueryParameters;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;

/**
 * The addresses of the app's pages, and the ids read back from them: views link to each other
 * through these, not through each other's classes.
 */
public final class Links {
  /** The route of the search page. */
  public static final String SEARCH = "search";

  /** The search page's query parameter holding the search text. */
  public static final String SEARCH_QUERY = "q";

  private Links() {}

  public static String pageHref(PageId id) {
    return "page/" + id.value();
  }

  public static String editHref(PageId id) {
    return "page/" + id.value() + "/edit";
  }

  public static String historyHref(PageId id) {
    return "page/" + id.value() + "/history";
  }

  public static String spaceHref(SpaceId id) {
    return "space/" + id.value();
  }

  public static String newPageHref(SpaceId space, String title) {
    return "new?space="
        + space.value()
        + "&title="
        + URLEncoder.encode(title, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static QueryParameters newPageQuery(SpaceId space, String title) {
    return QueryParameters.simple(Map.of("space", space.value(), "title", title));
  }

  /** The query parameters of the search page for {@code query}. */
  public static QueryParameters searchQuery(String query) {
    return QueryParameters.simple(Map.of(SEARCH_QUERY, query));
  }

  /** Parses an id from a URL, empty if it is not one. */
  public static Optional<PageId> pageId(String raw) {
    try {
      return Optional.of(new PageId(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static Optional<SpaceId> spaceId(String raw) {
    try {
      return Optional.of(new SpaceId(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The space with the id in the address {@code raw}, if it is one and exists here. */
  public static Optional<Space> findSpace(WikiStore store, String raw) {
    return spaceId(raw)
        .flatMap(
            id -> {
              try {
                return Optional.of(store.space(id));
              } catch (NoSuchElementException e) {
                return Optional.empty();
              }
            });
  }
}
