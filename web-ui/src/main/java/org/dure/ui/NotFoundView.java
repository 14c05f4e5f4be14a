package org.dure.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouterLink;
import jakarta.servlet.http.HttpServletResponse;

/** Shown, inside the normal frame, for an address that matches no page; answers HTTP 404. */
@ParentLayout(MainLayout.class)
@PageTitle("Not found · Dure")
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {
  private static final long serialVersionUID = 1L;

  private final Paragraph message = new Paragraph();

  /** Builds the page. */
  public NotFoundView() {
    setId("not-found-view");
    add(new H2("Page not found"), message, new RouterLink("Go to the start page", HomeView.class));
  }

  @Override
  public int setErrorParameter(
      BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
    message.setText("There is no page at /" + event.getLocation().getPath() + ".");
    return HttpServletResponse.SC_NOT_FOUND;
  }
}
