package org.dure.ui.wiki;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Instant;
import java.util.Optional;
import org.dure.moderation.PageRules;
import org.dure.store.WikiStore;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.Trash;
import org.dure.ui.base.Formats;
import org.dure.ui.base.Links;
import org.dure.ui.base.LiveRefresh;
import org.dure.ui.base.Notices;
import org.dure.ui.i18n.Texts;
import org.dure.ui.social.AuthorBadge;

/**
 * A space's trash: its deleted pages with who deleted them, when, and when this computer removes
 * them for good; members who may (editors and above) restore them.
 */
@Route("space/:spaceId/trash")
public class TrashView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient PageRules rules;
  private final Grid<Trash.DeletedPage> grid = new Grid<>();
  private final Paragraph empty = new Paragraph();
  private String title = getTranslation("core.app.name");
  private Optional<Space> space = Optional.empty();

  public TrashView(WikiStore store) {
    this.store = store;
    this.rules = new PageRules(store);
    setId("trash-view");
    setSizeFull();
    grid.setId("trash-list");
    grid.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_ROW_STRIPES);
    grid.addComponentColumn(
            d -> {
              Anchor a = new Anchor(Links.pageHref(d.page().id()), d.page().title());
              a.addClassName("trash-page");
              return a;
            })
        .setHeader(getTranslation("pages.trash.column.page"))
        .setFlexGrow(3);
    grid.addComponentColumn(
            d -> d.by().<Component>map(by -> new AuthorBadge(store, by)).orElseGet(Span::new))
        .setHeader(getTranslation("pages.trash.column.by"))
        .setAutoWidth(true);
    grid.addColumn(d -> Formats.relative(d.time(), Instant.now(), UI.getCurrent().getLocale()))
        .setHeader(getTranslation("pages.trash.column.when"))
        .setAutoWidth(true);
    grid.addColumn(d -> Formats.absolute(d.purgeAt(), UI.getCurrent().getLocale()))
        .setHeader(getTranslation("pages.trash.column.purge"))
        .setAutoWidth(true);
    grid.addComponentColumn(this::restoreButton).setAutoWidth(true).setFlexGrow(0);
    empty.setId("trash-empty");
    empty.addClassName("dure-muted");
    LiveRefresh.onChange(
        this,
        store,
        doc -> space.map(sp -> sp.id().equals(doc.space())).orElse(false),
        this::refresh);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    removeAll();
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    if (space.isEmpty()) {
      add(Notices.noSuchSpace(raw));
      title = getTranslation("core.title.page", getTranslation("core.notfound.title"));
      return;
    }
    Space s = space.get();
    title = getTranslation("core.title.page", getTranslation("pages.trash.title", s.name()));
    Anchor back =
        new Anchor(Links.spaceHref(s.id()), "← " + getTranslation("pages.trash.back", s.name()));
    back.addClassName("dure-breadcrumb");
    Paragraph intro = new Paragraph(getTranslation("pages.trash.intro", s.name()));
    intro.addClassName("dure-muted");
    add(back, new H1(getTranslation("pages.trash.heading")), intro, empty, grid);
    expand(grid);
    refresh();
  }

  private void refresh() {
    space.ifPresent(
        s -> {
          var deleted = store.wiki().trash().list(s.id());
          grid.setItems(deleted);
          grid.setVisible(!deleted.isEmpty());
          empty.setText(deleted.isEmpty() ? getTranslation("pages.trash.empty") : "");
          empty.setVisible(deleted.isEmpty());
        });
  }

  private Component restoreButton(Trash.DeletedPage d) {
    Button restore = new Button(getTranslation("pages.restore"), VaadinIcon.ROTATE_LEFT.create());
    restore.addClassName("trash-restore");
    restore.setVisible(rules.canChangePages(d.page().spaceId()));
    restore.addClickListener(e -> restore(rules, d, this::refresh));
    return restore;
  }

  /** Restores {@code d} as this node's user, saying how it went; then runs {@code after}. */
  static void restore(PageRules rules, Trash.DeletedPage d, Runnable after) {
    try {
      rules.restore(d.page().id());
      Notices.notifySuccess(Texts.t("pages.restored", d.page().title()));
      after.run();
    } catch (RuntimeException ex) {
      Notices.notifyError(Texts.t("pages.error", ex.getMessage()));
    }
  }

  /**
   * What a deleted page's view shows above it: that it is in the trash, who deleted it and when,
   * until when it can be restored, with Restore for members who may.
   */
  static Component notice(WikiStore store, Trash.DeletedPage d) {
    Div box = new Div();
    box.setId("page-in-trash");
    box.addClassName("dure-problem");
    var locale = UI.getCurrent().getLocale();
    String who =
        d.by()
            .map(
                by ->
                    by.equals(store.identity().peerId())
                        ? Texts.t("social.badge.you")
                        : store
                            .profiles()
                            .profile(by)
                            .map(Profiles.Profile::displayName)
                            .orElse(Profiles.shortId(by)))
            .orElse("");
    box.add(
        new H2(Texts.t("pages.inTrash.title")),
        new Paragraph(
            Texts.t(
                "pages.inTrash.text",
                who,
                Formats.absolute(d.time(), locale),
                Formats.absolute(d.purgeAt(), locale))));
    PageRules rules = new PageRules(store);
    if (rules.canChangePages(d.page().spaceId())) {
      Button restore = new Button(Texts.t("pages.restore"), VaadinIcon.ROTATE_LEFT.create());
      restore.setId("restore-page");
      restore.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
      restore.addClickListener(
          e -> restore(rules, d, () -> UI.getCurrent().navigate(Links.pageHref(d.page().id()))));
      box.add(restore);
    }
    box.add(
        new Paragraph(
            new Anchor(
                Links.spaceHref(d.page().spaceId()) + "/trash", Texts.t("pages.trash.button"))));
    return box;
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
