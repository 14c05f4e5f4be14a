package org.dure.ui.wiki;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Instant;
import java.util.Optional;
import org.dure.node.Attachments;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.ui.attach.KeepOffline;
import org.dure.ui.base.Formats;
import org.dure.ui.base.Links;
import org.dure.ui.base.LiveRefresh;
import org.dure.ui.base.Notices;

/** A space's pages, most recently changed first, and a button to create one. */
@Route("space/:spaceId")
public class SpaceView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final H1 heading = new H1();
  private final Span count = new Span();
  private final Grid<PageSummary> grid = new Grid<>();
  private String title = getTranslation("core.app.name");
  private Optional<Space> space = Optional.empty();
  private final transient Attachments attachments;
  private final Div offline = new Div();

  public SpaceView(WikiStore store, Attachments attachments) {
    this.store = store;
    this.attachments = attachments;
    setId("space-view");
    setSizeFull();
    Button create = new Button(getTranslation("core.space.new"), VaadinIcon.PLUS.create());
    create.setId("new-page");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    create.addClickListener(
        e -> space.ifPresent(s -> UI.getCurrent().navigate("new", Links.newPageQuery(s.id(), ""))));
    count.addClassName("dure-muted");
    Button share = new Button(getTranslation("core.space.share"), VaadinIcon.USERS.create());
    share.setId("share-space");
    share.addClickListener(
        e -> space.ifPresent(s -> UI.getCurrent().navigate("space/" + s.id().value() + "/share")));
    Button members = new Button(getTranslation("moderation.members.button"));
    members.setId("space-members");
    members.addClickListener(
        e ->
            space.ifPresent(s -> UI.getCurrent().navigate("space/" + s.id().value() + "/members")));
    Button files = new Button(getTranslation("vault.button"), VaadinIcon.DOWNLOAD.create());
    files.setId("space-files");
    files.addClickListener(
        e -> space.ifPresent(s -> UI.getCurrent().navigate("space/" + s.id().value() + "/files")));
    Button trash = new Button(getTranslation("pages.trash.button"), VaadinIcon.TRASH.create());
    trash.setId("space-trash");
    trash.addClickListener(
        e -> space.ifPresent(s -> UI.getCurrent().navigate(Links.spaceHref(s.id()) + "/trash")));
    HorizontalLayout top =
        new HorizontalLayout(heading, count, offline, members, files, trash, share, create);
    top.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    top.setWidthFull();
    top.expand(count);

    grid.setId("page-list");
    grid.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_ROW_STRIPES);
    grid.addComponentColumn(
            p -> {
              Anchor a = new Anchor(Links.pageHref(p.id()), p.title());
              a.addClassName("page-link");
              if (p.damaged().isPresent()) {
                Span badge = new Span(getTranslation("core.space.damaged"));
                badge.getElement().getThemeList().add("badge error");
                return new HorizontalLayout(a, badge);
              }
              return a;
            })
        .setHeader(getTranslation("core.space.column.page"))
        .setFlexGrow(3);
    grid.addColumn(p -> Formats.relative(p.updated(), Instant.now(), UI.getCurrent().getLocale()))
        .setHeader(getTranslation("core.space.column.changed"))
        .setFlexGrow(1);
    add(top, grid);
    expand(grid);
    // Pages arriving from friends or changing elsewhere update the list at once.
    LiveRefresh.onChange(
        this,
        store,
        doc -> space.map(sp -> sp.id().equals(doc.space())).orElse(false),
        () ->
            space.ifPresent(
                sp -> {
                  showCount(sp);
                  grid.getDataProvider().refreshAll();
                }));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    if (space.isEmpty()) {
      removeAll();
      add(Notices.noSuchSpace(raw));
      title = getTranslation("core.title.page", getTranslation("core.notfound.title"));
      return;
    }
    Space s = space.get();
    heading.setText(s.name());
    title = getTranslation("core.title.page", s.name());
    showCount(s);
    offline.removeAll();
    offline.add(new KeepOffline(attachments, s.id()));
    grid.setItems(q -> store.pages(s.id(), q.getOffset(), q.getLimit()).stream());
  }

  private void showCount(Space s) {
    int n = store.pageCount(s.id());
    count.setText(getTranslation("core.space.count", n));
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
