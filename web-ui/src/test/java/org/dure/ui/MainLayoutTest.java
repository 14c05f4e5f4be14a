package org.dure.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.vaadin.browserless.BrowserlessTest;
import com.vaadin.browserless.ViewPackages;
import com.vaadin.browserless.internal.ShortcutsKt;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.QueryParameters;
import org.junit.jupiter.api.Test;

/** The header search, without a browser (Vaadin browserless-test). */
@ViewPackages(classes = {HomeView.class, SearchView.class, NotFoundView.class})
class MainLayoutTest extends BrowserlessTest {

  private TextField searchField() {
    return find(TextField.class).id("header-search");
  }

  /** Presses Enter in the search field (a keydown on the field, as the browser sends it). */
  private void pressEnterInSearchField() {
    ShortcutsKt._fireShortcut(searchField(), Key.ENTER);
  }

  private SearchView openSearchPage(String query) {
    UI.getCurrent()
        .navigate(SearchView.ROUTE, QueryParameters.of(SearchView.QUERY_PARAMETER, query));
    return assertInstanceOf(SearchView.class, getCurrentView());
  }

  @Test
  void enterInTheHeaderSearchOpensTheSearchPage() {
    navigate(HomeView.class);
    test(searchField()).setValue("  hello world ");
    pressEnterInSearchField();

    SearchView view = assertInstanceOf(SearchView.class, getCurrentView());
    assertEquals("hello world", view.getQuery());
    // The field shows the query on the search page.
    assertEquals("hello world", searchField().getValue());
  }

  @Test
  void enterElsewhereDoesNotSearch() {
    navigate(HomeView.class);
    test(searchField()).setValue("hello");
    fireShortcut(Key.ENTER); // on the page, not in the field
    assertInstanceOf(HomeView.class, getCurrentView());
  }

  @Test
  void enterWithBlankTextStaysPut() {
    navigate(HomeView.class);
    test(searchField()).setValue("   ");
    pressEnterInSearchField();
    assertInstanceOf(HomeView.class, getCurrentView());
  }

  @Test
  void theSearchPageReadsTheQueryParameter() {
    SearchView view = openSearchPage("café");
    assertEquals("café", view.getQuery());
    assertEquals("café", searchField().getValue());
  }

  @Test
  void leavingTheSearchPageClearsTheField() {
    openSearchPage("x");
    navigate(HomeView.class);
    assertEquals("", searchField().getValue());
  }

  @Test
  void searchParametersEncodeTheQuery() {
    assertEquals(
        "q=a%20b%26c", MainLayout.searchParameters("a b&c").getQueryString().replace("+", "%20"));
  }
}
