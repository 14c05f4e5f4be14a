package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.net.host.Connection;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Profiles and comments replicating over {@code /dure/sync/1.0.0} between real nodes. */
@Timeout(60)
class SocialSyncTest {
  private static final long WAIT_MS = 10_000;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nodes;

  private SyncNode node() throws IOException {
    SyncNode n = new SyncNode(dir.resolve("node" + nodes++), false);
    open.add(n);
    return n;
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofMillis(WAIT_MS), done);
  }

  private static String name(WikiStore s, PeerId peer) {
    return s.profiles().profile(peer).map(Profiles.Profile::name).orElse("");
  }

  private static List<String> bodies(WikiStore s, PageId page) {
    try {
      return s.comments().thread(page).stream().map(e -> e.comment().body()).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Test
  void membersGetEachOthersProfilesAndAPagesCommentsLiveAndAfterTimeApart() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    SyncNode c = node();
    Space space = a.store.createSpace("Village");
    PageId page = a.store.createPage(space.id(), "Harvest", "text", Optional.empty()).id();
    a.store.profiles().save("Ana", "Keeps bees", Optional.empty());
    Comments.Comment first = a.store.comments().add(page, "Who brings the cart?");
    b.store.profiles().save("Bo", "", Optional.empty());
    a.share(space.id(), b, Role.EDITOR);

    c.dial(a); // not a member
    b.dial(a);
    await("B has A's profile", () -> name(b.store, a.id()).equals("Ana"));
    await("B has the comment", () -> bodies(b.store, page).equals(List.of(first.body())));
    await("A has B's profile", () -> name(a.store, b.id()).equals("Bo"));

    // Live, both ways.
    b.store.comments().reply(page, first.id(), "I do");
    await("B's reply reaches A", () -> bodies(a.store, page).contains("I do"));
    a.store.profiles().save("Ana K.", "Keeps bees", Optional.empty());
    await("A's new name reaches B", () -> name(b.store, a.id()).equals("Ana K."));

    // Apart: both comment, B renames itself.
    for (Connection conn : b.host.connectionManager().connections(a.id())) {
      conn.close();
    }
    await("sessions ended", () -> !a.sync.hasSession(b.id()) && !b.sync.hasSession(a.id()));
    a.store.comments().add(page, "from A, apart");
    b.store.comments().add(page, "from B, apart");
    b.store.profiles().save("Bo B.", "", Optional.empty());
    b.dial(a);
    await(
        "the threads converge",
        () ->
            bodies(a.store, page).size() == 4
                && bodies(a.store, page).equals(bodies(b.store, page)));
    assertTrue(bodies(a.store, page).containsAll(List.of("from A, apart", "from B, apart")));
    await("B's new name reaches A", () -> name(a.store, b.id()).equals("Bo B."));

    // The non-member heard nothing of it.
    assertTrue(c.store.profiles().profile(a.id()).isEmpty());
    assertTrue(c.store.sync().document(Comments.docId(page)).isEmpty());
    assertEquals(0, a.sync.failures(b.id()) + a.sync.failures(c.id()));
  }

  @Test
  void aReadersProfileAndCommentsDocumentAreNotTaken() throws Exception {
    SyncNode a = node();
    SyncNode b = node();
    Space space = a.store.createSpace("Read only");
    PageId page = a.store.createPage(space.id(), "Notice", "text", Optional.empty()).id();
    b.store.profiles().save("Reader", "", Optional.empty());
    a.share(space.id(), b, Role.READER);
    b.dial(a);
    await("B has the page", () -> b.store.sync().document(page.value()).isPresent());
    String readerProfile = Profiles.docId(space.id(), b.id());
    await(
        "B wrote its profile into the space",
        () -> b.store.sync().document(readerProfile).isPresent());
    // Something after it, to know B's offer of its profile has been heard.
    a.store.comments().add(page, "marker");
    await("the marker reaches B", () -> bodies(b.store, page).contains("marker"));
    a.store.comments().add(page, "second marker");
    await("the second marker reaches B", () -> bodies(b.store, page).contains("second marker"));
    assertTrue(
        a.store.sync().document(readerProfile).isEmpty(), "a reader's document is not taken");
    assertTrue(a.store.profiles().profile(b.id()).isEmpty());
  }
}
