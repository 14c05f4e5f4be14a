package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

/** The network page's "spaces arriving", from documents received whole, step by step in time. */
class JoinsTest {
  private static final long S = 1_000_000_000L;

  private final SpaceId village = SpaceId.random();
  private final Set<String> listed = new LinkedHashSet<>();
  private final Map<String, DocumentRef> held = new HashMap<>();

  private final Joins joins =
      new Joins(
          new Joins.Store() {
            @Override
            public Optional<DocumentRef> document(String docId) {
              return Optional.ofNullable(held.get(docId));
            }

            @Override
            public Set<String> listedPages(SpaceId space) {
              return space.equals(village) ? listed : Set.of();
            }

            @Override
            public String name(SpaceId space) {
              return "Village";
            }
          });

  private final List<String> ids =
      java.util.stream.Stream.generate(() -> SpaceId.random().value()).limit(100).toList();

  private String page(int i) {
    return ids.get(i);
  }

  private void arrive(String peer, int page, long at) {
    String id = page(page);
    held.put(id, new DocumentRef(id, DocumentRef.Kind.PAGE, village));
    joins.arrived(peer, id, at);
  }

  @Test
  void aJoinShowsPagesRateTimeLeftAndMembers() {
    for (int i = 0; i < 100; i++) {
      listed.add(page(i));
    }
    for (int i = 0; i < 40; i++) {
      arrive(i % 2 == 0 ? "A" : "B", i, 10 * S + i * (S / 10)); // 10 pages/s over 4 s
    }
    List<PeerNode.Join> now = joins.list(14 * S);
    assertEquals(1, now.size());
    PeerNode.Join j = now.get(0);
    assertEquals("Village", j.name());
    assertEquals(40, j.received());
    assertEquals(100, j.total());
    assertEquals(8.0, j.pagesPerSecond(), 0.01, "40 pages in the last 5 s");
    assertEquals(Duration.ofMillis(7_500), j.left(), "60 pages at 8 a second");
    assertEquals(2, j.members());
  }

  @Test
  void aStalledJoinWaitsAndAFinishedOneIsGone() {
    for (int i = 0; i < 10; i++) {
      listed.add(page(i));
    }
    arrive("A", 0, 0);
    assertEquals(1, joins.list(S).size());
    PeerNode.Join waiting = joins.list(30 * S).get(0);
    assertNull(waiting.left(), "nothing arrived for 30 s: no time left to tell");
    assertEquals(0, waiting.members());
    assertTrue(joins.list(62 * S).isEmpty(), "not shown a minute after the last page");

    arrive("A", 1, 70 * S);
    for (int i = 2; i < 10; i++) {
      arrive("B", i, 71 * S);
    }
    assertTrue(joins.list(72 * S).isEmpty(), "every listed page is here");
  }

  @Test
  void otherDocumentsDoNotCount() {
    listed.add(page(0));
    String profile = SpaceId.random().value();
    held.put(profile, new DocumentRef(profile, DocumentRef.Kind.PROFILE, village));
    joins.arrived("A", profile, 0);
    joins.arrived("A", SpaceId.random().value(), 0);
    assertTrue(joins.list(S).isEmpty());
  }
}
