package org.dure.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import java.util.List;
import java.util.Locale;
import org.dure.ui.i18n.DureI18N;
import org.junit.jupiter.api.Test;

/**
 * The drawer's navigation is made from the routes' {@code @Menu} annotations, in their order, with
 * the titles translated (the layout names no view).
 */
class MainLayoutTest extends ViewTestSupport {
  private static final List<String> KEYS =
      List.of(
          "core.nav.home",
          "core.nav.network",
          "social.nav.profile",
          "feed.friends.title",
          "moderation.usage.nav",
          "moderation.settings.nav");

  private List<SideNavItem> items() {
    return $(SideNav.class).id("side-nav").getItems();
  }

  @Test
  void theNavigationListsTheMenuRoutesInOrder() {
    navigate("", HomeView.class);
    assertEquals(
        List.of("Home", "Network", "Profile", "Friends", "For others", "Settings"),
        items().stream().map(SideNavItem::getLabel).toList());
    assertEquals(
        List.of("", "network", "profile", "friends", "usage", "settings"),
        items().stream().map(SideNavItem::getPath).toList());
  }

  @Test
  void theNavigationSpeaksTheUsersLanguage() {
    navigate("", HomeView.class);
    useLanguage(Locale.KOREAN);
    List<String> korean = KEYS.stream().map(k -> DureI18N.texts(Locale.KOREAN).get(k)).toList();
    assertEquals(korean, items().stream().map(SideNavItem::getLabel).toList());
    assertEquals("홈", items().get(0).getLabel());
  }
}
