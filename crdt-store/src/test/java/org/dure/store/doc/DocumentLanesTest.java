package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.automerge.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule of the lanes (concurrency.md): a lane task may wait on another lane only for a document
 * others wait on (a space's membership), and a task of such a document never waits on another lane.
 */
class DocumentLanesTest {
  /** Like a space's membership: every change's check reads it. */
  private static final DocumentKind MEMBERSHIP =
      new DocumentKind() {
        @Override
        public String key() {
          return "members";
        }

        @Override
        public boolean isWaitedOn() {
          return true;
        }
      };

  /** Like a page. */
  private static final DocumentKind PAGE = () -> "page";

  private DocumentLanes lanes;

  @BeforeEach
  void open() {
    lanes =
        new DocumentLanes(
            2,
            1L << 30,
            id ->
                new LiveDocument(
                    id, id.startsWith("m") ? MEMBERSHIP : PAGE, "space", new Document()));
  }

  @AfterEach
  void close() {
    lanes.close();
  }

  /** An id starting with {@code prefix} on lane {@code lane}. */
  private String idOn(String prefix, int lane) {
    for (int i = 0; ; i++) {
      String id = prefix + i;
      if (lanes.laneIndexOf(id) == lane) {
        return id;
      }
    }
  }

  @Test
  void aPageTaskWaitsOnTheMembershipOnAnotherLane() {
    String page = idOn("p", 0);
    String members = idOn("m", 1);
    String kind =
        lanes.withDocument(
            page, live -> lanes.withDocument(members, m -> m.kind().key() + " read"));
    assertEquals("members read", kind);
  }

  @Test
  void aMembershipTaskThatWaitsOnAnotherLaneFailsAtOnce() {
    String members = idOn("m", 0);
    String page = idOn("p", 1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> lanes.withDocument(members, m -> lanes.withDocument(page, p -> p.id())));
    assertTrue(e.getMessage().contains("never waits on another lane"), e.getMessage());
    // Also when the membership was reached inline from a page task on its own lane.
    String pageOnZero = idOn("p", 0);
    assertThrows(
        IllegalStateException.class,
        () ->
            lanes.withDocument(
                pageOnZero,
                p -> lanes.withDocument(members, m -> lanes.withDocument(page, q -> q.id()))));
    // And when it would create a document on another lane.
    assertThrows(
        IllegalStateException.class,
        () ->
            lanes.withDocument(
                members,
                m ->
                    lanes.create(
                        page,
                        () -> {
                          throw new AssertionError("never created");
                        },
                        x -> null)));
  }

  @Test
  void aLaneTaskWaitsOnNothingButAMembership() {
    String page = idOn("p", 0);
    String other = idOn("p", 1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> lanes.withDocument(page, p -> lanes.withDocument(other, q -> q.id())));
    assertTrue(e.getMessage().contains("waits only on documents others wait on"), e.getMessage());
  }

  @Test
  void onItsOwnLaneATaskUsesAnyDocumentWithoutWaiting() {
    String members = idOn("m", 0);
    String page = idOn("p", 0);
    assertEquals(lanes.laneIndexOf(members), lanes.laneIndexOf(page));
    assertEquals(page, lanes.withDocument(members, m -> lanes.withDocument(page, p -> p.id())));
    assertEquals(members, lanes.withDocument(page, p -> lanes.withDocument(members, m -> m.id())));
  }

  @Test
  void callersOutsideTheLanesUseAnyDocument() {
    String a = idOn("p", 0);
    String b = idOn("p", 1);
    assertNotEquals(lanes.laneIndexOf(a), lanes.laneIndexOf(b));
    assertEquals(a, lanes.withDocument(a, LiveDocument::id));
    assertEquals(b, lanes.withDocument(b, LiveDocument::id));
    // A refused wait leaves the lanes working.
    assertThrows(
        IllegalStateException.class,
        () -> lanes.withDocument(a, p -> lanes.withDocument(b, q -> 1)));
    assertEquals(b, lanes.withDocument(b, LiveDocument::id));
  }
}
