package org.dure.ui;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import org.dure.store.WikiStore;
import org.dure.ui.wiki.WikiUi;

/** The start page: opens the first space ("My wiki" on a new installation). */
@Route(value = "", layout = MainLayout.class)
public class HomeView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;

  /** Builds the page. */
  public HomeView(WikiStore store) {
    this.store = store;
    setId("home-view");
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    event.forwardTo(WikiUi.spaceHref(store.defaultSpace().id()));
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.app.name");
  }
}
