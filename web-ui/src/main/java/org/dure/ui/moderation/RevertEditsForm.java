package org.dure.ui.moderation;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.Command;
import com.vaadin.flow.server.VaadinSession;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.SpaceModerator;
import org.dure.store.WikiStore;
import org.dure.store.doc.StoreException;
import org.dure.store.moderation.EditReverts;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.i18n.Dates;

/**
 * "Revert every edit by a member since a time" on the moderation page (owner and moderators): pick
 * the member (or a banned peer) and the time, then the report says which pages changed, which still
 * have some of the edits (someone edited the same lines later) and which pages they created since,
 * now hidden. A space with many pages is reverted in the background with a progress bar.
 */
class RevertEditsForm extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  /** Spaces with at least this many pages are reverted in the background, with progress. */
  static final int BACKGROUND_FROM_PAGES = 30;

  private final transient WikiStore store;
  private final transient SpaceModerator moderator;
  private final transient Runnable afterwards;
  private final Select<String> peer = new Select<>();
  private final DateTimePicker since = new DateTimePicker();
  private final TextField reason = new TextField();
  private final Button run = new Button();
  private final ProgressBar progress = new ProgressBar();
  private final Div report = new Div();
  private SpaceId space;

  RevertEditsForm(WikiStore store, SpaceModerator moderator, Runnable afterwards) {
    this.store = store;
    this.moderator = moderator;
    this.afterwards = afterwards;
    setId("revert-form");
    setPadding(false);
    peer.setId("revert-peer");
    peer.setLabel(getTranslation("moderation.revert.peer"));
    peer.setItemLabelGenerator(p -> peerLabel(PeerId.parseBase58(p))); // items: peer IDs as text
    peer.setEmptySelectionAllowed(false);
    peer.setWidth("24em");
    since.setId("revert-since");
    since.setLabel(getTranslation("moderation.revert.since"));
    since.setStep(Duration.ofMinutes(1));
    reason.setId("revert-reason");
    reason.setLabel(getTranslation("moderation.reason"));
    reason.setMaxLength(500);
    reason.setWidth("20em");
    run.setId("revert-run");
    run.setText(getTranslation("moderation.revert.run"));
    run.addThemeVariants(ButtonVariant.LUMO_ERROR);
    run.addClickListener(e -> start());
    progress.setId("revert-progress");
    progress.setVisible(false);
    progress.setWidth("24em");
    report.setId("revert-report");
    HorizontalLayout form = new HorizontalLayout(peer, since, reason, run);
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    add(
        new H2(getTranslation("moderation.revert.title")),
        new Paragraph(getTranslation("moderation.revert.help")),
        form,
        progress,
        report);
  }

  /** Shows the form for {@code space}: its members and banned peers, apart from this user. */
  void show(SpaceId space) {
    this.space = space;
    Set<String> peers = new LinkedHashSet<>();
    String me = store.identity().peerId().toString();
    try {
      moderator.membership(space).members().keySet().forEach(p -> peers.add(p.toString()));
    } catch (NoSuchElementException e) {
      // the member list has not arrived yet: only banned peers can be chosen
    }
    moderator.banned(space).keySet().forEach(p -> peers.add(p.toString()));
    peers.remove(me);
    String chosen = peer.getValue();
    List<String> items = new ArrayList<>(peers);
    peer.setItems(items);
    if (chosen != null && peers.contains(chosen)) {
      peer.setValue(chosen);
    }
    if (since.getValue() == null) {
      since.setValue(
          LocalDateTime.ofInstant(Instant.now(), Dates.zone())
              .minusDays(1)
              .truncatedTo(ChronoUnit.MINUTES));
    }
  }

  private String peerLabel(PeerId peer) {
    String name = store.profiles().displayName(peer);
    String p = peer.toString();
    return name.startsWith("…") ? p : name + " (" + p.substring(Math.max(0, p.length() - 8)) + ")";
  }

  private void start() {
    report.removeAll();
    peer.setInvalid(false);
    since.setInvalid(false);
    if (peer.getValue() == null) {
      peer.setErrorMessage(getTranslation("moderation.revert.needPeer"));
      peer.setInvalid(true);
      return;
    }
    if (since.getValue() == null) {
      since.setErrorMessage(getTranslation("moderation.revert.needSince"));
      since.setInvalid(true);
      return;
    }
    String who = peer.getValue();
    Instant from = since.getValue().atZone(Dates.zone()).toInstant();
    String why = reason.getValue();
    SpaceId where = space;
    UI ui = UI.getCurrent();
    if (store.pageCount(where) < BACKGROUND_FROM_PAGES) {
      revert(ui, where, who, from, why, EditReverts.Progress.NONE);
      return;
    }
    run.setEnabled(false);
    progress.setValue(0);
    progress.setVisible(true);
    Thread.ofVirtual()
        .name("dure-revert")
        .start(
            () ->
                revert(
                    ui,
                    where,
                    who,
                    from,
                    why,
                    (done, total) ->
                        onUi(ui, () -> progress.setValue(total == 0 ? 1 : (double) done / total))));
  }

  private void revert(
      UI ui, SpaceId where, String who, Instant from, String why, EditReverts.Progress p) {
    try {
      EditReverts.Report r =
          moderator.revertEditsBy(where, EditReverts.peerIdOf(who), from, why, p);
      onUi(ui, () -> done(r, null));
    } catch (NotAllowedException e) {
      onUi(ui, () -> done(null, getTranslation("moderation.error.notAllowed")));
    } catch (IllegalArgumentException | NoSuchElementException | StoreException e) {
      onUi(ui, () -> done(null, getTranslation("moderation.revert.failed", e.getMessage())));
    }
  }

  /** Runs {@code c} with the UI locked: at once if this thread holds the lock. */
  private static void onUi(UI ui, Command c) {
    VaadinSession s = ui.getSession();
    if (s != null && s.hasLock()) {
      c.execute();
    } else {
      ui.access(c);
    }
  }

  private void done(EditReverts.Report r, String error) {
    run.setEnabled(true);
    progress.setVisible(false);
    report.removeAll();
    if (r == null) {
      Notices.notifyError(error);
      Paragraph p = new Paragraph(error);
      p.setId("revert-error");
      report.add(p);
      return;
    }
    String name = peerLabel(r.author());
    String when = Dates.dateTime(r.since(), getLocale());
    Paragraph summary =
        new Paragraph(
            r.nothingToDo()
                ? getTranslation("moderation.revert.nothing", name, when)
                : getTranslation(
                    "moderation.revert.done",
                    name,
                    when,
                    r.changed().size(),
                    r.partly().size(),
                    r.created().size()));
    summary.setId("revert-summary");
    report.add(summary);
    section(
        "revert-changed",
        "moderation.revert.changed",
        r.changed().stream().map(o -> link(o.page(), o.title())).toList());
    section(
        "revert-partly",
        "moderation.revert.partly",
        r.partly().stream()
            .map(
                o -> {
                  ListItem li = link(o.page(), o.title());
                  li.add(" " + getTranslation("moderation.revert.left", o.skipped() + o.mixed()));
                  return li;
                })
            .toList());
    section(
        "revert-created",
        "moderation.revert.created",
        r.created().stream().map((PageSummary s) -> link(s.id(), s.title())).toList());
    Notices.notifySuccess(getTranslation("moderation.revert.notified"));
    afterwards.run();
  }

  private ListItem link(PageId id, String title) {
    return new ListItem(new Anchor(Links.pageHref(id), title));
  }

  private void section(String id, String key, List<ListItem> items) {
    if (items.isEmpty()) {
      return;
    }
    UnorderedList list = new UnorderedList(items.toArray(ListItem[]::new));
    list.setId(id);
    report.add(new Paragraph(getTranslation(key)), list);
  }
}
