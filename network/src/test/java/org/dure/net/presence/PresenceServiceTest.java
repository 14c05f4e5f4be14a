package org.dure.net.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.Await;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence between real hosts over TCP, Noise and Yamux on loopback. */
class PresenceServiceTest {
  private final List<AutoCloseable> open = new ArrayList<>();
  private final SpaceId space = SpaceId.random();
  private final PageId page = PageId.random();

  /** A host whose members are whatever the test puts into its map. */
  private record Node(Host host, PresenceService presence, Map<PeerId, Set<SpaceId>> members) {}

  private Node node() throws Exception {
    Host h =
        Host.builder()
            .identity(Identity.ephemeral().keyPair())
            .listen("/ip4/127.0.0.1/tcp/0")
            .build()
            .start();
    open.add(h);
    Map<PeerId, Set<SpaceId>> members = new ConcurrentHashMap<>();
    PresenceService p = new PresenceService(h, peer -> members.getOrDefault(peer, Set.of()));
    open.add(p);
    return new Node(h, p.start(), members);
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(20), done);
  }

  @Test
  void aMemberSeesWhoOpensAndClosesAPage() throws Exception {
    Node a = node();
    Node b = node();
    a.members().put(b.host().peerId(), Set.of(space));
    b.members().put(a.host().peerId(), Set.of(space));
    b.host().dial(a.host().listenAddresses().get(0));

    AutoCloseable opened = b.presence().open(space, page);
    await("A sees B on the page", () -> a.presence().on(page).equals(Set.of(b.host().peerId())));
    opened.close();
    await("A sees B leave", () -> a.presence().on(page).isEmpty());
  }

  @Test
  void aPeerThatConnectsLaterIsToldAndADisconnectEndsIt() throws Exception {
    Node a = node();
    Node b = node();
    a.members().put(b.host().peerId(), Set.of(space));
    b.members().put(a.host().peerId(), Set.of(space));
    b.presence().open(space, page);
    Connection c = b.host().dial(a.host().listenAddresses().get(0));

    await("A sees B on the page", () -> a.presence().on(page).equals(Set.of(b.host().peerId())));
    c.close();
    await("A forgets B", () -> a.presence().on(page).isEmpty());
  }

  @Test
  void aNonMemberIsNeitherToldNorHeard() throws Exception {
    Node a = node();
    Node member = node();
    Node stranger = node();
    a.members().put(member.host().peerId(), Set.of(space));
    member.members().put(a.host().peerId(), Set.of(space));
    // The stranger believes A shares the space and announces; A does not count it a member.
    stranger.members().put(a.host().peerId(), Set.of(space));
    stranger.host().dial(a.host().listenAddresses().get(0));
    member.host().dial(a.host().listenAddresses().get(0));
    stranger.presence().open(space, page);
    member.presence().open(space, page);
    // A opens the page too: only the member is told.
    a.presence().open(space, page);

    await("A sees the member", () -> a.presence().on(page).contains(member.host().peerId()));
    await("the member sees A", () -> member.presence().on(page).contains(a.host().peerId()));
    Thread.sleep(300); // what the stranger sent had time to arrive
    assertEquals(Set.of(member.host().peerId()), a.presence().on(page));
    assertEquals(Set.of(), stranger.presence().on(page), "the stranger was not told");
  }

  @Test
  void aMalformedAnnouncementResetsItsStreamAndTheConnectionServesOn() throws Exception {
    Node a = node();
    Node b = node();
    a.members().put(b.host().peerId(), Set.of(space));
    b.members().put(a.host().peerId(), Set.of(space));
    Connection c = b.host().dial(a.host().listenAddresses().get(0));

    try (Stream s = c.newStream(PresenceCodec.PROTOCOL)) {
      byte[] bad = PresenceCodec.encode(new PresenceMessage(space, page, true, 50));
      bad[54] = (byte) 200; // ttl above 120
      s.writeMessage(bad);
      s.closeWrite();
      s.setReadTimeout(5_000);
      try {
        assertNull(s.readMessage(10));
      } catch (java.io.IOException reset) {
        // the reset, as the spec says
      }
    }
    assertEquals(Set.of(), a.presence().on(page));
    b.presence().open(space, page);
    await("A still hears B", () -> a.presence().on(page).equals(Set.of(b.host().peerId())));
  }
}
