package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space offered by two peers at once is asked of one of them at a time (spec, "Several sources"),
 * and what the session that was asked ended with unanswered is asked of the other. (The race behind
 * {@link HolePunchSyncTest} stalling now and then was of this kind: the session on the relayed
 * connection imported the index and was replaced by the hole-punched one, which had to ask for the
 * rest of the space itself.)
 */
@Timeout(60)
class SnapshotTwiceTest {
  private static final long WAIT_MS = 10_000;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private Host rawHost() throws IOException {
    Host h =
        Host.builder()
            .identity(Identity.ephemeral().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    open.add(h);
    return h;
  }

  /** Opens a sync stream offering {@code space} and reads up to the joiner's NEED of its index. */
  private static Stream offer(Host from, SyncNode joiner, SpaceId space) throws IOException {
    Stream s = StrangersTest.openSession(from.dial(joiner.address()), List.of(space));
    s.setReadTimeout(WAIT_MS);
    assertEquals(
        new SyncFrame.Need(space.value(), space, DocumentRef.Kind.SPACE), nextNeed(s), "the ask");
    return s;
  }

  private static SyncFrame.Need nextNeed(Stream s) throws IOException {
    SyncFrame f;
    do {
      f = SyncFrameCodec.read(s.inputStream());
    } while (f != null && !(f instanceof SyncFrame.Need));
    return assertInstanceOf(SyncFrame.Need.class, f, "the stream ended without a NEED");
  }

  /** Relays the owner's signed index: its attestations, then the snapshot in one chunk. */
  private static void sendIndex(Stream s, SyncNode owner, SpaceId space) throws IOException {
    byte[] snapshot = owner.store.sync().snapshot(space.value());
    StrangersTest.send(
        s, new SyncFrame.Attest(space.value(), owner.store.sync().attestations(space.value())));
    StrangersTest.send(
        s,
        new SyncFrame.Snapshot(
            space.value(), space, DocumentRef.Kind.SPACE, snapshot.length, 0, snapshot));
  }

  @Test
  void whatASessionEndedWithUnansweredIsAskedOfTheOtherPeer() throws Exception {
    SyncNode owner = new SyncNode(dir.resolve("owner"), false);
    open.add(owner);
    SyncNode joiner = new SyncNode(dir.resolve("joiner"), false);
    open.add(joiner);
    Space space = owner.store.createSpace("Shared");
    owner.store.createPage(space.id(), "Plan", "the plan", Optional.empty());
    owner.store.addMember(space.id(), joiner.id(), Role.EDITOR);
    Host first = rawHost();
    Host second = rawHost();
    joiner.policy.accept(first.peerId(), space.id());
    joiner.policy.accept(second.peerId(), space.id());

    Stream one = offer(first, joiner, space.id());
    sendIndex(one, owner, space.id());
    String members = org.dure.store.WikiStore.membershipDocId(space.id());
    assertEquals(members, nextNeed(one).docId(), "the importing session asks for the members");
    nextNeed(one); // the moderation document
    nextNeed(one); // the page: the first session now holds every claim

    // A second peer offers the space: its session stands back from what the first is asking for.
    Stream two = StrangersTest.openSession(second.dial(joiner.address()), List.of(space.id()));
    two.setReadTimeout(WAIT_MS);
    // The first session ends (as a relayed connection gives way to a direct one) before the
    // members arrive: the other session asks its peer for them.
    one.reset();
    List<SyncFrame.Need> asked = new ArrayList<>();
    while (asked.size() < 3 && !asked.stream().anyMatch(n -> n.docId().equals(members))) {
      asked.add(nextNeed(two)); // the first session's other claims come free too, in any order
    }
    assertTrue(
        asked.contains(new SyncFrame.Need(members, space.id(), DocumentRef.Kind.MEMBERS)),
        "the other session asks for what the first was asking for when it ended: " + asked);
  }
}
