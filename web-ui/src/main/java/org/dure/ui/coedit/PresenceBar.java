package org.dure.ui.coedit;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import org.dure.node.PagePresence;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;

/**
 * Who else has the page open: while shown, this node announces that its user has the page open (to
 * the space's members only, never stored) and lists the members who said the same, by their profile
 * names, updated with server push.
 */
public class PresenceBar extends Span {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient PagePresence presence;
  private final SpaceId space;
  private final PageId page;
  private transient AutoCloseable opened;
  private transient AutoCloseable listener;

  public PresenceBar(WikiStore store, PagePresence presence, SpaceId space, PageId page) {
    this.store = store;
    this.presence = presence;
    this.space = space;
    this.page = page;
    setId("presence");
    addClassName("dure-muted");
    getElement().setAttribute("aria-live", "polite");
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    opened = presence.open(space, page);
    listener = presence.addListener(() -> ui.access(this::render));
    render();
  }

  @Override
  protected void onDetach(DetachEvent event) {
    close(listener);
    close(opened);
    listener = null;
    opened = null;
  }

  private void render() {
    List<String> names =
        presence.on(page).stream().map(p -> store.profiles().displayName(p)).sorted().toList();
    setText(
        names.isEmpty()
            ? getTranslation("coedit.presence.none")
            : getTranslation("coedit.presence.others", String.join(", ", names)));
  }

  private static void close(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
