package org.dure.ui.social;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.social.Profiles;

/**
 * Who did something: the person's avatar and display name (the short peer ID when they have no
 * profile here), linking to their profile page.
 */
public class AuthorBadge extends HorizontalLayout {
  private static final long serialVersionUID = 1L;

  private final PeerId peerId;
  private final String text;

  public AuthorBadge(WikiStore store, PeerId peerId) {
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
    link.getElement().setAttribute("title", peerId.toString());
    add(avatar, link);
  }

  /**
   * Adds the "verified" mark: the edit shown is proven to be this person's (their signature over it
   * checked, or made on this computer).
   */
  public AuthorBadge verified() {
    add(verifiedMark(this));
    return this;
  }

  /** The mark alone, for places that show an author's name without a badge. */
  public static Span verifiedMark(Component in) {
    Span mark = new Span("✓");
    mark.addClassName("dure-verified");
    mark.getElement().setAttribute("title", in.getTranslation("social.verified.help"));
    mark.getElement().setAttribute("aria-label", in.getTranslation("social.verified"));
    return mark;
  }

  /** Whether the badge carries the verified mark. */
  public boolean isVerified() {
    return getChildren().anyMatch(c -> c.hasClassName("dure-verified"));
  }

  /** The peer shown. */
  public PeerId peerId() {
    return peerId;
  }

  /** The name shown. */
  public String text() {
    return text;
  }
}
