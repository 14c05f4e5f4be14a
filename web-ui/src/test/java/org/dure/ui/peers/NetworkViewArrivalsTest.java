package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.dure.node.PeerNode;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

/** The Network page tells how a space that is arriving gets on, in English and Korean. */
class NetworkViewArrivalsTest extends ViewTestSupport {
  private static final PeerNode.Join ARRIVING =
      new PeerNode.Join(SpaceId.random(), "Village", 412, 1000, 85.0, Duration.ofSeconds(7), 3);
  private static final PeerNode.Join WAITING =
      new PeerNode.Join(SpaceId.random(), "Garden", 10, 2000, 0, null, 0);

  private List<String> lines() {
    return $(VerticalLayout.class)
        .id("arrivals")
        .getChildren()
        .filter(c -> c instanceof Span)
        .map(c -> ((Span) c).getText())
        .toList();
  }

  @Test
  void aSpaceArrivingShowsPagesRateTimeLeftAndMembers() {
    navigate(NetworkView.ROUTE, NetworkView.class);
    NetworkView view = $(NetworkView.class).single();
    assertFalse($(VerticalLayout.class).withId("arrivals").exists(), "nothing arriving");

    view.showArrivals(List.of(ARRIVING, WAITING));
    assertTrue($(VerticalLayout.class).id("arrivals").isVisible());
    assertEquals(
        List.of(
            "Village: 412 of 1,000 pages, 85 pages/s, about 7 s left, from 3 members at once",
            "Garden: 10 of 2,000 pages; waiting for a member who holds the rest to come online"),
        lines());

    useLanguage(Locale.KOREAN);
    navigate(NetworkView.ROUTE, NetworkView.class);
    $(NetworkView.class).single().showArrivals(List.of(ARRIVING));
    assertEquals(List.of("Village: 페이지 1,000개 중 412개, 초당 85개, 약 7초 남음, 구성원 3명에게서 동시에"), lines());
  }
}
