package org.dure.ui.feed;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.List;
import org.dure.store.WikiStore;
import org.dure.store.social.Mentions;
import org.dure.ui.base.Links;

/**
 * Notifications: where someone mentioned me, newest first. Opening the page marks them read (the
 * ones unread until now stay highlighted while it is open).
 */
@Route(NotificationsView.ROUTE)
public class NotificationsView extends VerticalLayout implements HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "notifications";

  /** Notifications shown, at most. */
  static final int SHOWN = 200;

  /** Builds the list and marks everything read. */
  public NotificationsView(WikiStore store) {
    setId("notifications-view");
    add(new H1(getTranslation("feed.notifications.title")));
    List<Mentions.Notification> all = store.mentions().list(0, SHOWN);
    if (all.isEmpty()) {
      Paragraph none = new Paragraph(getTranslation("feed.notifications.empty"));
      none.setId("notifications-empty");
      add(none);
    }
    Div list = new Div();
    list.setId("notification-list");
    for (Mentions.Notification n : all) {
      Div item = new Div();
      item.addClassName("dure-notification");
      if (!n.read()) {
        item.addClassName("unread");
      }
      String who = FeedUi.authorName(this, store, n.author(), n.claimed());
      Anchor page = new Anchor(Links.pageHref(n.page()), n.title());
      Span when = new Span(FeedUi.time(n.time(), getLocale()));
      when.addClassName("dure-muted");
      Div head =
          new Div(
              new Span(getTranslation("feed.notifications.mentioned", who) + " "),
              page,
              new Span(" · "),
              when);
      Div snippet = new Div(new Span(n.snippet()));
      snippet.addClassName("dure-notification-snippet");
      item.add(head, snippet);
      list.add(item);
    }
    add(list);
    store.mentions().markAllRead();
  }

  @Override
  public String getPageTitle() {
    return getTranslation("feed.notifications.title") + " · Dure";
  }
}
