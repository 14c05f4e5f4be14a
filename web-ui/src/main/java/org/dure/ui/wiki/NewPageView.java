package org.dure.ui.wiki;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Links;

/** Creates a page: {@code new?space=ID&title=TITLE} (a link to a missing page leads here). */
@Route("new")
public class NewPageView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final TextField title = new TextField(getTranslation("core.new.title"));
  private final TextArea body = new TextArea(getTranslation("core.new.body"));
  private final Button create = new Button(getTranslation("core.new.create"));
  private SpaceId space;

  public NewPageView(WikiStore store) {
    this.store = store;
    setId("new-page-view");
    title.setId("new-title");
    title.setWidthFull();
    title.setMaxLength(200);
    title.setRequiredIndicatorVisible(true);
    body.setId("new-body");
    body.setWidthFull();
    body.setMinHeight("16em");
    create.setId("create-page");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    create.addClickListener(e -> create());
    add(new H2(getTranslation("core.new.heading")), title, body, create);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    var params = event.getLocation().getQueryParameters().getParameters();
    String t = params.getOrDefault("title", List.of("")).get(0);
    space =
        Links.spaceId(params.getOrDefault("space", List.of("")).get(0))
            .filter(this::exists)
            .orElseGet(() -> store.defaultSpace().id());
    title.setValue(t);
    if (t.isBlank()) {
      title.focus();
    } else {
      body.setValue("# " + t + "\n\n");
      body.focus();
    }
  }

  private boolean exists(SpaceId id) {
    try {
      store.space(id);
      return true;
    } catch (NoSuchElementException e) {
      return false;
    }
  }

  void create() {
    try {
      PageSummary p = store.createPage(space, title.getValue(), body.getValue(), Optional.empty());
      getUI().ifPresent(ui -> ui.navigate(Links.pageHref(p.id())));
    } catch (IllegalArgumentException e) {
      title.setInvalid(true);
      title.setErrorMessage(getTranslation("core.new.error", e.getMessage()));
    }
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.title.page", getTranslation("core.new.heading"));
  }
}
