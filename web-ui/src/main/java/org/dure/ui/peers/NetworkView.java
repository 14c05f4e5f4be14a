package org.dure.ui.peers;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dure.identity.PeerId;
import org.dure.net.invite.InviteException;
import org.dure.net.invite.InviteService;
import org.dure.net.nat.PortMappingState;
import org.dure.node.DhtReach;
import org.dure.node.PeerNode;
import org.dure.ui.base.Notices;

/**
 * This computer on the network: online or offline (a switch), its peer ID and addresses, who is
 * connected, joining a space with an invite link, and blocked peers.
 */
@Route(NetworkView.ROUTE)
@Menu(title = "core.nav.network", order = 1, icon = "vaadin:connect")
public class NetworkView extends VerticalLayout implements HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "network";

  private final transient PeerNode node;
  private final Span state = new Span();
  private final Button toggle = new Button();
  private final Paragraph problem = new Paragraph();
  private final Span peerId = new Span();
  private final Paragraph addresses = new Paragraph();
  private final Paragraph router = new Paragraph();
  private final Paragraph relays = new Paragraph();
  private final Paragraph dht = new Paragraph();
  private final Grid<PeerNode.Peer> peers = new Grid<>();
  private final VerticalLayout transfers = new VerticalLayout();
  private final VerticalLayout arrivals = new VerticalLayout();
  private Set<String> syncing = Set.of();
  private Set<String> connected = Set.of();
  private final Grid<Map.Entry<PeerId, String>> blocked = new Grid<>();
  private final Grid<PeerNode.LanPeer> lan = new Grid<>();
  private final Paragraph lanEmpty = new Paragraph(getTranslation("core.network.lan.none"));
  private final TextArea invite = new TextArea(getTranslation("core.network.invite"));
  private final TextField connectTo = new TextField(getTranslation("core.network.connect.label"));
  private Registration poll;

  public NetworkView(PeerNode node) {
    this.node = node;
    setId("network-view");
    state.setId("network-state");
    toggle.setId("network-toggle");
    toggle.addClickListener(
        e -> {
          node.setOffline(!node.isOffline());
          refresh();
        });
    problem.addClassName("dure-error");
    peerId.setId("my-peer-id");
    peerId.addClassName("dure-mono");
    addresses.addClassName("dure-mono");
    router.setId("network-router");
    relays.setId("network-relays");
    dht.setId("network-dht");

    peers.setId("peer-list");
    peers.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    peers
        .addColumn(PeerNode.Peer::peerId)
        .setHeader(getTranslation("core.network.peer"))
        .setFlexGrow(3);
    peers
        .addColumn(PeerNode.Peer::address)
        .setHeader(getTranslation("core.network.address"))
        .setFlexGrow(2);
    peers
        .addColumn(p -> direction(p.direction()))
        .setHeader(getTranslation("core.network.direction"))
        .setFlexGrow(0);
    peers
        .addColumn(p -> kind(p.kind()))
        .setHeader(getTranslation("core.network.kind"))
        .setFlexGrow(0);
    peers
        .addColumn(p -> syncing.contains(p.peerId()) ? getTranslation("core.network.syncing") : "")
        .setHeader(getTranslation("core.network.spaces"))
        .setFlexGrow(0);
    transfers.setId("transfers");
    arrivals.setId("arrivals");
    arrivals.setPadding(false);
    peers.setAllRowsVisible(true);

    invite.setId("invite-link");
    invite.setPlaceholder("dure:invite/…");
    invite.setWidthFull();
    invite.setHelperText(getTranslation("core.network.invite.help"));
    Button join = new Button(getTranslation("core.network.join"), e -> join());
    join.setId("join");
    join.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    connectTo.setId("connect-address");
    connectTo.setWidthFull();
    connectTo.setPlaceholder("/ip4/192.168.1.5/tcp/4001/p2p/12D3KooW…");
    connectTo.setHelperText(getTranslation("core.network.connect.help"));
    Button connect = new Button(getTranslation("core.network.connect"), e -> connect());
    connect.setId("connect");

    lan.setId("lan-list");
    lan.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    lan.addColumn(PeerNode.LanPeer::peerId)
        .setHeader(getTranslation("core.network.peer"))
        .setFlexGrow(3);
    lan.addColumn(p -> String.join("  ", p.addresses()))
        .setHeader(getTranslation("core.network.addresses"))
        .setFlexGrow(2);
    lan.addComponentColumn(
            p -> {
              Button b = new Button(getTranslation("core.network.connect"), click -> connectLan(p));
              b.setEnabled(!connected.contains(p.peerId()));
              return b;
            })
        .setFlexGrow(0);
    lan.addComponentColumn(this::addFriendButton).setFlexGrow(0);
    lan.setAllRowsVisible(true);

    blocked.setId("blocked-list");
    blocked.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    blocked
        .addColumn(Map.Entry::getKey)
        .setHeader(getTranslation("core.network.peer"))
        .setFlexGrow(2);
    blocked
        .addColumn(Map.Entry::getValue)
        .setHeader(getTranslation("core.network.blocked.why"))
        .setFlexGrow(2);
    blocked
        .addComponentColumn(
            e ->
                new Button(
                    getTranslation("core.network.unblock"),
                    click -> {
                      node.blocklist().unblock(e.getKey());
                      refresh();
                    }))
        .setFlexGrow(0);
    blocked.setAllRowsVisible(true);

    add(
        new H1(getTranslation("core.network.heading")),
        new HorizontalLayout(state, toggle),
        problem,
        new Paragraph(new Span(getTranslation("core.network.peerid") + " "), peerId),
        addresses,
        router,
        relays,
        dht,
        new H2(getTranslation("core.network.connected")),
        peers,
        arrivals,
        transfers,
        new H2(getTranslation("core.network.join.heading")),
        invite,
        join,
        new H2(getTranslation("core.network.connect.heading")),
        connectTo,
        connect,
        new H2(getTranslation("core.network.lan.heading")),
        lanEmpty,
        lan,
        new H2(getTranslation("core.network.blocked.heading")),
        blocked);
    refresh();
  }

  private void join() {
    String link = invite.getValue();
    try {
      InviteService.Accepted ok = node.acceptInvite(link);
      invite.clear();
      Notices.notifySuccess(getTranslation("core.network.joined", ok.spaceName()));
    } catch (InviteException e) {
      Notices.notifyError(getTranslation("core.network.join.error", e.getMessage()));
    }
    refresh();
  }

  private void connect() {
    try {
      String peer = node.connect(connectTo.getValue());
      connectTo.clear();
      Notices.notifySuccess(getTranslation("core.network.connected.to", peer));
    } catch (IllegalArgumentException | IllegalStateException e) {
      Notices.notifyError(getTranslation("core.network.connect.invalid", e.getMessage()));
    } catch (IOException e) {
      Notices.notifyError(getTranslation("core.network.connect.error", e.getMessage()));
    }
    refresh();
  }

  private void connectLan(PeerNode.LanPeer p) {
    for (String address : p.addresses()) {
      try {
        node.connect(address + "/p2p/" + p.peerId());
        Notices.notifySuccess(getTranslation("core.network.connected.to", p.peerId()));
        refresh();
        return;
      } catch (IllegalArgumentException | IOException e) {
        // try the next address
      } catch (IllegalStateException e) {
        Notices.notifyError(getTranslation("core.network.connect.invalid", e.getMessage()));
        return;
      }
    }
    Notices.notifyError(getTranslation("core.network.lan.unreachable", p.peerId()));
  }

  /** "Add as friend" for a node found on the LAN (disabled once it is one). */
  private Button addFriendButton(PeerNode.LanPeer p) {
    Button b = new Button(getTranslation("feed.lan.addFriend"));
    b.addClassName("lan-add-friend");
    // LAN peers are listed by the text of their authenticated peer ID.
    PeerId id = PeerId.parseBase58(p.peerId());
    b.setEnabled(node.friends().find(id).isEmpty());
    b.addClickListener(
        click -> {
          try {
            node.friends().add(id, "");
            Notices.notifySuccess(getTranslation("feed.friends.added"));
            b.setEnabled(false);
          } catch (IllegalArgumentException e) {
            Notices.notifyError(getTranslation("feed.friends.invalid"));
          }
        });
    return b;
  }

  /** Spaces arriving now: pages received of all, rate, time left, from how many members. */
  void showArrivals(List<PeerNode.Join> joins) {
    arrivals.removeAll();
    if (joins.isEmpty()) {
      arrivals.setVisible(false);
      return;
    }
    arrivals.add(new H3(getTranslation("arrivals.heading")));
    for (PeerNode.Join j : joins) {
      Span label =
          new Span(
              j.left() == null
                  ? getTranslation("arrivals.waiting", j.name(), j.received(), j.total())
                  : getTranslation(
                      "arrivals.line",
                      j.name(),
                      j.received(),
                      j.total(),
                      j.pagesPerSecond(),
                      duration(j.left()),
                      j.members()));
      ProgressBar bar = new ProgressBar(0, Math.max(1, j.total()), j.received());
      bar.getElement().setAttribute("aria-label", label.getText());
      arrivals.add(label, bar);
    }
    arrivals.setVisible(true);
  }

  private String duration(Duration d) {
    long s = Math.max(1, d.toSeconds());
    return s < 120
        ? getTranslation("arrivals.seconds", s)
        : getTranslation("arrivals.minutes", (s + 59) / 60);
  }

  void refresh() {
    PeerNode.Status s = node.status();
    boolean offline = node.isOffline();
    state.setText(
        offline
            ? getTranslation("core.network.state.offline")
            : s.online()
                ? getTranslation("core.network.state.online")
                : getTranslation("core.network.state.starting"));
    toggle.setText(getTranslation(offline ? "core.network.go.online" : "core.network.go.offline"));
    String err = node.lastError();
    problem.setText(err == null ? "" : getTranslation("core.network.error", err));
    problem.setVisible(err != null);
    peerId.setText(s.peerId());
    addresses.setText(
        s.addresses().isEmpty()
            ? ""
            : getTranslation("core.network.reachable", String.join("  ", s.addresses())));
    router.setText(s.router() == null ? "" : routerSentence(s.router()));
    router.setVisible(s.router() != null);
    relays.setText(
        s.relays().isEmpty()
            ? ""
            : getTranslation(
                "core.network.relays",
                s.relays().stream()
                    .map(r -> r.length() > 8 ? "…" + r.substring(r.length() - 8) : r)
                    .collect(Collectors.joining(", "))));
    relays.setVisible(!s.relays().isEmpty());
    DhtReach.Status d = node.dhtStatus();
    dht.setText(d == null ? "" : dhtSentence(d));
    dht.setVisible(d != null);
    syncing = Set.copyOf(s.syncing());
    connected = s.peers().stream().map(PeerNode.Peer::peerId).collect(Collectors.toSet());
    peers.setItems(s.peers());
    transfers.removeAll();
    for (PeerNode.Transfer t : s.transfers()) {
      ProgressBar bar = new ProgressBar(0, Math.max(1, t.total()), t.done());
      Span label =
          new Span(
              getTranslation(
                  t.receiving() ? "core.network.transfer.in" : "core.network.transfer.out",
                  t.docId(),
                  t.peer(),
                  100 * t.done() / Math.max(1, t.total())));
      transfers.add(label, bar);
    }
    transfers.setVisible(!s.transfers().isEmpty());
    showArrivals(node.joins());
    blocked.setItems(node.blocklist().list().entrySet().stream().toList());
    lan.setItems(s.lan());
    lan.setVisible(!s.lan().isEmpty());
    lanEmpty.setVisible(s.lan().isEmpty() && s.online());
  }

  /** The DHT's mode and what it knows, in a sentence. */
  String dhtSentence(DhtReach.Status d) {
    return getTranslation(
        d.server() ? "core.network.dht.server" : "core.network.dht.client",
        d.routingTable(),
        d.bootstrapConnected(),
        d.bootstrapPeers());
  }

  /** What port mapping on the home router achieved, in a sentence. */
  String routerSentence(PeerNode.Router r) {
    String port = Integer.toString(r.port());
    return switch (r.state()) {
      case PortMappingState.Disabled d -> getTranslation("core.network.router.disabled");
      case PortMappingState.Searching x -> getTranslation("core.network.router.searching", port);
      case PortMappingState.Unavailable u ->
          getTranslation("core.network.router.unavailable", port, u.reason());
      case PortMappingState.Mapped m -> {
        String ext = Integer.toString(m.externalPort());
        if (m.externalAddress() == null) {
          yield getTranslation("core.network.router.mapped.unknown", port, m.protocol(), ext);
        }
        String ip = m.externalAddress().getHostAddress();
        yield m.reachableFromInternet()
            ? getTranslation("core.network.router.mapped", port, m.protocol(), ip, ext)
            : getTranslation("core.network.router.mapped.private", port, m.protocol(), ip);
      }
    };
  }

  /** A connection's direction ({@code inbound}, {@code outbound}) in words. */
  private String direction(String d) {
    return switch (d) {
      case "inbound" -> getTranslation("core.network.direction.inbound");
      case "outbound" -> getTranslation("core.network.direction.outbound");
      default -> d;
    };
  }

  /** How a connection reaches the peer ({@code direct}, {@code relayed}, {@code hole-punched}). */
  private String kind(String k) {
    return switch (k) {
      case "direct" -> getTranslation("core.network.kind.direct");
      case "relayed" -> getTranslation("core.network.kind.relayed");
      case "hole-punched" -> getTranslation("core.network.kind.hole-punched");
      default -> k;
    };
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.title.page", getTranslation("core.network.heading"));
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    ui.setPollInterval(2000);
    poll = ui.addPollListener(e -> refresh());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (poll != null) {
      poll.remove();
    }
    event.getUI().setPollInterval(-1);
  }
}
