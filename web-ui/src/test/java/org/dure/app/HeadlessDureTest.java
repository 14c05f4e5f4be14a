package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.node.DureNode;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.social.Mentions;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --headless} runs the same node as the web application ({@link DureNode}): before they
 * shared it, only the web application watched for @mentions arriving from peers.
 */
class HeadlessDureTest {
  private static final List<String> LOOPBACK = List.of("/ip4/127.0.0.1/tcp/0");

  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void aHeadlessNodeIsNotifiedOfAMentionAPeerWrites() throws Exception {
    try (HeadlessDure headless = HeadlessDure.start(dirA, 0, LOOPBACK, false, null);
        DureNode friend = DureNode.open(dirB).p2pPort(0).listen(LOOPBACK).start()) {
      WikiStore a = headless.dure().store();
      WikiStore b = friend.store();
      assertEquals(1, a.spaces().size(), "a new data directory gets its first space");
      Space space = a.createSpace("Village");
      friend
          .peer()
          .acceptInvite(headless.node().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)));
      waitFor(
          () -> b.spaces().stream().anyMatch(s -> s.id().equals(space.id())),
          "the friend has the space");
      waitFor(() -> isMember(b, space), "the friend's membership arrived");

      String me = a.identity().peerId().toString();
      b.createPage(
          space.id(), "Harvest", "Rice and beans, thanks to @" + me + ".", Optional.empty());

      waitFor(() -> a.mentions().unreadCount() == 1, "the headless node raised a notification");
      Mentions.Notification n = a.mentions().list(0, 10).get(0);
      assertEquals("Harvest", n.title());
      assertEquals(Optional.of(Author.of(b.identity())), n.author());
      assertTrue(n.snippet().contains("@" + me), n.snippet());
    }
  }

  private static boolean isMember(WikiStore store, Space space) {
    try {
      return store.membership(space.id()).isMember(store.identity().peerId());
    } catch (RuntimeException e) {
      return false; // not here yet
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out: " + what);
      Thread.sleep(50);
    }
  }
}
