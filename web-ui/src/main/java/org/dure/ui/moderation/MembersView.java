package org.dure.ui.moderation;

import com.vaadin.flow.component.Component;
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
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.SpaceModerator;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;

/**
 * A space's members and their roles; the owner and moderators change roles, remove and ban members,
 * and add someone by peer ID (invites with a role are made on the Share page).
 */
@Route("space/:spaceId/members")
public class MembersView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient SpaceModerator moderator;
  private final H1 heading = new H1();
  private final Paragraph myRole = new Paragraph();
  private final Grid<Map.Entry<PeerId, Role>> members = new Grid<>();
  private final TextField reason = new TextField();
  private final TextField addPeer = new TextField();
  private final Select<Role> addRole = new Select<>();
  private final HorizontalLayout addForm;
  private String title = "Dure";
  private Optional<Space> space = Optional.empty();
  private boolean canModerate;

  public MembersView(WikiStore store) {
    this.store = store;
    this.moderator = new SpaceModerator(store);
    setId("members-view");
    members.setId("members-grid");
    members.addThemeVariants(GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_COMPACT);
    members
        .addColumn(Map.Entry::getKey)
        .setHeader(getTranslation("moderation.peer"))
        .setFlexGrow(3);
    members.addComponentColumn(this::roleCell).setHeader(getTranslation("moderation.role"));
    members.addComponentColumn(this::actions).setFlexGrow(0).setAutoWidth(true);
    members.setAllRowsVisible(true);

    reason.setId("member-reason");
    reason.setLabel(getTranslation("moderation.reason"));
    reason.setMaxLength(1000);
    reason.setWidth("24em");

    addPeer.setId("member-add-peer");
    addPeer.setLabel(getTranslation("moderation.members.peerId"));
    addPeer.setPlaceholder("12D3KooW…");
    addPeer.setWidth("32em");
    addRole.setId("member-add-role");
    addRole.setLabel(getTranslation("moderation.role"));
    addRole.setItems(Role.EDITOR, Role.READER, Role.MODERATOR);
    addRole.setItemLabelGenerator(this::roleName);
    addRole.setValue(Role.EDITOR);
    Button add = new Button(getTranslation("moderation.members.add"), e -> addMember());
    add.setId("member-add");
    addForm = new HorizontalLayout(addPeer, addRole, add);
    addForm.setDefaultVerticalComponentAlignment(Alignment.BASELINE);

    Button invite = new Button(getTranslation("moderation.members.invite"));
    invite.setId("members-invite");
    invite.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    invite.addClickListener(
        e -> space.ifPresent(s -> UI.getCurrent().navigate("space/" + s.id().value() + "/share")));
    Button moderation = new Button(getTranslation("moderation.title"));
    moderation.setId("members-moderation");
    moderation.addClickListener(
        e ->
            space.ifPresent(
                s -> UI.getCurrent().navigate("space/" + s.id().value() + "/moderation")));
    HorizontalLayout top = new HorizontalLayout(heading, invite, moderation);
    top.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
    add(
        top,
        myRole,
        members,
        reason,
        new H2(getTranslation("moderation.members.addTitle")),
        addForm);
  }

  private String roleName(Role r) {
    return getTranslation("moderation.role." + r.key());
  }

  private Component roleCell(Map.Entry<PeerId, Role> e) {
    SpaceId id = space.orElseThrow().id();
    if (!canModerate || !moderator.mayManage(id, e.getValue())) {
      return new Span(roleName(e.getValue()));
    }
    Select<Role> select = new Select<>();
    select.setItems(moderator.rolesToGive(id, Optional.of(e.getValue())));
    select.setItemLabelGenerator(this::roleName);
    select.setValue(e.getValue());
    select.setId("role-" + e.getKey());
    select.addValueChangeListener(
        ev -> {
          if (ev.getValue() != null && ev.getValue() != ev.getOldValue()) {
            act(
                () -> moderator.setRole(space.orElseThrow().id(), e.getKey(), ev.getValue()),
                "moderation.members.roleChanged");
          }
        });
    return select;
  }

  private Component actions(Map.Entry<PeerId, Role> e) {
    HorizontalLayout row = new HorizontalLayout();
    if (!canModerate || !moderator.mayManage(space.orElseThrow().id(), e.getValue())) {
      return row;
    }
    Button remove =
        new Button(
            getTranslation("moderation.members.remove"),
            click ->
                act(
                    () -> moderator.remove(space.orElseThrow().id(), e.getKey(), reason.getValue()),
                    "moderation.members.removed"));
    remove.setId("remove-" + e.getKey());
    remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    Button ban =
        new Button(
            getTranslation("moderation.members.ban"),
            click ->
                act(
                    () -> moderator.ban(space.orElseThrow().id(), e.getKey(), reason.getValue()),
                    "moderation.members.banned"));
    ban.setId("ban-" + e.getKey());
    ban.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
    row.add(remove, ban);
    return row;
  }

  private void addMember() {
    act(
        () ->
            moderator.setRole(
                space.orElseThrow().id(),
                PeerId.parseBase58(addPeer.getValue().strip()),
                addRole.getValue()),
        "moderation.members.added");
    addPeer.clear();
  }

  /** Runs a moderation action, says how it went, and shows the members again. */
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

  private void show() {
    if (space.isEmpty()) {
      return;
    }
    canModerate = moderator.canModerate(space.get().id());
    myRole.setText(
        moderator
            .myRole(space.get().id())
            .map(r -> getTranslation("moderation.members.yourRole", roleName(r)))
            .orElse(getTranslation("moderation.members.notMember")));
    reason.setVisible(canModerate);
    addForm.setVisible(canModerate);
    if (canModerate) {
      addRole.setItems(moderator.rolesToGive(space.get().id(), Optional.empty()));
      addRole.setValue(Role.EDITOR);
    }
    try {
      members.setItems(
          moderator.membership(space.get().id()).members().entrySet().stream()
              .sorted(
                  Comparator.comparing((Map.Entry<PeerId, Role> e) -> e.getValue())
                      .thenComparing(e -> e.getKey().toString()))
              .toList());
    } catch (NoSuchElementException e) {
      members.setItems(List.of());
      Notices.notifyError(getTranslation("moderation.error.notArrived"));
    }
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    if (space.isEmpty()) {
      removeAll();
      add(Notices.noSuchSpace(raw));
      title = "Dure";
      return;
    }
    heading.setText(getTranslation("moderation.members.heading", space.get().name()));
    title = getTranslation("moderation.members.heading", space.get().name()) + " · Dure";
    show();
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}
