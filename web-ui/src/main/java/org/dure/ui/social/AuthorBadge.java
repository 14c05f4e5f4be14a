package org.dure.ui.social;

import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import java.util.Optional;
import org.dure.store.Profiles;
import org.dure.store.WikiStore;

/**
 * Who did something: the person's avatar and display name (the short peer ID when they have no
 * profile here), linking to their profile page.
 */
public class AuthorBadge extends HorizontalLayout {
  private static final long serialVersionUID = 1L;

  private final String peerId;
  private final String text;

  public AuthorBadge(WikiStore store, String peerId) {
    this.peerId = peerId;
    addClassName("dure-author-badge");
    setSpacing(false);
    getStyle().set("gap", "0.4em");
    setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    Optional<Profiles.Profile> profile = store.profiles().profile(peerId);
    boolean me = peerId.equals(store.identity().peerId());
    String name = profile.map(Profiles.Profile::displayName).orElse(Profiles.shortId(peerId));
    if (me) {
      text =
          profile.isPresent() && !profile.get().name().isBlank()
              ? getTranslation("social.badge.nameYou", name)
              : getTranslation("social.badge.you");
    } else {
      text = name;
    }
    Avatar avatar = new Avatar(name);
    avatar.addThemeName("xsmall");
    profile.flatMap(Profiles.Profile::avatar).ifPresent(a -> avatar.setImage(a.dataUrl()));
    Anchor link = new Anchor(ProfileView.href(peerId), text);
    link.addClassName("dure-author-name");
    link.getElement().setAttribute("title", peerId);
    add(avatar, link);
  }

  /** The peer shown. */
  public String peerId() {
    return peerId;
  }

  /** The name shown. */
  public String text() {
    return text;
  }
}
