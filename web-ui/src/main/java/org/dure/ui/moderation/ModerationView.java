package org.dure.ui.moderation;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.SpaceModerator;
import org.dure.store.WikiStore;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Formats;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;

/**
 * A space's moderation: report a page (any member; {@code ?report=PAGE}), the report queue with
 * resolve, hidden pages with unhide, the ban list with unban (owner and moderators act; members
 * see), reverting a member's edits since a time ({@link RevertEditsForm}, owner and moderators),
 * and the moderation log.
 */
@Route("space/:spaceId/moderation")
public class ModerationView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient SpaceModerator moderator;
  private final H1 heading = new H1();
  private final VerticalLayout reportForm = new VerticalLayout();
  private final TextField note = new TextField();
  private final Grid<ModerationRecords.Report> reports = new Grid<>();
  private final Grid<ModerationRecords.Hidden> hidden = new Grid<>();
  private final Grid<ModerationRecords.Ban> bans = new Grid<>();
  private final Grid<ModerationRecords.LogEntry> log = new Grid<>();
  private final RevertEditsForm revertForm;
  private String title = "Dure";
  private Optional<Space> space = Optional.empty();
  private Optional<PageSummary> reported = Optional.empty();
  private boolean canModerate;

  public ModerationView(WikiStore store) {
    this.store = store;
    this.moderator = new SpaceModerator(store);
    this.revertForm = new RevertEditsForm(store, moderator, this::show);
    setId("moderation-view");
    reportForm.setId("report-form");
    reportForm.setPadding(false);

    note.setId("moderation-note");
    note.setLabel(getTranslation("moderation.note"));
    note.setMaxLength(1000);
    note.setWidth("24em");

    reports.setId("report-queue");
    reports.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    reports
        .addComponentColumn(r -> pageLink(r.page()))
        .setHeader(getTranslation("moderation.page"));
    reports
        .addColumn(ModerationRecords.Report::reason)
        .setHeader(getTranslation("moderation.reason"));
    reports
        .addColumn(r -> shortPeer(r.reporter()))
        .setHeader(getTranslation("moderation.reporter"));
    reports.addColumn(r -> when(r.time())).setHeader(getTranslation("moderation.time"));
    reports.addComponentColumn(this::reportActions).setAutoWidth(true).setFlexGrow(0);
    reports.setAllRowsVisible(true);

    hidden.setId("hidden-pages");
    hidden.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    hidden.addComponentColumn(h -> pageLink(h.page())).setHeader(getTranslation("moderation.page"));
    hidden.addColumn(h -> shortPeer(h.by())).setHeader(getTranslation("moderation.by"));
    hidden
        .addColumn(ModerationRecords.Hidden::reason)
        .setHeader(getTranslation("moderation.reason"));
    hidden
        .addComponentColumn(
            h -> {
              Button unhide =
                  new Button(
                      getTranslation("moderation.unhide"),
                      e -> act(() -> moderator.unhide(h.page()), "moderation.unhidden"));
              unhide.setId("unhide-" + h.page().value());
              unhide.setVisible(canModerate);
              return unhide;
            })
        .setAutoWidth(true)
        .setFlexGrow(0);
    hidden.setAllRowsVisible(true);

    bans.setId("ban-list");
    bans.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    bans.addColumn(ModerationRecords.Ban::peer).setHeader(getTranslation("moderation.peer"));
    bans.addColumn(b -> shortPeer(b.by())).setHeader(getTranslation("moderation.by"));
    bans.addColumn(ModerationRecords.Ban::reason).setHeader(getTranslation("moderation.reason"));
    bans.addComponentColumn(
            b -> {
              Button unban =
                  new Button(
                      getTranslation("moderation.unban"),
                      e ->
                          act(
                              () -> moderator.unban(space.orElseThrow().id(), b.peer()),
                              "moderation.unbanned"));
              unban.setId("unban-" + b.peer());
              unban.setVisible(canModerate);
              return unban;
            })
        .setAutoWidth(true)
        .setFlexGrow(0);
    bans.setAllRowsVisible(true);

    log.setId("moderation-log");
    log.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    log.addColumn(e -> when(e.time())).setHeader(getTranslation("moderation.time"));
    log.addColumn(e -> shortPeer(e.who())).setHeader(getTranslation("moderation.who"));
    log.addColumn(e -> actionName(e.action())).setHeader(getTranslation("moderation.action"));
    log.addColumn(e -> target(e.target())).setHeader(getTranslation("moderation.target"));
    log.addColumn(ModerationRecords.LogEntry::reason)
        .setHeader(getTranslation("moderation.reason"));
    log.setAllRowsVisible(true);

    add(
        heading,
        reportForm,
        new H2(getTranslation("moderation.reports")),
        note,
        reports,
        new H2(getTranslation("moderation.hiddenPages")),
        hidden,
        new H2(getTranslation("moderation.bans")),
        bans,
        revertForm,
        new H2(getTranslation("moderation.log")),
        log);
  }

  private Component pageLink(PageId id) {
    try {
      return new Anchor(Links.pageHref(id), store.summary(id).title());
    } catch (NoSuchElementException e) {
      return new Span(getTranslation("moderation.pageMissing"));
    }
  }

  private String target(String t) {
    return Links.pageId(t)
        .flatMap(
            id -> {
              try {
                return Optional.of(store.summary(id).title());
              } catch (NoSuchElementException e) {
                return Optional.empty();
              }
            })
        .orElse(shortPeer(t));
  }

  private String actionName(String action) {
    return switch (action) {
      case SpaceModerator.ROLE,
          SpaceModerator.REMOVE,
          SpaceModerator.BAN,
          SpaceModerator.UNBAN,
          SpaceModerator.HIDE,
          SpaceModerator.UNHIDE,
          SpaceModerator.RESOLVE,
          SpaceModerator.REVERT ->
          getTranslation("moderation.action." + action);
      default -> action;
    };
  }

  private static String shortPeer(String peer) {
    return peer.length() > 16 ? "…" + peer.substring(peer.length() - 12) : peer;
  }

  private String when(Instant t) {
    return Formats.absolute(t, getLocale());
  }

  private Component reportActions(ModerationRecords.Report r) {
    HorizontalLayout row = new HorizontalLayout();
    if (!r.open()) {
      row.add(
          new Span(
              getTranslation(
                  "moderation.resolvedBy", shortPeer(r.resolvedBy().orElse("")), r.resolution())));
      return row;
    }
    if (!canModerate) {
      row.add(new Span(getTranslation("moderation.open")));
      return row;
    }
    Button resolve =
        new Button(
            getTranslation("moderation.resolve"),
            e ->
                act(
                    () -> moderator.resolve(space.orElseThrow().id(), r.id(), note.getValue()),
                    "moderation.resolved"));
    resolve.setId("resolve-" + r.id());
    Button hide =
        new Button(
            getTranslation("moderation.hide"),
            e ->
                act(
                    () -> {
                      moderator.hide(r.page(), r.reason());
                      moderator.resolve(
                          space.orElseThrow().id(), r.id(), getTranslation("moderation.hidden"));
                    },
                    "moderation.hidden"));
    hide.setId("hide-" + r.id());
    hide.addThemeVariants(ButtonVariant.LUMO_ERROR);
    row.add(resolve, hide);
    return row;
  }

  private void act(Runnable action, String successKey) {
    try {
      action.run();
      Notices.notifySuccess(getTranslation(successKey));
    } catch (NotAllowedException e) {
      Notices.notifyError(getTranslation("moderation.error.notAllowed"));
    } catch (IllegalArgumentException | NoSuchElementException e) {
      Notices.notifyError(getTranslation("moderation.error.refused", e.getMessage()));
    }
    show();
  }

  private void showReportForm() {
    reportForm.removeAll();
    if (reported.isEmpty()) {
      return;
    }
    PageSummary p = reported.get();
    TextField reason = new TextField(getTranslation("moderation.reason"));
    reason.setId("report-reason");
    reason.setMaxLength(1000);
    reason.setWidth("32em");
    Button send = new Button(getTranslation("moderation.report.send"));
    send.setId("report-send");
    send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    send.addClickListener(
        e -> {
          if (reason.getValue().isBlank()) {
            reason.setInvalid(true);
            reason.setErrorMessage(getTranslation("moderation.report.needReason"));
            return;
          }
          act(() -> moderator.report(p.id(), 0, reason.getValue()), "moderation.report.sent");
          reported = Optional.empty();
          showReportForm();
        });
    HorizontalLayout form = new HorizontalLayout(reason, send);
    form.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
    Button hideNow = new Button(getTranslation("moderation.hide"));
    hideNow.setId("hide-page");
    hideNow.addThemeVariants(ButtonVariant.LUMO_ERROR);
    hideNow.setVisible(canModerate);
    hideNow.addClickListener(
        e -> {
          act(() -> moderator.hide(p.id(), reason.getValue()), "moderation.hidden");
          reported = Optional.empty();
          showReportForm();
        });
    form.add(hideNow);
    reportForm.add(
        new H2(getTranslation("moderation.report.title", p.title())),
        new Paragraph(getTranslation("moderation.report.help")),
        form);
  }

  private void show() {
    if (space.isEmpty()) {
      return;
    }
    var id = space.get().id();
    canModerate = moderator.canModerate(id);
    note.setVisible(canModerate);
    reports.setItems(moderator.reports(id));
    hidden.setItems(List.copyOf(moderator.hidden(id).values()));
    bans.setItems(List.copyOf(moderator.banned(id).values()));
    log.setItems(moderator.log(id));
    revertForm.setVisible(canModerate);
    if (canModerate) {
      revertForm.show(id);
    }
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    if (space.isEmpty()) {
      removeAll();
      add(Notices.noSuchSpace(raw));
      return;
    }
    heading.setText(getTranslation("moderation.heading", space.get().name()));
    title = getTranslation("moderation.heading", space.get().name()) + " · Dure";
    reported =
        event
            .getLocation()
            .getQueryParameters()
            .getSingleParameter("report")
            .flatMap(Links::pageId)
            .flatMap(
                pid -> {
                  try {
                    PageSummary s = store.summary(pid);
                    return s.spaceId().equals(space.get().id()) ? Optional.of(s) : Optional.empty();
                  } catch (NoSuchElementException e) {
                    return Optional.empty();
                  }
                });
    show();
    showReportForm();
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
