package org.dure.ui.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextField;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.social.Friends;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FriendsViewTest extends ViewTestSupport {
  private final String bob = Identity.ephemeral().peerId().toString();

  @BeforeEach
  void inEnglish() {
    UI.getCurrent().setLocale(Locale.ENGLISH);
  }

  @SuppressWarnings("unchecked")
  private Grid<Friends.Friend> grid() {
    return $(Grid.class).id("friend-list");
  }

  private String lastNotification() {
    return $(Notification.class).last().getElement().getProperty("text") == null
        ? test($(Notification.class).last()).getText()
        : $(Notification.class).last().getElement().getProperty("text");
  }

  @Test
  void aPastedPeerIdBecomesAFriendWithAPetname() {
    navigate(FriendsView.ROUTE, FriendsView.class);
    assertTrue($(Paragraph.class).id("friends-empty").isVisible());

    test($(TextField.class).id("friend-peer-id")).setValue("  " + bob + " ");
    test($(TextField.class).id("friend-petname")).setValue("Bob");
    test($(Button.class).id("friend-add")).click();

    Friends.Friend f = store.friends().find(PeerId.parse(bob)).orElseThrow();
    assertEquals("Bob", f.petname());
    assertEquals(1, test(grid()).size());
    assertFalse($(Paragraph.class).withId("friends-empty").exists(), "no longer says none");
    assertEquals("Not seen yet", test(grid()).getCellText(0, 2));
    assertEquals("", $(TextField.class).id("friend-peer-id").getValue(), "the form is cleared");

    store.friends().seen(PeerId.parse(bob), Instant.parse("2026-03-01T09:30:00Z"));
    navigate(FriendsView.ROUTE, FriendsView.class);
    assertTrue(test(grid()).getCellText(0, 2).startsWith("Last seen "), "a localized date");
  }

  @Test
  void somethingThatIsNotAPeerIdIsExplained() {
    navigate(FriendsView.ROUTE, FriendsView.class);
    test($(TextField.class).id("friend-peer-id")).setValue("hello");
    test($(Button.class).id("friend-add")).click();
    assertTrue(lastNotification().contains("12D3KooW"), lastNotification());
    assertEquals(List.of(), store.friends().list());

    test($(TextField.class).id("friend-peer-id")).setValue(store.identity().peerId().toString());
    test($(Button.class).id("friend-add")).click();
    assertTrue(lastNotification().contains("your own peer ID"), lastNotification());
  }

  @Test
  void aFriendCanBeRenamedAndRemoved() {
    store.friends().add(PeerId.parse(bob), "Bob");
    navigate(FriendsView.ROUTE, FriendsView.class);
    TextField name = (TextField) test(grid()).getCellComponent(0, 0);
    test(name).setValue("Robert");
    assertEquals("Robert", store.friends().find(PeerId.parse(bob)).orElseThrow().petname());

    Button remove = (Button) test(grid()).getCellComponent(0, 3);
    assertEquals("Remove", remove.getText());
    test(remove).click();
    assertEquals(List.of(), store.friends().list());
  }
}
