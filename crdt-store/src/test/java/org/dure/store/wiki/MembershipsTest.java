package org.dure.store.wiki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.StoreInternals;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.doc.Documents;
import org.junit.jupiter.api.Test;

/** The membership as the checks of peers' changes read it: a copy kept outside the lanes. */
class MembershipsTest {

  @Test
  void aMembershipIsReadWithoutWaitingOnItsLaneAndIsCurrentAfterEachChange() throws Exception {
    try (WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      SpaceId space = store.createSpace("Village").id();
      PeerId editor = Identity.ephemeral().peerId();
      store.addMember(space, editor, Role.EDITOR);
      Documents docs = StoreInternals.documents(store);
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // The membership's lane is busy (as when it applies a change from a peer)...
      Thread lane =
          Thread.ofVirtual()
              .start(
                  () ->
                      docs.withDocument(
                          Memberships.docId(space),
                          live -> {
                            busy.countDown();
                            try {
                              release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            return null;
                          }));
      try {
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        // ...and the checks on other lanes still read who belongs, and bans, at once.
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              assertEquals(Optional.of(Role.EDITOR), store.membership(space).roleOf(editor));
              assertFalse(store.moderation().isBanned(space, editor));
            });
      } finally {
        release.countDown();
        lane.join();
      }
      store.moderation().ban(space, editor, "spam");
      assertTrue(store.moderation().isBanned(space, editor));
      assertEquals(Optional.empty(), store.membership(space).roleOf(editor));
      assertEquals(Role.EDITOR, store.moderation().formerMembers(space).get(editor).role());
      store.moderation().unban(space, editor);
      assertFalse(store.moderation().isBanned(space, editor));
    }
  }
}
