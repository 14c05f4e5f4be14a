package org.dure.ui.wiki;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageEvent;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.TextDiff;
import org.dure.store.wiki.Version;
import org.dure.ui.base.Formats;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.i18n.Texts;
import org.dure.ui.render.MarkdownRenderer;
import org.dure.ui.social.AuthorBadge;

/**
 * A page's versions (author, time, message; renames, deletes and restores named). Selecting one
 * shows its changes against the previous version, in colour, and the page as it was; it can be
 * restored as a new version.
 */
@Route("page/:pageId/history")
public class HistoryView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  /** Unchanged lines shown around each change. */
  static final int CONTEXT = 3;

  private final transient WikiStore store;
  private final transient MarkdownRenderer renderer;
  private final Grid<Version> grid = new Grid<>();
  private final Div detail = new Div();
  private PageSummary page;
  private long latest;
  // What the versions listed so far did beside the text: version → its description.
  private final java.util.Map<Long, String> events = new java.util.HashMap<>();
  private String title = getTranslation("core.title.page", getTranslation("core.history.title"));

  public HistoryView(WikiStore store, MarkdownRenderer renderer) {
    this.store = store;
    this.renderer = renderer;
    setId("history-view");
    setSizeFull();
    grid.setId("versions");
    grid.addColumn(v -> "#" + v.number())
        .setHeader(getTranslation("core.history.column.version"))
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(v -> Formats.relative(v.time(), Instant.now(), UI.getCurrent().getLocale()))
        .setHeader(getTranslation("core.history.column.when"))
        .setAutoWidth(true);
    grid.addComponentColumn(
            v ->
                v.author()
                    .<Component>map(
                        a -> {
                          var badge = new AuthorBadge(store, a.peerId());
                          // Others' proven edits get the mark; one's own need none.
                          boolean mine = a.equals(Author.of(store.identity()));
                          return v.verified() && !mine ? badge.verified() : badge;
                        })
                    .orElseGet(
                        () ->
                            new Span(Formats.authorName(v.author(), Author.of(store.identity())))))
        .setHeader(getTranslation("core.history.column.author"))
        .setAutoWidth(true);
    grid.addColumn(this::describe)
        .setHeader(getTranslation("core.history.column.message"))
        .setFlexGrow(1);
    grid.setHeight("16em");
    grid.asSingleSelect().addValueChangeListener(e -> show(e.getValue()));
    detail.setId("version-detail");
    detail.setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    removeAll();
    String raw = event.getRouteParameters().get("pageId").orElse("");
    try {
      page = store.summary(Links.pageId(raw).orElseThrow());
    } catch (NoSuchElementException e) {
      add(
          Notices.problem(
              getTranslation("core.page.missing.title"),
              getTranslation("core.history.missing", raw),
              getTranslation("core.page.missing.todo")));
      return;
    }
    title =
        getTranslation("core.title.page", getTranslation("core.history.title.of", page.title()));
    H2 heading = new H2(getTranslation("core.history.heading", page.title()));
    Anchor back = new Anchor(Links.pageHref(page.id()), getTranslation("core.history.back"));
    back.setId("back-to-page");
    add(back, heading, grid, detail);
    refresh();
    List<String> v =
        event.getLocation().getQueryParameters().getParameters().getOrDefault("v", List.of());
    if (!v.isEmpty()) {
      try {
        long n = Long.parseLong(v.get(0));
        store.history(page.id(), (int) Math.max(0, latest - n), 1).stream()
            .findFirst()
            .ifPresent(grid::select);
      } catch (NumberFormatException ignored) {
        // an unknown version in the URL: show the list
      }
    }
  }

  private void refresh() {
    List<Version> newest = store.history(page.id(), 0, 1);
    latest = newest.isEmpty() ? 0 : newest.get(0).number();
    grid.setItems(
        q -> {
          List<Version> versions = store.history(page.id(), q.getOffset(), q.getLimit());
          try {
            for (PageEvent e : store.wiki().history().events(page.id(), versions)) {
              events.merge(e.version(), eventText(e), (a, b) -> a + "; " + b);
            }
          } catch (DamagedDocumentException e) {
            // the versions are still listed, without what they did beside the text
          }
          return versions.stream();
        });
    detail.removeAll();
  }

  /**
   * A version's message, after what it did to the page beside its text (renamed, deleted,
   * restored), read from the page itself so a friend's show too.
   */
  private String describe(Version v) {
    String event = events.get(v.number());
    String message = v.message().orElse("");
    if (event == null) {
      return message;
    }
    return message.isEmpty() || message.equals(event) ? event : event + " · " + message;
  }

  private String eventText(PageEvent e) {
    return switch (e.type()) {
      case RENAMED -> getTranslation("pages.history.renamed", e.from(), e.to());
      case DELETED -> getTranslation("pages.history.deleted");
      case RESTORED -> getTranslation("pages.history.restored");
    };
  }

  private void show(Version v) {
    detail.removeAll();
    if (v == null) {
      return;
    }
    PageId id = page.id();
    Page at;
    TextDiff diff;
    try {
      at = store.pageAt(id, v.number());
      String before = v.number() > 1 ? store.pageAt(id, v.number() - 1).body() : "";
      diff = TextDiff.between(before, at.body());
    } catch (DamagedDocumentException e) {
      detail.add(Notices.damaged());
      return;
    }
    H3 head =
        new H3(
            getTranslation(
                "core.history.version.heading",
                v.number(),
                Formats.absolute(v.time(), UI.getCurrent().getLocale()),
                Formats.authorName(v.author(), Author.of(store.identity()))));
    Button revert =
        new Button(getTranslation("core.history.restore"), VaadinIcon.ROTATE_LEFT.create());
    revert.setId("revert");
    revert.addThemeVariants(ButtonVariant.LUMO_ERROR);
    revert.setEnabled(v.number() != latest);
    revert.addClickListener(e -> confirmRevert(v));
    TabSheet tabs = new TabSheet();
    tabs.setWidthFull();
    tabs.add(getTranslation("core.history.changes", diff.added(), diff.removed()), diffView(diff));
    Div rendered =
        new Div(
            new Html(
                renderer.render(
                    at.body(),
                    t -> store.findPage(at.spaceId(), t).map(p -> Links.pageHref(p.id())),
                    t -> Links.newPageHref(at.spaceId(), t))));
    rendered.addClassName("dure-page-body");
    tabs.add(getTranslation("core.history.page.at"), rendered);
    detail.add(new HorizontalLayout(head, revert), tabs);
  }

  private void confirmRevert(Version v) {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setHeader(getTranslation("core.history.restore.header", v.number()));
    dialog.setText(getTranslation("core.history.restore.text", v.number()));
    dialog.setCancelable(true);
    dialog.setCancelText(getTranslation("core.dialog.cancel"));
    dialog.setConfirmText(getTranslation("core.history.restore.confirm"));
    dialog.addConfirmListener(
        e -> {
          try {
            long n = store.revert(page.id(), v.number());
            Notices.notifySuccess(getTranslation("core.history.restored", v.number(), n));
            refresh();
          } catch (RuntimeException ex) {
            Notices.notifyError(getTranslation("core.history.restore.error", ex.getMessage()));
          }
        });
    dialog.open();
  }

  /** The diff as coloured lines; long unchanged stretches are folded. */
  static Div diffView(TextDiff diff) {
    Div out = new Div();
    out.setId("diff");
    out.addClassName("dure-diff");
    List<TextDiff.Line> lines = diff.lines();
    boolean[] show = new boolean[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).kind() != TextDiff.Kind.SAME) {
        for (int j = Math.max(0, i - CONTEXT); j <= Math.min(lines.size() - 1, i + CONTEXT); j++) {
          show[j] = true;
        }
      }
    }
    if (diff.added() == 0 && diff.removed() == 0) {
      Span none = new Span(Texts.t("core.history.diff.none"));
      none.addClassName("dure-muted");
      out.add(none);
      return out;
    }
    int hidden = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!show[i]) {
        hidden++;
        continue;
      }
      if (hidden > 0) {
        out.add(fold(hidden));
        hidden = 0;
      }
      out.add(line(lines.get(i)));
    }
    if (hidden > 0) {
      out.add(fold(hidden));
    }
    return out;
  }

  private static Div fold(int n) {
    Div d = new Div(new Span(Texts.t("core.history.diff.fold", n)));
    d.addClassName("diff-fold");
    return d;
  }

  private static Div line(TextDiff.Line l) {
    Div d = new Div();
    d.addClassName("diff-line");
    String cls =
        switch (l.kind()) {
          case ADDED -> "diff-added";
          case REMOVED -> "diff-removed";
          case SAME -> "diff-same";
        };
    d.addClassName(cls);
    Span sign =
        new Span(
            l.kind() == TextDiff.Kind.ADDED ? "+" : l.kind() == TextDiff.Kind.REMOVED ? "−" : " ");
    sign.addClassName("diff-sign");
    d.add(sign);
    for (TextDiff.Segment s : l.segments()) {
      Span part = new Span(s.text());
      if (s.changed() && l.kind() != TextDiff.Kind.SAME) {
        part.addClassName("diff-word");
      }
      d.add(part);
    }
    return d;
  }

  /** The selected version's detail (for tests). */
  Optional<Version> selected() {
    return grid.asSingleSelect().getOptionalValue();
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
