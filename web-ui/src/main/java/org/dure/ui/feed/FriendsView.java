package org.dure.ui.feed;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import java.util.NoSuchElementException;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.social.Friends;
import org.dure.ui.base.Notices;

/**
 * Friends: people I know by peer ID, with a petname I choose (editable here), whether they are
 * online now or when they were last seen. Friends are added here by pasting a peer ID, on the
 * Network page from the LAN list, and by invites (both ways). A link leads to the people I muted or
 * blocked ({@link MutedPeersView}).
 */
@Route(FriendsView.ROUTE)
@Menu(title = "feed.friends.title", order = 3, icon = "vaadin:users")
public class FriendsView extends VerticalLayout implements HasDynamicTitle, BeforeEnterObserver {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "friends";

  private final transient WikiStore store;
  private final transient PeerNode node;
  private final Grid<Friends.Friend> grid = new Grid<>();
  private final TextField peerId = new TextField();
  private final TextField petname = new TextField();
  private final Paragraph empty = new Paragraph();
  private transient Set<PeerId> online = Set.of();
  private Registration poll;

  public FriendsView(WikiStore store, PeerNode node) {
    this.store = store;
    this.node = node;
    setId("friends-view");

    peerId.setId("friend-peer-id");
    peerId.setLabel(getTranslation("feed.friends.peerId"));
    peerId.setPlaceholder("12D3KooW…");
    peerId.setHelperText(getTranslation("feed.friends.peerId.help"));
    peerId.setWidth("32em");
    petname.setId("friend-petname");
    petname.setLabel(getTranslation("feed.friends.petname"));
    petname.setMaxLength(Friends.MAX_PETNAME);
    Button add = new Button(getTranslation("feed.friends.add"), e -> add());
    add.setId("friend-add");
    add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    add.addClickShortcut(Key.ENTER);
    HorizontalLayout form = new HorizontalLayout(peerId, petname, add);
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);

    grid.setId("friend-list");
    grid.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    grid.addComponentColumn(this::petnameField)
        .setHeader(getTranslation("feed.friends.petname"))
        .setFlexGrow(2);
    grid.addComponentColumn(
            f -> {
              Span id = new Span(Friends.shortId(f.peerId()));
              id.getElement().setAttribute("title", f.peerId().toString());
              id.addClassName("dure-mono");
              return id;
            })
        .setHeader(getTranslation("feed.friends.peerId"))
        .setFlexGrow(1);
    grid.addColumn(this::status).setHeader(getTranslation("feed.friends.status")).setFlexGrow(2);
    grid.addComponentColumn(
            f -> {
              Button remove =
                  new Button(
                      getTranslation("feed.friends.remove"),
                      click -> {
                        store.friends().remove(f.peerId());
                        refresh();
                      });
              remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
              return remove;
            })
        .setFlexGrow(0);
    grid.setAllRowsVisible(true);
    empty.setId("friends-empty");
    empty.setText(getTranslation("feed.friends.empty"));

    RouterLink mutedLink = new RouterLink(getTranslation("feed.muted.link"), MutedPeersView.class);
    mutedLink.setId("muted-peers-link");
    add(new H1(getTranslation("feed.friends.title")), form, empty, grid, mutedLink);
    refresh();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    refresh();
  }

  @Override
  public String getPageTitle() {
    return getTranslation("feed.friends.title") + " · Dure";
  }

  private TextField petnameField(Friends.Friend f) {
    TextField name = new TextField();
    name.setValue(f.petname());
    name.setMaxLength(Friends.MAX_PETNAME);
    name.setAriaLabel(getTranslation("feed.friends.petname"));
    name.addClassName("friend-petname");
    name.addValueChangeListener(
        e -> {
          if (!e.isFromClient()) {
            return;
          }
          try {
            store.friends().rename(f.peerId(), e.getValue());
          } catch (IllegalArgumentException ex) {
            Notices.notifyError(getTranslation("feed.friends.petname.long", Friends.MAX_PETNAME));
          } catch (NoSuchElementException ex) {
            refresh(); // removed meanwhile
          }
        });
    return name;
  }

  String status(Friends.Friend f) {
    if (online.contains(f.peerId())) {
      return getTranslation("feed.friends.online");
    }
    return f.lastSeen()
        .map(t -> getTranslation("feed.friends.lastSeen", FeedUi.time(t, getLocale())))
        .orElse(getTranslation("feed.friends.neverSeen"));
  }

  /** Adds the friend in the form. */
  void add() {
    String id = peerId.getValue() == null ? "" : peerId.getValue().strip();
    String name = petname.getValue() == null ? "" : petname.getValue().strip();
    if (id.equals(store.identity().peerId().toString())) {
      Notices.notifyError(getTranslation("feed.friends.self"));
      return;
    }
    if (name.codePointCount(0, name.length()) > Friends.MAX_PETNAME) {
      Notices.notifyError(getTranslation("feed.friends.petname.long", Friends.MAX_PETNAME));
      return;
    }
    boolean added;
    try {
      added = store.friends().add(PeerId.parseBase58(id), name);
    } catch (IllegalArgumentException e) {
      Notices.notifyError(getTranslation("feed.friends.invalid"));
      return;
    }
    if (!added) {
      Notices.notifyError(getTranslation("feed.friends.already"));
      return;
    }
    peerId.clear();
    petname.clear();
    // Found at a known address or through the DHT; shown online once connected.
    node.connectSoon(id);
    Notices.notifySuccess(getTranslation("feed.friends.added"));
    refresh();
  }

  void refresh() {
    online = node.connectedPeers();
    var all = store.friends().list();
    grid.setItems(all);
    grid.setVisible(!all.isEmpty());
    empty.setVisible(all.isEmpty());
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    ui.setPollInterval(5000);
    // Only when someone came or went: a refresh would reset a petname being typed.
    poll =
        ui.addPollListener(
            e -> {
              if (!node.connectedPeers().equals(online)) {
                refresh();
              }
            });
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (poll != null) {
      poll.remove();
    }
    event.getUI().setPollInterval(-1);
  }
}
