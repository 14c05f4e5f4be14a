package org.dure.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.Shortcuts;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import java.util.List;
import java.util.Locale;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Links;
import org.dure.ui.feed.NotificationBell;
import org.dure.ui.i18n.DureI18N;
import org.dure.ui.i18n.UiLanguage;

/**
 * The frame around every page ({@link Layout}: every route gets it unless it names another): a
 * header with the app name, a search field, the notification bell and the language selector ({@link
 * UiLanguage}), and a drawer with the navigation and the spaces. Pressing Enter in the search field
 * opens {@code search?q=…}.
 *
 * <p>The layout knows no view: the navigation lists the routes annotated with {@link Menu}, in
 * their order, whose {@code title} is a text key translated here (a {@code @Menu} title cannot be
 * translated by itself).
 */
@Layout
public class MainLayout extends AppLayout implements AfterNavigationObserver {
  private static final long serialVersionUID = 1L;

  private final TextField search = new TextField();
  private final SideNav nav = new SideNav();
  private final SideNav spaces = new SideNav(getTranslation("core.nav.spaces"));
  private final Select<Locale> language = new Select<>();
  private final transient WikiStore store;
  private final NotificationBell bell;

  /** Builds the header and the drawer. */
  public MainLayout(WikiStore store) {
    this.store = store;
    setPrimarySection(Section.NAVBAR);

    // The home page's address; router-link makes it a navigation within the app, as RouterLink
    // does.
    Anchor title = new Anchor("", getTranslation("core.app.name"));
    title.getElement().setAttribute("router-link", true);
    title.addClassName("dure-app-name");
    title.setId("app-name");

    search.setId("header-search");
    search.setPlaceholder(getTranslation("core.header.search"));
    search.setAriaLabel(getTranslation("core.header.search"));
    search.setClearButtonVisible(true);
    search.setPrefixComponent(VaadinIcon.SEARCH.create());
    search.addClassName("dure-header-search");
    // Every keystroke is sent, so the value is current when Enter arrives.
    search.setValueChangeMode(ValueChangeMode.EAGER);
    Shortcuts.addShortcutListener(search, this::submitSearch, Key.ENTER).listenOn(search);

    language.setId("language-select");
    language.setAriaLabel(getTranslation("core.header.language"));
    language.setItems(DureI18N.LOCALES);
    // Each language in its own words, so that someone who cannot read the current one finds theirs.
    language.setItemLabelGenerator(l -> l.getDisplayLanguage(l));
    language.setValue(DureI18N.supported(getLocale()));
    language.addClassName("dure-language");
    language.setWidth("8em");
    language.addValueChangeListener(
        e -> {
          if (e.isFromClient() && e.getValue() != null) {
            UiLanguage.choose(UI.getCurrent(), e.getValue());
          }
        });

    Span spacer = new Span();
    bell = new NotificationBell(store);
    HorizontalLayout header =
        new HorizontalLayout(new DrawerToggle(), title, spacer, search, bell, language);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.setFlexGrow(1, spacer);
    header.setWidthFull();
    header.addClassName("dure-header");
    addToNavbar(header);

    nav.setId("side-nav");
    for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
      nav.addItem(menuItem(entry));
    }
    spaces.setId("space-nav");
    spaces.setCollapsible(true);
    addToDrawer(new Scroller(new Div(nav, spaces)));
  }

  /** A navigation item for a route with {@link Menu}: its title is a text key. */
  private SideNavItem menuItem(MenuEntry entry) {
    SideNavItem item = new SideNavItem(getTranslation(entry.title()), entry.path());
    if (entry.icon() != null && !entry.icon().isBlank()) {
      item.setPrefixComponent(new Icon(entry.icon()));
    }
    return item;
  }

  /** The header search field. */
  public TextField getSearchField() {
    return search;
  }

  /** The language selector in the header. */
  public Select<Locale> getLanguageSelect() {
    return language;
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
    UI.getCurrent().navigate(Links.SEARCH, Links.searchQuery(query));
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
    bell.refresh();
    // Keep the field in step with the page: show the query on the search page, clear it elsewhere.
    String path = event.getLocation().getPath();
    if (Links.SEARCH.equals(path)) {
      List<String> q =
          event
              .getLocation()
              .getQueryParameters()
              .getParameters()
              .getOrDefault(Links.SEARCH_QUERY, List.of());
      search.setValue(q.isEmpty() ? "" : q.get(0));
    } else {
      search.clear();
    }
  }
}
