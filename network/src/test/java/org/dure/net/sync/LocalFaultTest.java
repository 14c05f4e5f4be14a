package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.store.sync.NativeSandbox;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault of the receiving node itself (here its sandbox cannot run) is never counted against the
 * peer whose input it was taking: real hosts on 127.0.0.1, real stores.
 */
@Timeout(60)
class LocalFaultTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private SyncNode node(String name) throws Exception {
    SyncNode n = new SyncNode(dir.resolve(name), true);
    open.add(n);
    return n;
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(20), done);
  }

  @Test
  void aSandboxThatCannotRunEndsTheSessionWithoutPenaltyAndSyncResumesOnceItCan() throws Exception {
    SyncNode holder = node("holder");
    SyncNode victim = node("victim");
    Space space = holder.store.createSpace("Shared");
    PageSummary page = holder.store.createPage(space.id(), "P", "hello", Optional.empty());
    // The victim's sandbox process exits at once (as when its JVM cannot start): every snapshot
    // from the holder fails here, through no fault of the holder.
    victim
        .store
        .sync()
        .setSandbox(NativeSandbox.worker(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(10)));
    victim.sync.setLocalFaultRetry(Duration.ofMillis(200));
    List<String> ended = new CopyOnWriteArrayList<>();
    victim.sync.addListener(
        new SyncListener() {
          @Override
          public void sessionEnded(PeerId peer, String reason) {
            ended.add(reason);
          }
        });
    holder.share(space.id(), victim, Role.EDITOR);
    victim.dial(holder);
    await(
        "two sessions ended by the local fault",
        () -> ended.stream().filter(r -> r.startsWith("local fault")).count() >= 2);
    assertEquals(0, victim.sync.failures(holder.id()), ended.toString());
    assertFalse(victim.store.blockedPeers().containsKey(holder.id()));
    assertFalse(victim.store.sync().document(space.id().value()).isPresent());

    // Fixed: a later session on the same connection brings what failed before.
    victim.store.sync().setSandbox(NativeSandbox.childJvm());
    await(
        "the page arrives",
        () -> {
          try {
            return victim.store.page(page.id()).body().equals("hello");
          } catch (RuntimeException e) {
            return false;
          }
        });
    assertEquals(0, victim.sync.failures(holder.id()));
    assertTrue(victim.sync.hasSession(holder.id()));
  }
}
