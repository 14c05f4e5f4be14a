package org.dure.ui.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.browserless.internal.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.sync.AuthorPolicy;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.ui.HomeView;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotificationsViewTest extends ViewTestSupport {
  private final WikiStore friend =
      WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());

  @BeforeEach
  void inEnglish() {
    UI.getCurrent().setLocale(Locale.ENGLISH);
    store.sync().setSandbox(snapshot -> {});
  }

  @AfterEach
  void closeFriend() {
    friend.close();
  }

  /** A page the friend wrote, received here whole (as from a peer), scanned for mentions. */
  private PageSummary receive(Space s, String title, String body) throws Exception {
    PageSummary p = friend.createPage(s.id(), title, body, Optional.empty());
    for (DocumentRef ref : friend.sync().documents(s.id())) {
      if (store.sync().document(ref.id()).isEmpty()) {
        store
            .sync()
            .importSnapshot(
                friend.identity().peerId(),
                ref,
                friend.sync().snapshot(ref.id()),
                friend.sync().attestations(ref.id()),
                AuthorPolicy.ANY);
      }
    }
    store.mentions().scan(p.id(), Set.of());
    return p;
  }

  private String badge() {
    return $(Span.class).id("notification-count").getText();
  }

  @Test
  void mentionsAreListedNewestFirstAndMarkedReadWhenSeen() throws Exception {
    Space shared = friend.createSpace("Village");
    String me = store.identity().peerId().toString();
    receive(shared, "Well", "@" + me + " the well needs a rope");
    receive(shared, "Market", "Saturday: @" + me + " brings apples");

    navigate("", HomeView.class);
    assertEquals("2", badge(), "the bell counts unread mentions");

    navigate(NotificationsView.ROUTE, NotificationsView.class);
    List<Div> items = $(Div.class).withClassName("dure-notification").all();
    assertEquals(2, items.size());
    assertTrue(items.get(0).getElement().getTextRecursively().contains("Market"));
    assertTrue(items.get(0).getElement().getTextRecursively().contains("brings apples"));
    assertTrue(items.get(1).getElement().getTextRecursively().contains("needs a rope"));
    assertTrue(items.get(0).hasClassName("unread"), "new ones stand out while shown");
    assertEquals(0, store.mentions().unreadCount(), "seen now");
    assertFalse($(Span.class).withId("notification-count").exists(), "the badge is gone");
  }

  @Test
  void theBellUpdatesWhenAMentionArrives() throws Exception {
    navigate("", HomeView.class);
    assertFalse($(Span.class).withId("notification-count").exists());
    Space shared = friend.createSpace("Village");
    receive(shared, "Note", "hi @" + store.identity().peerId().toString());
    // The listener pushes through UI.access; the mocked UI runs pending access tasks here.
    MockVaadin.clientRoundtrip();
    assertEquals("1", badge());
  }
}
