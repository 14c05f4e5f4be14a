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

  private final ObservedAddresses observed = new ObservedAddresses();

  private static PeerId peer() {
    return Identity.ephemeral().peerId();
  }

  @Test
  void theAddressSeenByMostPeersComesFirstThenTheMostRecent() {
    PeerId relay = peer();
    observed.record(relay, OLD);
    observed.record(peer(), OLD);
    observed.record(peer(), NEW);
    assertEquals(List.of(OLD, NEW), observed.addresses());
    assertEquals(2, observed.observers(OLD));
    observed.record(relay, NEW);
    observed.record(peer(), NEW);
    assertEquals(List.of(NEW, OLD), observed.addresses());
  }
}
