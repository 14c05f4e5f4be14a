package org.dure.ui.peers;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
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
import org.dure.identity.PeerId;
import org.dure.moderation.NotAllowedException;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.i18n.Texts;

/** Who shares a space, and invites: a single-use link and its QR code. */
@Route("space/:spaceId/share")
public class ShareView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  /** The invite validities offered. */
  static final List<Duration> VALIDITY =
      List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));

  private final transient WikiStore store;
  private final transient PeerNode node;
  private final H1 heading = new H1();
  private final Grid<Map.Entry<PeerId, Role>> members = new Grid<>();
  private final Select<Role> role = new Select<>();
  private final Select<Duration> validity = new Select<>();
  private final Checkbox peerIdOnly = new Checkbox(getTranslation("core.share.peeridonly"));
  private final TextArea link = new TextArea(getTranslation("core.share.link"));
  private final Image qr = new Image();
  private final TextField addPeer = new TextField(getTranslation("core.share.peerid"));
  private String title = getTranslation("core.title.page", getTranslation("core.share.title"));
  private Optional<Space> space = Optional.empty();

  public ShareView(WikiStore store, PeerNode node) {
    this.store = store;
    this.node = node;
    setId("share-view");
    members.setId("member-list");
    members.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    members
        .addColumn(Map.Entry::getKey)
        .setHeader(getTranslation("core.share.column.peer"))
        .setFlexGrow(3);
    members
        .addColumn(e -> roleName(e.getValue()))
        .setHeader(getTranslation("core.share.column.role"))
        .setFlexGrow(1);
    members
        .addComponentColumn(
            e -> {
              Button remove =
                  new Button(getTranslation("core.share.remove"), click -> remove(e.getKey()));
              remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
              remove.setVisible(e.getValue() != Role.OWNER);
              return remove;
            })
        .setFlexGrow(0);
    members.setAllRowsVisible(true);

    role.setId("invite-role");
    role.setLabel(getTranslation("core.share.role"));
    role.setItems(Role.EDITOR, Role.READER, Role.MODERATOR);
    role.setItemLabelGenerator(ShareView::roleName);
    role.setValue(Role.EDITOR);
    validity.setId("invite-validity");
    validity.setLabel(getTranslation("core.share.validity"));
    validity.setItems(VALIDITY);
    validity.setItemLabelGenerator(d -> getTranslation("core.share.days", d.toDays()));
    validity.setValue(Duration.ofDays(7));
    peerIdOnly.setId("invite-peer-id-only");
    peerIdOnly.setHelperText(getTranslation("core.share.peeridonly.help"));
    Button create = new Button(getTranslation("core.share.create"), e -> createInvite());
    create.setId("create-invite");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    link.setId("invite-text");
    link.setReadOnly(true);
    link.setWidthFull();
    link.setVisible(false);
    link.setHelperText(getTranslation("core.share.link.help"));
    qr.setId("invite-qr");
    qr.setAlt(getTranslation("core.share.qr"));
    qr.setWidth("14em");
    qr.setVisible(false);

    addPeer.setId("add-peer-id");
    addPeer.setPlaceholder("12D3KooW…");
    addPeer.setWidth("32em");
    Button add =
        new Button(getTranslation("core.share.add", roleName(Role.EDITOR)), e -> addByPeerId());
    add.setId("add-peer");
    HorizontalLayout byId = new HorizontalLayout(addPeer, add);
    byId.setDefaultVerticalComponentAlignment(Alignment.BASELINE);

    HorizontalLayout form = new HorizontalLayout(role, validity, create);
    form.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
    add(
        heading,
        new H2(getTranslation("core.share.members")),
        members,
        new H2(getTranslation("core.share.invite.heading")),
        new Paragraph(getTranslation("core.share.invite.text")),
        form,
        peerIdOnly,
        link,
        qr,
        new H2(getTranslation("core.share.byid.heading")),
        new Paragraph(getTranslation("core.share.byid.text")),
        byId);
  }

  private void createInvite() {
    if (space.isEmpty()) {
      return;
    }
    try {
      String text =
          node.createInvite(
              space.get().id(), role.getValue(), validity.getValue(), peerIdOnly.getValue());
      link.setValue(text);
      link.setVisible(true);
      qr.setSrc(QrCodes.dataUrl(text));
      qr.setVisible(true);
    } catch (IllegalStateException | IllegalArgumentException e) {
      Notices.notifyError(getTranslation("core.share.invite.error", e.getMessage()));
    }
  }

  private void addByPeerId() {
    space.ifPresent(
        s -> {
          try {
            node.moderator()
                .setRole(s.id(), PeerId.parseBase58(addPeer.getValue().strip()), Role.EDITOR);
            addPeer.clear();
            Notices.notifySuccess(getTranslation("core.share.added"));
          } catch (NotAllowedException e) {
            Notices.notifyError(e.getMessage());
          } catch (IllegalArgumentException e) {
            Notices.notifyError(getTranslation("core.share.add.error", e.getMessage()));
          }
          showMembers(s.id());
        });
  }

  private void remove(PeerId peer) {
    space.ifPresent(
        s -> {
          try {
            node.moderator().remove(s.id(), peer, "");
            Notices.notifySuccess(getTranslation("core.share.removed"));
          } catch (IllegalArgumentException | IllegalStateException e) {
            Notices.notifyError(getTranslation("core.share.remove.error", e.getMessage()));
          }
          showMembers(s.id());
        });
  }

  private void showMembers(SpaceId id) {
    Membership m = store.membership(id);
    members.setItems(
        m.members().entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<PeerId, Role> e) -> e.getValue())
                    .thenComparing(e -> e.getKey().toString()))
            .toList());
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    if (space.isEmpty()) {
      removeAll();
      add(Notices.noSuchSpace(raw));
      title = getTranslation("core.title.page", getTranslation("core.notfound.title"));
      return;
    }
    heading.setText(getTranslation("core.share.heading", space.get().name()));
    List<Role> giveable = node.moderator().rolesToGive(space.get().id(), Optional.empty());
    role.setItems(giveable);
    if (giveable.contains(Role.EDITOR)) {
      role.setValue(Role.EDITOR);
    }
    title =
        getTranslation(
            "core.title.page", getTranslation("core.share.title.of", space.get().name()));
    try {
      showMembers(space.get().id());
    } catch (NoSuchElementException e) {
      members.setItems(List.of());
      Notices.notifyError(getTranslation("core.share.members.missing"));
    }
  }

  /** A role in words, in the UI's language. */
  static String roleName(Role r) {
    return Texts.t("core.role." + r.key());
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
