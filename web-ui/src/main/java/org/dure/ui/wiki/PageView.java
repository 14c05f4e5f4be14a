package org.dure.ui.wiki;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Aside;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import java.util.List;
import java.util.NoSuchElementException;
import org.dure.node.Attachments;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.ui.attach.PageAttachments;
import org.dure.ui.base.Links;
import org.dure.ui.base.LiveRefresh;
import org.dure.ui.base.Notices;
import org.dure.ui.render.MarkdownRenderer;
import org.dure.ui.social.CommentsPanel;

/** A page, rendered, with its backlinks. */
@Route("page/:pageId")
public class PageView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient MarkdownRenderer renderer;
  private final transient Attachments attachments;
  private String raw = "";
  private String title = getTranslation("core.app.name");
  private CommentsPanel comments;

  public PageView(WikiStore store, MarkdownRenderer renderer, Attachments attachments) {
    this.store = store;
    this.renderer = renderer;
    this.attachments = attachments;
    setId("page-view");
    addClassName("dure-page");
    // A change of this page (another tab, or a friend's edit arriving by sync) shows at once.
    LiveRefresh.onChange(this, store, doc -> doc.id().equals(raw), this::render);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    raw = event.getRouteParameters().get("pageId").orElse("");
    render();
  }

  private void render() {
    removeAll();
    var id = Links.pageId(raw);
    PageSummary summary;
    try {
      summary = store.summary(id.orElseThrow());
    } catch (NoSuchElementException e) {
      title = getTranslation("core.title.page", getTranslation("core.notfound.title"));
      add(
          Notices.problem(
              getTranslation("core.page.missing.title"),
              getTranslation("core.page.missing.text", raw),
              getTranslation("core.page.missing.search")));
      return;
    }
    title = getTranslation("core.title.page", summary.title());
    Space space = store.space(summary.spaceId());
    Page page;
    try {
      page = store.page(summary.id());
    } catch (DamagedDocumentException e) {
      add(breadcrumb(space), new H1(summary.title()));
      add(Notices.damaged());
      return;
    }
    var deleted = store.wiki().trash().of(summary.id());
    if (deleted.isPresent()) {
      H1 heading = new H1(page.title());
      heading.setId("page-title");
      Div body = new Div(new Html(renderPage(store, renderer, page, false)));
      body.setId("page-body");
      body.addClassName("dure-page-body");
      add(breadcrumb(space), heading, TrashView.notice(store, deleted.get()), body);
      return;
    }

    H1 heading = new H1(page.title());
    heading.setId("page-title");
    Button edit = new Button(getTranslation("core.page.edit"), VaadinIcon.EDIT.create());
    edit.setId("edit-page");
    edit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    edit.addClickListener(e -> getUI().ifPresent(ui -> ui.navigate(Links.editHref(page.id()))));
    Button history = new Button(getTranslation("core.page.history"), VaadinIcon.CLOCK.create());
    history.setId("page-history");
    history.addClickListener(
        e -> getUI().ifPresent(ui -> ui.navigate(Links.historyHref(page.id()))));
    Button report = new Button(getTranslation("moderation.reportPage"), VaadinIcon.FLAG.create());
    report.setId("report-page");
    report.addClickListener(
        e ->
            getUI()
                .ifPresent(
                    ui ->
                        ui.navigate(
                            "space/" + page.spaceId().value() + "/moderation",
                            QueryParameters.of("report", page.id().value()))));
    HorizontalLayout top =
        new HorizontalLayout(
            heading, edit, history, new PageActions(store, summary, this::render), report);
    top.setWidthFull();
    top.expand(heading);
    top.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);

    boolean tickable = TaskTicks.mayTick(store, page.spaceId());
    Div body = new Div(new Html(renderPage(store, renderer, page, tickable)));
    body.setId("page-body");
    body.addClassName("dure-page-body");
    if (tickable) {
      TaskTicks.listen(body, store, page, this::render);
    }

    HorizontalLayout main = new HorizontalLayout(body, backlinks(page));
    main.setWidthFull();
    main.expand(body);
    main.addClassName("dure-page-main");
    add(breadcrumb(space), top, new PageAttachments(attachments, page, this::render), main);
    add(comments = CommentsPanel.reuse(comments, store, renderer, page.id()));
  }

  /**
   * Renders a page's Markdown with its wiki links pointed at pages of the same space (a first
   * heading repeating the title left out; tasks' checkboxes enabled if {@code tickable}).
   */
  static String renderPage(
      WikiStore store, MarkdownRenderer renderer, Page page, boolean tickable) {
    return renderer.renderPage(
        page.body(),
        page.title(),
        tickable,
        t -> store.findPage(page.spaceId(), t).map(p -> Links.pageHref(p.id())),
        t -> Links.newPageHref(page.spaceId(), t));
  }

  private static RouterLink breadcrumb(Space space) {
    RouterLink link = new RouterLink();
    link.setText("← " + space.name());
    link.setRoute(SpaceView.class, new RouteParameters("spaceId", space.id().value()));
    link.addClassName("dure-breadcrumb");
    return link;
  }

  private Aside backlinks(Page page) {
    Aside aside = new Aside();
    aside.setId("backlinks");
    aside.addClassName("dure-backlinks");
    aside.add(new H3(getTranslation("core.page.backlinks")));
    List<PageSummary> from = store.backlinks(page.id());
    if (from.isEmpty()) {
      Paragraph none =
          new Paragraph(getTranslation("core.page.backlinks.none", "[[" + page.title() + "]]"));
      none.addClassName("dure-muted");
      aside.add(none);
    }
    for (PageSummary p : from) {
      Div row = new Div(new Anchor(Links.pageHref(p.id()), p.title()));
      aside.add(row);
    }
    Span version = new Span(getTranslation("core.page.version", page.version()));
    version.addClassName("dure-muted");
    aside.add(new Div(version));
    return aside;
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
