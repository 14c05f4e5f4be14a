package org.dure.ui.peers;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.node.PeerNode;
import org.dure.store.Membership;
import org.dure.store.Role;
import org.dure.store.Space;
import org.dure.store.SpaceId;
import org.dure.store.WikiStore;
import org.dure.ui.MainLayout;
import org.dure.ui.wiki.WikiUi;

/** Who shares a space, and invites: a single-use link and its QR code. */
@Route(value = "space/:spaceId/share", layout = MainLayout.class)
public class ShareView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  /** The invite validities offered. */
  static final Map<String, Duration> VALIDITY =
      Map.of(
          "1 day",
          Duration.ofDays(1),
          "7 days",
          Duration.ofDays(7),
          "30 days",
          Duration.ofDays(30));

  private final transient WikiStore store;
  private final transient PeerNode node;
  private final H1 heading = new H1();
  private final Grid<Map.Entry<String, Role>> members = new Grid<>();
  private final Select<Role> role = new Select<>();
  private final Select<String> validity = new Select<>();
  private final TextArea link = new TextArea("Invite link");
  private final Image qr = new Image();
  private final TextField addPeer = new TextField("Peer ID");
  private String title = "Share · Dure";
  private Optional<Space> space = Optional.empty();

  public ShareView(WikiStore store, PeerNode node) {
    this.store = store;
    this.node = node;
    setId("share-view");
    members.setId("member-list");
    members.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    members.addColumn(Map.Entry::getKey).setHeader("Peer").setFlexGrow(3);
    members.addColumn(e -> e.getValue().key()).setHeader("Role").setFlexGrow(1);
    members
        .addComponentColumn(
            e -> {
              Button remove = new Button("Remove", click -> remove(e.getKey()));
              remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
              remove.setVisible(e.getValue() != Role.OWNER);
              return remove;
            })
        .setFlexGrow(0);
    members.setAllRowsVisible(true);

    role.setId("invite-role");
    role.setLabel("Role");
    role.setItems(Role.EDITOR, Role.READER, Role.MODERATOR);
    role.setItemLabelGenerator(Role::key);
    role.setValue(Role.EDITOR);
    validity.setId("invite-validity");
    validity.setLabel("Valid for");
    validity.setItems(List.of("1 day", "7 days", "30 days"));
    validity.setValue("7 days");
    Button create = new Button("Create invite link", e -> createInvite());
    create.setId("create-invite");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    link.setId("invite-text");
    link.setReadOnly(true);
    link.setWidthFull();
    link.setVisible(false);
    link.setHelperText(
        "Send this to one person; it works once. They paste it on their Network page.");
    qr.setId("invite-qr");
    qr.setAlt("QR code of the invite link");
    qr.setWidth("14em");
    qr.setVisible(false);

    addPeer.setId("add-peer-id");
    addPeer.setPlaceholder("12D3KooW…");
    addPeer.setWidth("32em");
    Button add = new Button("Add as " + Role.EDITOR.key(), e -> addByPeerId());
    add.setId("add-peer");
    HorizontalLayout byId = new HorizontalLayout(addPeer, add);
    byId.setDefaultVerticalComponentAlignment(Alignment.BASELINE);

    HorizontalLayout form = new HorizontalLayout(role, validity, create);
    form.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
    add(
        heading,
        new H2("Members"),
        members,
        new H2("Invite someone"),
        new Paragraph(
            "An invite carries this computer's address: your friend's Dure contacts it to join."
                + " Both of you must be online then."),
        form,
        link,
        qr,
        new H2("Add by peer ID"),
        new Paragraph(
            "Or add someone you are connected to (see the Network page) by their peer ID."),
        byId);
  }

  private void createInvite() {
    if (space.isEmpty()) {
      return;
    }
    try {
      String text =
          node.createInvite(space.get().id(), role.getValue(), VALIDITY.get(validity.getValue()));
      link.setValue(text);
      link.setVisible(true);
      qr.setSrc(QrCodes.dataUrl(text));
      qr.setVisible(true);
    } catch (IllegalStateException | IllegalArgumentException e) {
      WikiUi.notifyError(e.getMessage());
    }
  }

  private void addByPeerId() {
    space.ifPresent(
        s -> {
          try {
            node.moderator().setRole(s.id(), addPeer.getValue().strip(), Role.EDITOR);
            addPeer.clear();
            WikiUi.notifySuccess("Added. The space syncs with them while you are both online.");
          } catch (org.dure.moderation.NotAllowedException e) {
            WikiUi.notifyError(e.getMessage());
          } catch (IllegalArgumentException e) {
            WikiUi.notifyError(e.getMessage() + ". Copy the peer ID from their Network page.");
          }
          showMembers(s.id());
        });
  }

  private void remove(String peer) {
    space.ifPresent(
        s -> {
          try {
            node.moderator().remove(s.id(), peer, "");
            WikiUi.notifySuccess("Removed. They no longer receive this space's changes.");
          } catch (IllegalArgumentException | IllegalStateException e) {
            WikiUi.notifyError(e.getMessage());
          }
          showMembers(s.id());
        });
  }

  private void showMembers(SpaceId id) {
    Membership m = store.membership(id);
    members.setItems(
        m.members().entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<String, Role> e) -> e.getValue())
                    .thenComparing(Map.Entry::getKey))
            .toList());
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = WikiUi.findSpace(store, raw);
    if (space.isEmpty()) {
      removeAll();
      add(WikiUi.noSuchSpace(raw));
      title = "Not found · Dure";
      return;
    }
    heading.setText("Share “" + space.get().name() + "”");
    title = "Share " + space.get().name() + " · Dure";
    try {
      showMembers(space.get().id());
    } catch (NoSuchElementException e) {
      members.setItems(List.of());
      WikiUi.notifyError("This space's member list has not arrived yet; stay online a moment.");
    }
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
