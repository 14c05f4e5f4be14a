package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final PeerId SELF = KadTestPeers.peer(0);
  private static final List<Multiaddr> ADDR = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));

  @Test
  void aBucketHoldsAtMostKAndKeepsItsOldPeers() {
    RoutingTable t = new RoutingTable(SELF, 20);
    KadId self = KadId.of(SELF);
    List<PeerId> inBucket0 = new ArrayList<>();
    for (PeerId p : KadTestPeers.peers(1, 400)) {
      t.add(p, ADDR, 1);
      if (self.commonPrefixLength(KadId.of(p)) == 0) {
        inBucket0.add(p);
      }
    }
    assertTrue(inBucket0.size() > 20, "about half of random peers fall in bucket 0");
    assertEquals(20, t.bucketSize(0));
    for (PeerId p : inBucket0.subList(0, 20)) {
      assertTrue(t.contains(p), "the first 20 stay");
    }
    assertFalse(t.add(inBucket0.get(20), ADDR, 2), "a newcomer to a full bucket is refused");
    assertTrue(t.size() <= 256 * 20);
  }

  @Test
  void aFailingPeerMakesRoomAndTwoFailuresDropIt() {
    RoutingTable t = new RoutingTable(SELF, 2);
    KadId self = KadId.of(SELF);
    List<PeerId> bucket0 = new ArrayList<>();
    for (PeerId p : KadTestPeers.peers(1, 100)) {
      if (self.commonPrefixLength(KadId.of(p)) == 0) {
        bucket0.add(p);
      }
    }
    t.add(bucket0.get(0), ADDR, 1);
    t.add(bucket0.get(1), ADDR, 1);
    assertFalse(t.add(bucket0.get(2), ADDR, 2));
    t.failed(bucket0.get(1));
    assertTrue(t.add(bucket0.get(2), ADDR, 3), "replaces the peer that failed");
    assertFalse(t.contains(bucket0.get(1)));
    t.failed(bucket0.get(0));
    assertTrue(t.contains(bucket0.get(0)));
    t.failed(bucket0.get(0));
    assertFalse(t.contains(bucket0.get(0)), "dropped after two failures in a row");
  }

  @Test
  void seeingAPeerAgainClearsItsFailures() {
    RoutingTable t = new RoutingTable(SELF, 20);
    PeerId p = KadTestPeers.peer(5);
    t.add(p, ADDR, 1);
    t.failed(p);
    t.add(p, List.of(), 2);
    t.failed(p);
    assertTrue(t.contains(p));
    assertEquals(ADDR, t.get(p).addresses(), "no new addresses: the old ones are kept");
  }

  @Test
  void closestIsOrderedByXorDistance() {
    RoutingTable t = new RoutingTable(SELF, 20);
    List<PeerId> all = KadTestPeers.peers(1, 300);
    for (PeerId p : all) {
      t.add(p, ADDR, 1);
    }
    KadId target = KadId.of(KadTestPeers.peer(999));
    List<PeerId> inTable = t.peers();
    inTable.sort(Comparator.comparing(KadId::of, target::compareDistance));
    List<PeerId> got = t.closest(target, 20).stream().map(RoutingTable.Entry::peer).toList();
    assertEquals(inTable.subList(0, 20), got);
  }

  @Test
  void neverHoldsItself() {
    RoutingTable t = new RoutingTable(SELF, 20);
    assertFalse(t.add(SELF, ADDR, 1));
    assertEquals(0, t.size());
  }
}
