package org.dure.ui.feed;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.RouterLink;
import org.dure.store.WikiStore;

/**
 * The bell in the header: how many notifications are unread, updated by server push as they arrive;
 * opens the notifications page.
 */
public class NotificationBell extends RouterLink {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final Span badge = new Span();
  private transient AutoCloseable registration;

  public NotificationBell(WikiStore store) {
    super("", NotificationsView.class);
    this.store = store;
    setId("notification-bell");
    addClassName("dure-bell");
    badge.setId("notification-count");
    badge.addClassName("dure-bell-count");
    add(VaadinIcon.BELL.create(), badge);
    refresh();
  }

  /** Shows the current unread count (hidden at zero). */
  public void refresh() {
    int n = store.mentions().unreadCount();
    badge.setText(n > 99 ? "99+" : Integer.toString(n));
    badge.setVisible(n > 0);
    getElement()
        .setAttribute(
            "aria-label",
            n == 0 ? getTranslation("feed.bell.none") : getTranslation("feed.bell.unread", n));
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    refresh();
    registration = store.mentions().addListener(n -> ui.access(this::refresh));
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (registration != null) {
      try {
        registration.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      registration = null;
    }
  }
}
