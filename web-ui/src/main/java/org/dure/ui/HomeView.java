package org.dure.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** The start page. A placeholder until the wiki's own start page replaces it. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dure")
public class HomeView extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  /** Builds the page. */
  public HomeView() {
    setId("home-view");
    add(new H1("Dure"), new Paragraph("A local-first, peer-to-peer wiki."));
  }
}
