package org.dure.ui.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.RouterLink;
import java.util.Locale;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.moderation.ModerationRecords;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MutedPeersViewTest extends ViewTestSupport {
  private final String bob = Identity.ephemeral().peerId().toString();
  private final String eve = Identity.ephemeral().peerId().toString();

  @BeforeEach
  void inEnglish() {
    UI.getCurrent().setLocale(Locale.ENGLISH);
  }

  @SuppressWarnings("unchecked")
  private Grid<ModerationRecords.ListedPeer> grid(String id) {
    return $(Grid.class).id(id);
  }

  @Test
  void mutedAndBlockedPeersAreListedWithNameReasonAndTimeAndCanBeLetBack() {
    navigate(FriendsView.ROUTE, FriendsView.class);
    test($(RouterLink.class).id("muted-peers-link")).click();
    MutedPeersView view = (MutedPeersView) getCurrentView();
    assertTrue($(Paragraph.class).id("muted-empty").isVisible());
    assertTrue($(Paragraph.class).id("blocked-empty").isVisible());

    store.friends().add(PeerId.parse(bob), "Bob");
    view.node().mutes().mute(PeerId.parse(bob), "too loud");
    view.node().blocklist().block(PeerId.parse(eve), "spam");
    navigate(MutedPeersView.ROUTE, MutedPeersView.class);

    var muted = test(grid("muted-list"));
    assertEquals(1, muted.size());
    assertEquals("Bob", muted.getCellText(0, 0), "my petname for them");
    assertEquals("too loud", muted.getCellText(0, 2));
    assertFalse(muted.getCellText(0, 3).isBlank(), "since when");
    var blocked = test(grid("blocked-peers"));
    assertEquals(PeerId.parse(eve), blocked.getRow(0).peer());
    assertEquals("(no name known)", blocked.getCellText(0, 0));
    assertEquals("spam", blocked.getCellText(0, 2));

    Button unmute = (Button) muted.getCellComponent(0, 4);
    assertEquals("unmute-" + bob, unmute.getId().orElseThrow());
    test(unmute).click();
    assertFalse(view.node().mutes().isMuted(PeerId.parse(bob)));
    assertTrue($(Paragraph.class).id("muted-empty").isVisible());
    test((Button) blocked.getCellComponent(0, 4)).click();
    assertFalse(
        view.node().blocklist().isBlocked(PeerId.parse(eve)),
        "the connection gater lets them in again");
    assertTrue(store.blockedPeers().isEmpty());
    assertTrue($(Paragraph.class).id("blocked-empty").isVisible());
  }
}
