package org.dure.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouterLink;
import jakarta.servlet.http.HttpServletResponse;

/** Shown, inside the normal frame, for an address that matches no page; answers HTTP 404. */
@ParentLayout(MainLayout.class)
public class NotFoundView extends VerticalLayout
    implements HasErrorParameter<NotFoundException>, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final Paragraph message = new Paragraph();

  /** Builds the page. */
  public NotFoundView() {
    setId("not-found-view");
    add(
        new H2(getTranslation("core.notfound.heading")),
        message,
        new RouterLink(getTranslation("core.notfound.home"), HomeView.class));
  }

  @Override
  public int setErrorParameter(
      BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
    message.setText(getTranslation("core.notfound.message", "/" + event.getLocation().getPath()));
    return HttpServletResponse.SC_NOT_FOUND;
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.title.page", getTranslation("core.notfound.title"));
  }
}
