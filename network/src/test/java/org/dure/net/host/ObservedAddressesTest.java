package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ObservedAddressesTest {
  private static final Multiaddr OLD = Multiaddr.parse("/ip4/203.0.113.2/tcp/4001");
  private static final Multiaddr NEW = Multiaddr.parse("/ip4/203.0.113.12/tcp/4001");
  private static final Multiaddr V6 = Multiaddr.parse("/ip6/2001:db8::2/tcp/4001");

  private final ObservedAddresses observed = new ObservedAddresses();
  private final PeerId relay = new Identity(Identity.generateEd25519()).peerId();
  private final PeerId friend = new Identity(Identity.generateEd25519()).peerId();

  @Test
  void theAddressSeenByMostPeersComesFirst() {
    observed.record(relay, OLD);
    observed.record(friend, OLD);
    observed.record(new Identity(Identity.generateEd25519()).peerId(), NEW);
    assertEquals(List.of(OLD, NEW), observed.addresses());
    assertEquals(2, observed.observers(OLD));
  }

  /** The home router got a new public address: the old one must not outrank the new one. */
  @Test
  void anObserversNewReportReplacesItsOldOne() {
    observed.record(relay, OLD);
    observed.record(friend, OLD);
    observed.record(relay, NEW);
    assertEquals(1, observed.observers(OLD));
    assertEquals(1, observed.observers(NEW));
    assertEquals(NEW, observed.addresses().get(0), "the most recent first when equally seen");
    observed.record(friend, NEW);
    assertEquals(List.of(NEW), observed.addresses(), "nobody reports the old address any more");
  }

  @Test
  void anIpv6ReportLeavesTheIpv4OneAlone() {
    observed.record(relay, OLD);
    observed.record(relay, V6);
    assertEquals(1, observed.observers(OLD));
    assertEquals(1, observed.observers(V6));
  }
}
