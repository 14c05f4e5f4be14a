package org.dure.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.Shortcuts;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouterLink;
import java.util.List;
import org.dure.store.Space;
import org.dure.store.WikiStore;

/**
 * The frame around every page: a header with the app name and a search field, and a drawer with the
 * navigation. Pressing Enter in the search field opens {@code search?q=…} ({@link SearchView}).
 */
public class MainLayout extends AppLayout implements AfterNavigationObserver {
  private static final long serialVersionUID = 1L;

  private final TextField search = new TextField();
  private final SideNav nav = new SideNav();
  private final SideNav spaces = new SideNav("Spaces");
  private final transient WikiStore store;

  /** Builds the header and the drawer. */
  public MainLayout(WikiStore store) {
    this.store = store;
    setPrimarySection(Section.NAVBAR);

    RouterLink title = new RouterLink("Dure", HomeView.class);
    title.addClassName("dure-app-name");
    title.setId("app-name");

    search.setId("header-search");
    search.setPlaceholder("Search");
    search.setAriaLabel("Search");
    search.setClearButtonVisible(true);
    search.setPrefixComponent(VaadinIcon.SEARCH.create());
    search.addClassName("dure-header-search");
    // Every keystroke is sent, so the value is current when Enter arrives.
    search.setValueChangeMode(ValueChangeMode.EAGER);
    Shortcuts.addShortcutListener(search, this::submitSearch, Key.ENTER).listenOn(search);

    Span spacer = new Span();
    HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, spacer, search);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.setFlexGrow(1, spacer);
    header.setWidthFull();
    header.addClassName("dure-header");
    addToNavbar(header);

    nav.setId("side-nav");
    nav.addItem(new SideNavItem("Home", HomeView.class, VaadinIcon.HOME.create()));
    nav.addItem(
        new SideNavItem(
            "Network", org.dure.ui.peers.NetworkView.class, VaadinIcon.CONNECT.create()));
    nav.addItem(
        new SideNavItem(
            getTranslation("moderation.usage.nav"),
            org.dure.ui.limits.UsageView.class,
            VaadinIcon.CHART.create()));
    nav.addItem(
        new SideNavItem(
            getTranslation("moderation.settings.nav"),
            org.dure.ui.limits.SettingsView.class,
            VaadinIcon.COG.create()));
    spaces.setId("space-nav");
    spaces.setCollapsible(true);
    addToDrawer(new Scroller(new com.vaadin.flow.component.html.Div(nav, spaces)));
  }

  /** The header search field. */
  public TextField getSearchField() {
    return search;
  }

  /** The drawer navigation, to which views add their entries. */
  public SideNav getSideNav() {
    return nav;
  }

  /** Opens the search page for the field's current text; does nothing for blank text. */
  void submitSearch() {
    String query = search.getValue() == null ? "" : search.getValue().strip();
    if (query.isEmpty()) {
      return;
    }
    UI.getCurrent().navigate(SearchView.ROUTE, searchParameters(query));
  }

  /** The query parameters of the search page for {@code query}. */
  static QueryParameters searchParameters(String query) {
    return QueryParameters.simple(java.util.Map.of(SearchView.QUERY_PARAMETER, query));
  }

  /** Lists the spaces (a joined space appears once its index has arrived). */
  private void showSpaces() {
    spaces.removeAll();
    for (Space s : store.spaces()) {
      spaces.addItem(new SideNavItem(s.name(), "space/" + s.id().value()));
    }
  }

  @Override
  public void afterNavigation(AfterNavigationEvent event) {
    showSpaces();
    // Keep the field in step with the page: show the query on the search page, clear it elsewhere.
    String path = event.getLocation().getPath();
    if (SearchView.ROUTE.equals(path)) {
      List<String> q =
          event
              .getLocation()
              .getQueryParameters()
              .getParameters()
              .getOrDefault(SearchView.QUERY_PARAMETER, List.of());
      search.setValue(q.isEmpty() ? "" : q.get(0));
    } else {
      search.clear();
    }
  }
}
