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
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import java.util.Map;
import org.dure.net.invite.InviteException;
import org.dure.net.invite.InviteService;
import org.dure.node.PeerNode;
import org.dure.ui.MainLayout;
import org.dure.ui.wiki.WikiUi;

/**
 * This computer on the network: online or offline (a switch), its peer ID and addresses, who is
 * connected, joining a space with an invite link, and blocked peers.
 */
@Route(value = NetworkView.ROUTE, layout = MainLayout.class)
@PageTitle("Network · Dure")
public class NetworkView extends VerticalLayout {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "network";

  private final transient PeerNode node;
  private final Span state = new Span();
  private final Button toggle = new Button();
  private final Paragraph problem = new Paragraph();
  private final Span peerId = new Span();
  private final Paragraph addresses = new Paragraph();
  private final Grid<PeerNode.Peer> peers = new Grid<>();
  private final VerticalLayout transfers = new VerticalLayout();
  private java.util.Set<String> syncing = java.util.Set.of();
  private java.util.Set<String> connected = java.util.Set.of();
  private final Grid<Map.Entry<String, String>> blocked = new Grid<>();
  private final Grid<PeerNode.LanPeer> lan = new Grid<>();
  private final Paragraph lanEmpty =
      new Paragraph("No other Dure found on your local network (yet).");
  private final TextArea invite = new TextArea("Invite link");
  private final TextField connectTo = new TextField("Connect to a peer");
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

    peers.setId("peer-list");
    peers.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    peers.addColumn(PeerNode.Peer::peerId).setHeader("Peer").setFlexGrow(3);
    peers.addColumn(PeerNode.Peer::address).setHeader("Address").setFlexGrow(2);
    peers.addColumn(PeerNode.Peer::direction).setHeader("Direction").setFlexGrow(0);
    peers
        .addColumn(p -> syncing.contains(p.peerId()) ? "syncing" : "")
        .setHeader("Spaces")
        .setFlexGrow(0);
    transfers.setId("transfers");
    peers.setAllRowsVisible(true);

    invite.setId("invite-link");
    invite.setPlaceholder("dure:invite/…");
    invite.setWidthFull();
    invite.setHelperText("Paste the link a friend sent you to join their space.");
    Button join = new Button("Join", e -> join());
    join.setId("join");
    join.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    connectTo.setId("connect-address");
    connectTo.setWidthFull();
    connectTo.setPlaceholder("/ip4/192.168.1.5/tcp/4001/p2p/12D3KooW…");
    connectTo.setHelperText("A friend's full address, shown on their Network page.");
    Button connect = new Button("Connect", e -> connect());
    connect.setId("connect");

    lan.setId("lan-list");
    lan.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    lan.addColumn(PeerNode.LanPeer::peerId).setHeader("Peer").setFlexGrow(3);
    lan.addColumn(p -> String.join("  ", p.addresses())).setHeader("Addresses").setFlexGrow(2);
    lan.addComponentColumn(
            p -> {
              Button b = new Button("Connect", click -> connectLan(p));
              b.setEnabled(!connected.contains(p.peerId()));
              return b;
            })
        .setFlexGrow(0);
    lan.addComponentColumn(this::addFriendButton).setFlexGrow(0);
    lan.setAllRowsVisible(true);

    blocked.setId("blocked-list");
    blocked.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    blocked.addColumn(Map.Entry::getKey).setHeader("Peer").setFlexGrow(2);
    blocked.addColumn(Map.Entry::getValue).setHeader("Why").setFlexGrow(2);
    blocked
        .addComponentColumn(
            e ->
                new Button(
                    "Unblock",
                    click -> {
                      node.blocklist().unblock(e.getKey());
                      refresh();
                    }))
        .setFlexGrow(0);
    blocked.setAllRowsVisible(true);

    add(
        new H1("Network"),
        new HorizontalLayout(state, toggle),
        problem,
        new Paragraph(new Span("Your peer ID: "), peerId),
        addresses,
        new H2("Connected"),
        peers,
        transfers,
        new H2("Join a space"),
        invite,
        join,
        new H2("Connect to a friend"),
        connectTo,
        connect,
        new H2("Found on your network"),
        lanEmpty,
        lan,
        new H2("Blocked peers"),
        blocked);
    refresh();
  }

  private void join() {
    String link = invite.getValue();
    try {
      InviteService.Accepted ok = node.acceptInvite(link);
      invite.clear();
      WikiUi.notifySuccess(
          "You joined “" + ok.spaceName() + "”. Its pages arrive while you are both online.");
    } catch (InviteException e) {
      WikiUi.notifyError(e.getMessage());
    }
    refresh();
  }

  private void connect() {
    try {
      String peer = node.connect(connectTo.getValue());
      connectTo.clear();
      WikiUi.notifySuccess("Connected to " + peer + ".");
    } catch (IllegalArgumentException | IllegalStateException e) {
      WikiUi.notifyError(e.getMessage());
    } catch (java.io.IOException e) {
      WikiUi.notifyError(
          "Could not connect ("
              + e.getMessage()
              + "). Check the address and that they are online.");
    }
    refresh();
  }

  private void connectLan(PeerNode.LanPeer p) {
    for (String address : p.addresses()) {
      try {
        node.connect(address + "/p2p/" + p.peerId());
        WikiUi.notifySuccess("Connected to " + p.peerId() + ".");
        refresh();
        return;
      } catch (IllegalArgumentException | java.io.IOException e) {
        // try the next address
      } catch (IllegalStateException e) {
        WikiUi.notifyError(e.getMessage());
        return;
      }
    }
    WikiUi.notifyError(
        "Could not reach " + p.peerId() + " at the addresses it announced. Is it still online?");
  }

  /** "Add as friend" for a node found on the LAN (disabled once it is one). */
  private Button addFriendButton(PeerNode.LanPeer p) {
    Button b = new Button(getTranslation("feed.lan.addFriend"));
    b.addClassName("lan-add-friend");
    b.setEnabled(node.friends().find(p.peerId()).isEmpty());
    b.addClickListener(
        click -> {
          try {
            node.friends().add(p.peerId(), "");
            WikiUi.notifySuccess(getTranslation("feed.friends.added"));
            b.setEnabled(false);
          } catch (IllegalArgumentException e) {
            WikiUi.notifyError(getTranslation("feed.friends.invalid"));
          }
        });
    return b;
  }

  void refresh() {
    PeerNode.Status s = node.status();
    boolean offline = node.isOffline();
    state.setText(
        offline
            ? "Offline: Dure does not connect to anyone."
            : s.online() ? "Online." : "Going online…");
    toggle.setText(offline ? "Go online" : "Go offline");
    String err = node.lastError();
    problem.setText(err == null ? "" : err + " Check that no other program uses the port.");
    problem.setVisible(err != null);
    peerId.setText(s.peerId());
    addresses.setText(
        s.addresses().isEmpty() ? "" : "Reachable at: " + String.join("  ", s.addresses()));
    syncing = java.util.Set.copyOf(s.syncing());
    connected =
        s.peers().stream().map(PeerNode.Peer::peerId).collect(java.util.stream.Collectors.toSet());
    peers.setItems(s.peers());
    transfers.removeAll();
    for (PeerNode.Transfer t : s.transfers()) {
      ProgressBar bar = new ProgressBar(0, Math.max(1, t.total()), t.done());
      Span label =
          new Span(
              (t.receiving() ? "Receiving " : "Sending ")
                  + t.docId()
                  + (t.receiving() ? " from " : " to ")
                  + t.peer()
                  + ": "
                  + (100 * t.done() / Math.max(1, t.total()))
                  + " %");
      transfers.add(label, bar);
    }
    transfers.setVisible(!s.transfers().isEmpty());
    blocked.setItems(node.blocklist().list().entrySet().stream().toList());
    lan.setItems(s.lan());
    lan.setVisible(!s.lan().isEmpty());
    lanEmpty.setVisible(s.lan().isEmpty() && s.online());
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
