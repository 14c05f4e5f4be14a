package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new member joins a space that three members hold, all online (real hosts on 127.0.0.1, real
 * stores): the pages come from several of them at once and none comes twice (spec, "Several
 * sources").
 */
@Timeout(120)
class MultiSourceJoinTest {
  private static final long WAIT_MS = 60_000;
  private static final int PAGES = 240; // several windows of claims

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

  private static boolean holdsAll(WikiStore s, SpaceId space) {
    try {
      return s.pageCount(space) == PAGES;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isMember(WikiStore s, SpaceId space, PeerId peer) {
    try {
      return s.membership(space).roleOf(peer).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void aJoinerTakesTheSpaceFromEveryMemberOnlineAndEachDocumentOnce() throws Exception {
    SyncNode owner = node();
    SyncNode m1 = node();
    SyncNode m2 = node();
    SyncNode joiner = node();
    Space space = owner.store.createSpace("Village");
    SpaceId id = space.id();
    for (int i = 0; i < PAGES; i++) {
      owner.store.createPage(id, "Page " + i, "text of page " + i + "\n", Optional.empty());
    }
    owner.share(id, m1, Role.EDITOR);
    owner.share(id, m2, Role.EDITOR);
    m1.dial(owner);
    m2.dial(owner);
    await("both members hold the space", () -> holdsAll(m1.store, id) && holdsAll(m2.store, id));

    owner.share(id, joiner, Role.EDITOR);
    joiner.policy.accept(m1.id(), id);
    joiner.policy.accept(m2.id(), id);
    await(
        "both members know the joiner",
        () -> isMember(m1.store, id, joiner.id()) && isMember(m2.store, id, joiner.id()));

    // Which peer each document arrived from, whole (a snapshot's last part).
    Map<String, List<PeerId>> arrived = new ConcurrentHashMap<>();
    joiner.sync.addListener(
        new SyncListener() {
          @Override
          public void snapshotProgress(
              PeerId peer, String docId, boolean receiving, long done, long total) {
            if (receiving && done == total) {
              arrived.computeIfAbsent(docId, d -> Collections.synchronizedList(new ArrayList<>()));
              arrived.get(docId).add(peer);
            }
          }
        });
    joiner.dial(owner);
    joiner.dial(m1);
    joiner.dial(m2);
    await("the joiner holds every page", () -> holdsAll(joiner.store, id));

    for (PageSummary p : owner.store.pages(id, 0, PAGES)) {
      assertEquals(
          owner.store.page(p.id()).body(), joiner.store.page(p.id()).body(), "page " + p.title());
      List<PeerId> from = arrived.get(p.id().value());
      assertTrue(from != null && from.size() == 1, p.title() + " arrived once: " + from);
    }
    Set<PeerId> sources = ConcurrentHashMap.newKeySet();
    arrived.values().forEach(sources::addAll);
    assertTrue(sources.size() >= 2, "the pages came from several members, not only " + sources);
  }
}
