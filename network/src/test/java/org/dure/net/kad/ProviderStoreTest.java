package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
  private static final List<Multiaddr> ADDR = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
  private static final byte[] KEY = KadKeys.peerKey(KadTestPeers.peer(1));

  @Test
  void aRecordLivesFortyEightHours() {
    ProviderStore s = new ProviderStore(KadConfig.defaults());
    long t0 = 1_000_000;
    s.add(KEY, KadTestPeers.peer(2), ADDR, t0);
    long ttl = Duration.ofHours(48).toMillis();
    assertEquals(1, s.get(KEY, t0 + ttl - 1).size());
    assertEquals(0, s.get(KEY, t0 + ttl).size(), "expired records are not returned");
    assertEquals(1, s.expire(t0 + ttl));
    assertEquals(0, s.size());
    assertEquals(0, s.keys());
  }

  @Test
  void refreshingExtendsTheRecord() {
    ProviderStore s = new ProviderStore(KadConfig.defaults());
    long ttl = Duration.ofHours(48).toMillis();
    s.add(KEY, KadTestPeers.peer(2), ADDR, 0);
    s.add(KEY, KadTestPeers.peer(2), ADDR, ttl / 2);
    assertEquals(1, s.get(KEY, ttl).size());
    assertEquals(1, s.size());
  }

  @Test
  void boundedPerKeyAndInAll() {
    ProviderStore s = new ProviderStore(KadConfig.defaults().withProviderLimits(5, 3));
    for (int i = 0; i < 3; i++) {
      assertTrue(s.add(KEY, KadTestPeers.peer(10 + i), ADDR, 0));
    }
    assertFalse(s.add(KEY, KadTestPeers.peer(20), ADDR, 0), "per-key limit");
    assertTrue(s.add(KEY, KadTestPeers.peer(11), ADDR, 1), "a known provider may refresh");
    byte[] other = KadKeys.peerKey(KadTestPeers.peer(2));
    assertTrue(s.add(other, KadTestPeers.peer(30), ADDR, 0));
    assertTrue(s.add(other, KadTestPeers.peer(31), ADDR, 0));
    assertFalse(s.add(other, KadTestPeers.peer(32), ADDR, 0), "total limit");
    assertEquals(5, s.size());
    long ttl = Duration.ofHours(48).toMillis();
    assertTrue(s.add(other, KadTestPeers.peer(32), ADDR, ttl + 1), "room again once expired");
  }

  @Test
  void keepsAtMostEightAddresses() {
    ProviderStore s = new ProviderStore(KadConfig.defaults());
    List<Multiaddr> many =
        java.util.stream.IntStream.range(1, 20)
            .mapToObj(i -> Multiaddr.parse("/ip4/127.0.0.1/tcp/" + i))
            .toList();
    s.add(KEY, KadTestPeers.peer(2), many, 0);
    assertEquals(ProviderStore.MAX_ADDRESSES, s.get(KEY, 0).get(0).addresses().size());
  }
}
