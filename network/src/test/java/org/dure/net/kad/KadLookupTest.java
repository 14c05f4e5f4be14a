package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

/** The lookup state machine driven step by step against an in-memory network, fake clock. */
class KadLookupTest {
  private static final PeerId SELF = KadTestPeers.peer(0);
  private static final List<Multiaddr> ADDR = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));

  /** 200 servers, each with a full routing table of all others (k = 20 per bucket). */
  private final List<PeerId> servers = KadTestPeers.peers(1, 200);

  private final Map<PeerId, RoutingTable> tables = new HashMap<>();

  KadLookupTest() {
    for (PeerId s : servers) {
      RoutingTable t = new RoutingTable(s, 20);
      for (PeerId o : servers) {
        t.add(o, ADDR, 0);
      }
      tables.put(s, t);
    }
  }

  private KadMessage answer(PeerId server, KadId target) {
    List<KadPeer> closer = new ArrayList<>();
    for (RoutingTable.Entry e : tables.get(server).closest(target, 20)) {
      closer.add(e.toKadPeer());
    }
    return KadMessage.findNode(new byte[] {1}).reply(closer, List.of());
  }

  private static List<KadPeer> seeds(List<PeerId> ids) {
    return ids.stream().map(p -> new KadPeer(p, ADDR)).toList();
  }

  @Test
  void convergesOnTheKClosestWithAtMostAlphaInFlight() {
    KadId target = KadId.of(KadTestPeers.peer(5000));
    KadLookup l =
        new KadLookup(
            target,
            null,
            SELF,
            KadLookup.Goal.CLOSEST,
            20,
            3,
            0,
            seeds(servers.subList(0, 3)),
            1000);
    long now = 0;
    while (!l.isDone()) {
      List<KadPeer> ask = l.next(now);
      assertTrue(l.inFlight() <= 3, "alpha respected");
      assertFalse(ask.isEmpty(), "a lookup that is not done has someone to ask");
      for (KadPeer p : ask) {
        l.onResponse(p.id(), answer(p.id(), target));
      }
      now += 10;
    }
    List<PeerId> expected = new ArrayList<>(servers);
    expected.sort(Comparator.comparing(KadId::of, target::compareDistance));
    assertEquals(expected.subList(0, 20), l.closestAnswered().stream().map(KadPeer::id).toList());
    assertTrue(l.depth() <= 4, "depth " + l.depth());
  }

  @Test
  void aPeerGoalStopsAsSoonAsTheTargetIsNamed() {
    PeerId wanted = servers.get(150);
    KadId target = KadId.of(wanted);
    KadLookup l =
        new KadLookup(
            target,
            wanted,
            SELF,
            KadLookup.Goal.PEER,
            20,
            3,
            0,
            seeds(servers.subList(0, 1)),
            1000);
    int rounds = 0;
    while (!l.isDone()) {
      for (KadPeer p : l.next(rounds)) {
        l.onResponse(p.id(), answer(p.id(), target));
      }
      rounds++;
    }
    assertNotNull(l.found());
    assertEquals(wanted, l.found().id());
    // Found within two rounds of three, long before a lookup that converges (about 20 asked).
    assertTrue(l.messagesSent() <= 6, "messages: " + l.messagesSent());
  }

  @Test
  void anUnansweredRequestFailsAfterItsTimeoutAndAnotherPeerIsAsked() {
    KadId target = KadId.of(KadTestPeers.peer(6000));
    List<PeerId> four = servers.subList(0, 4);
    KadLookup l =
        new KadLookup(target, null, SELF, KadLookup.Goal.CLOSEST, 20, 3, 0, seeds(four), 1000);
    List<KadPeer> first = l.next(0);
    assertEquals(3, first.size());
    assertEquals(List.of(), l.next(999), "nothing more while three are in flight");
    assertEquals(1000, l.nextTimeout());
    List<KadPeer> second = l.next(1000);
    assertEquals(1, second.size(), "the three timed out: the fourth is asked");
    assertTrue(four.contains(second.get(0).id()));
    assertFalse(first.contains(second.get(0)));
    // A late answer from a peer that timed out is ignored.
    l.onResponse(first.get(0).id(), answer(first.get(0).id(), target));
    assertTrue(l.closestAnswered().isEmpty());
  }

  @Test
  void endsWhenEveryoneFailed() {
    KadLookup l =
        new KadLookup(
            KadId.of(SELF),
            null,
            SELF,
            KadLookup.Goal.CLOSEST,
            20,
            3,
            0,
            seeds(servers.subList(0, 2)),
            1000);
    for (KadPeer p : l.next(0)) {
      l.onFailure(p.id());
    }
    assertTrue(l.isDone());
    assertTrue(l.closestAnswered().isEmpty());
  }

  @Test
  void providersGoalStopsWhenEnoughAreKnownAndIgnoresSelf() {
    byte[] key = KadKeys.peerKey(KadTestPeers.peer(77));
    KadLookup l =
        new KadLookup(
            KadId.of(key),
            null,
            SELF,
            KadLookup.Goal.PROVIDERS,
            20,
            3,
            2,
            seeds(List.of(servers.get(0), SELF)),
            1000);
    List<KadPeer> ask = l.next(0);
    assertEquals(1, ask.size(), "never asks itself");
    KadMessage reply =
        KadMessage.getProviders(key)
            .reply(
                List.of(),
                List.of(
                    new KadPeer(KadTestPeers.peer(300), ADDR),
                    new KadPeer(KadTestPeers.peer(301), ADDR)));
    l.onResponse(ask.get(0).id(), reply);
    assertTrue(l.isDone());
    assertEquals(2, l.providers().size());
  }

  @Test
  void aPeerGoalByProviderRecordAcceptsOnlyThatPeer() {
    PeerId wanted = KadTestPeers.peer(400);
    byte[] key = KadKeys.peerKey(wanted);
    KadLookup l =
        new KadLookup(
            KadId.of(key),
            wanted,
            SELF,
            KadLookup.Goal.PEER,
            20,
            3,
            1,
            seeds(servers.subList(0, 2)),
            1000);
    List<KadPeer> ask = l.next(0);
    l.onResponse(
        ask.get(0).id(),
        KadMessage.getProviders(key)
            .reply(List.of(), List.of(new KadPeer(KadTestPeers.peer(401), ADDR))));
    assertFalse(l.isDone(), "a provider that is someone else does not end the search");
    l.onResponse(
        ask.get(1).id(),
        KadMessage.getProviders(key).reply(List.of(), List.of(new KadPeer(wanted, ADDR))));
    assertTrue(l.isDone());
    assertEquals(wanted, l.found().id());
  }
}
