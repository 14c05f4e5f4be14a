package org.dure.ui.limits;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dure.moderation.LimitEvent;
import org.dure.moderation.Resources;
import org.dure.moderation.UsageLedger;
import org.dure.node.PeerNode;

/**
 * What my computer does for others: per peer, bytes in and out (totals from the ledger, which
 * survives restarts, and the rate over the last refresh), connections; the storage held for others
 * and the open connections; peers that were slowed down or refused. Refreshed every 2 seconds; a
 * peer slowed down or refused also shows a notification at once (server push).
 */
@Route(UsageView.ROUTE)
@Menu(title = "moderation.usage.nav", order = 4, icon = "vaadin:chart")
public class UsageView extends VerticalLayout implements HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "usage";

  /** A ledger row with the rates since the last refresh. */
  record Row(UsageLedger.PeerUsage usage, long inPerSecond, long outPerSecond) {}

  private final transient Resources resources;
  private final Paragraph storage = new Paragraph();
  private final Paragraph connections = new Paragraph();
  private final Paragraph upload = new Paragraph();
  private final Grid<Row> peers = new Grid<>();
  private final Grid<LimitEvent> events = new Grid<>();
  private final Paragraph noEvents = new Paragraph();
  private transient Map<String, UsageLedger.PeerUsage> previous = new HashMap<>();
  private long previousAt;
  private Registration poll;
  private transient AutoCloseable eventListener;

  public UsageView(PeerNode node) {
    this(node.resources());
  }

  UsageView(Resources resources) {
    this.resources = resources;
    setId("usage-view");
    storage.setId("usage-storage");
    connections.setId("usage-connections");
    upload.setId("usage-upload");
    peers.setId("usage-peers");
    peers.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    peers
        .addColumn(r -> r.usage().peer())
        .setHeader(getTranslation("moderation.usage.peer"))
        .setFlexGrow(3);
    peers
        .addColumn(r -> bytes(r.usage().bytesIn()))
        .setHeader(getTranslation("moderation.usage.in"));
    peers
        .addColumn(r -> bytes(r.usage().bytesOut()))
        .setHeader(getTranslation("moderation.usage.out"));
    peers
        .addColumn(r -> bytes(r.inPerSecond()) + "/s")
        .setHeader(getTranslation("moderation.usage.inRate"));
    peers
        .addColumn(r -> bytes(r.outPerSecond()) + "/s")
        .setHeader(getTranslation("moderation.usage.outRate"));
    peers
        .addColumn(r -> r.usage().openConnections() + " / " + r.usage().connections())
        .setHeader(getTranslation("moderation.usage.connections"));
    peers.setAllRowsVisible(true);

    events.setId("usage-events");
    events.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    events
        .addColumn(
            e ->
                DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT, FormatStyle.MEDIUM)
                    .withLocale(getLocale())
                    .format(e.time().atZone(ZoneId.systemDefault())))
        .setHeader(getTranslation("moderation.usage.when"));
    events
        .addColumn(this::describe)
        .setHeader(getTranslation("moderation.usage.what"))
        .setFlexGrow(4);
    events.setAllRowsVisible(true);
    noEvents.setText(getTranslation("moderation.usage.noEvents"));

    add(
        new H1(getTranslation("moderation.usage.title")),
        new Paragraph(getTranslation("moderation.usage.intro")),
        storage,
        connections,
        upload,
        new H2(getTranslation("moderation.usage.peers")),
        peers,
        new H2(getTranslation("moderation.usage.events")),
        noEvents,
        events);
    refresh();
  }

  /** A sentence for the event, e.g. "Peer … was slowed down: more than 600 changes a minute". */
  String describe(LimitEvent e) {
    return getTranslation(
        "moderation.limits." + (e.refused() ? "refused" : "slowed") + "." + e.limit(),
        e.peer(),
        e.value());
  }

  void refresh() {
    Resources.Usage u = resources.usage();
    storage.setText(
        u.storageCapBytes() == 0
            ? getTranslation("moderation.usage.storageNoCap", bytes(u.storageForOthersBytes()))
            : getTranslation(
                "moderation.usage.storage",
                bytes(u.storageForOthersBytes()),
                bytes(u.storageCapBytes())));
    connections.setText(getTranslation("moderation.usage.open", u.openConnections()));
    upload.setText(
        u.uploadBytesPerSecondCap() == 0
            ? getTranslation("moderation.usage.uploadNoCap")
            : getTranslation("moderation.usage.upload", bytes(u.uploadBytesPerSecondCap())));
    long now = System.nanoTime();
    double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1e9;
    Map<String, UsageLedger.PeerUsage> current = new HashMap<>();
    List<Row> rows =
        u.peers().stream()
            .map(
                p -> {
                  current.put(p.peer(), p);
                  UsageLedger.PeerUsage before = previous.get(p.peer());
                  if (before == null || seconds <= 0) {
                    return new Row(p, 0, 0);
                  }
                  return new Row(
                      p,
                      Math.max(0, Math.round((p.bytesIn() - before.bytesIn()) / seconds)),
                      Math.max(0, Math.round((p.bytesOut() - before.bytesOut()) / seconds)));
                })
            .toList();
    previous = current;
    previousAt = now;
    peers.setItems(rows);
    List<LimitEvent> ev = resources.limits().events().reversed();
    events.setItems(ev);
    events.setVisible(!ev.isEmpty());
    noEvents.setVisible(ev.isEmpty());
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    ui.setPollInterval(2000);
    poll = ui.addPollListener(e -> refresh());
    eventListener =
        resources
            .limits()
            .addListener(
                e -> {
                  try {
                    ui.access(
                        () -> {
                          Notification n = Notification.show(describe(e));
                          n.addThemeVariants(NotificationVariant.LUMO_WARNING);
                          refresh();
                        });
                  } catch (UIDetachedException gone) {
                    // the page was closed meanwhile
                  }
                });
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (poll != null) {
      poll.remove();
    }
    if (eventListener != null) {
      try {
        eventListener.close();
      } catch (Exception e) {
        // nothing to undo
      }
    }
    event.getUI().setPollInterval(-1);
  }

  @Override
  public String getPageTitle() {
    return getTranslation("moderation.usage.title") + " · Dure";
  }
}
