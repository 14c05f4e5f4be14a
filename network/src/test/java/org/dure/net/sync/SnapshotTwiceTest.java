package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
 * A space's index that two sessions asked for arrives through both: the second copy finds it held
 * and that session still asks for the rest of the space. (The race behind {@link HolePunchSyncTest}
 * stalling now and then: the session on the relayed connection imported the index and was replaced
 * by the hole-punched one before it asked for more, while the new session had asked for the index
 * too and, when its copy came, did nothing more.)
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
  void aSessionWhoseSnapshotArrivedThroughAnotherAsksForTheRestOfTheSpace() throws Exception {
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
    Stream two = offer(second, joiner, space.id());
    sendIndex(two, owner, space.id());
    String members = org.dure.store.WikiStore.membershipDocId(space.id());
    assertEquals(members, nextNeed(two).docId(), "the importing session asks for the members");

    // The first session's copy comes after the other session imported it.
    sendIndex(one, owner, space.id());
    assertEquals(
        new SyncFrame.Need(members, space.id(), DocumentRef.Kind.MEMBERS),
        nextNeed(one),
        "the session whose copy was not needed any more still asks for the members");
  }
}
