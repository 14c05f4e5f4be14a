package org.dure.ui.feed;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import java.util.List;
import java.util.function.Consumer;
import org.dure.identity.PeerId;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.social.Friends;
import org.dure.ui.base.Notices;

/**
 * The peers I muted and blocked (kept on this computer only): name if known (my petname, else their
 * profile's), peer ID, why and since when, with Unmute and Unblock. Reached from the Friends page.
 */
@Route(MutedPeersView.ROUTE)
public class MutedPeersView extends VerticalLayout implements HasDynamicTitle, BeforeEnterObserver {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "friends/muted";

  private final transient WikiStore store;
  private final transient PeerNode node;
  private final Grid<ModerationRecords.ListedPeer> muted = new Grid<>();
  private final Grid<ModerationRecords.ListedPeer> blocked = new Grid<>();
  private final Paragraph noneMuted = new Paragraph();
  private final Paragraph noneBlocked = new Paragraph();

  public MutedPeersView(WikiStore store, PeerNode node) {
    this.store = store;
    this.node = node;
    setId("muted-peers-view");
    muted.setId("muted-list");
    columns(
        muted,
        "feed.muted.unmute",
        "unmute-",
        p -> {
          node.mutes().unmute(p.peer());
          Notices.notifySuccess(getTranslation("feed.muted.unmuted", name(p.peer())));
        });
    blocked.setId("blocked-peers");
    columns(
        blocked,
        "feed.muted.unblock",
        "unblock-",
        p -> {
          node.blocklist().unblock(p.peer());
          Notices.notifySuccess(getTranslation("feed.muted.unblocked", name(p.peer())));
        });
    noneMuted.setId("muted-empty");
    noneMuted.setText(getTranslation("feed.muted.noneMuted"));
    noneBlocked.setId("blocked-empty");
    noneBlocked.setText(getTranslation("feed.muted.noneBlocked"));
    add(
        new H1(getTranslation("feed.muted.title")),
        new Paragraph(getTranslation("feed.muted.intro")),
        new RouterLink(getTranslation("feed.muted.back"), FriendsView.class),
        new H2(getTranslation("feed.muted.muted")),
        noneMuted,
        muted,
        new H2(getTranslation("feed.muted.blocked")),
        noneBlocked,
        blocked);
    refresh();
  }

  private void columns(
      Grid<ModerationRecords.ListedPeer> grid,
      String buttonKey,
      String idPrefix,
      Consumer<ModerationRecords.ListedPeer> action) {
    grid.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    grid.addColumn(p -> name(p.peer())).setHeader(getTranslation("feed.muted.name"));
    grid.addComponentColumn(
            p -> {
              Span id = new Span(Friends.shortId(p.peer()));
              id.getElement().setAttribute("title", p.peer().toString());
              id.addClassName("dure-mono");
              return id;
            })
        .setHeader(getTranslation("feed.friends.peerId"));
    grid.addColumn(ModerationRecords.ListedPeer::reason)
        .setHeader(getTranslation("feed.muted.reason"));
    grid.addColumn(p -> FeedUi.time(p.since(), getLocale()))
        .setHeader(getTranslation("feed.muted.since"));
    grid.addComponentColumn(
            p -> {
              Button b =
                  new Button(
                      getTranslation(buttonKey),
                      e -> {
                        action.accept(p);
                        refresh();
                      });
              b.setId(idPrefix + p.peer());
              b.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
              return b;
            })
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.setAllRowsVisible(true);
  }

  /** My petname for the peer, else its profile's name, else that no name is known. */
  private String name(PeerId peer) {
    return store
        .friends()
        .find(peer)
        .map(Friends.Friend::petname)
        .filter(n -> !n.isBlank())
        .or(() -> store.profiles().profile(peer).map(p -> p.displayName()))
        .orElseGet(() -> getTranslation("feed.muted.noName"));
  }

  /** The node whose lists this shows (for tests). */
  PeerNode node() {
    return node;
  }

  void refresh() {
    List<ModerationRecords.ListedPeer> m = node.mutes().entries();
    List<ModerationRecords.ListedPeer> b = node.blocklist().entries();
    muted.setItems(m);
    muted.setVisible(!m.isEmpty());
    noneMuted.setVisible(m.isEmpty());
    blocked.setItems(b);
    blocked.setVisible(!b.isEmpty());
    noneBlocked.setVisible(b.isEmpty());
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    refresh();
  }

  @Override
  public String getPageTitle() {
    return getTranslation("feed.muted.title") + " · Dure";
  }
}
