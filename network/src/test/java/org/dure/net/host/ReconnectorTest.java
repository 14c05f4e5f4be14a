package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ReconnectorTest {

  private static Host host(String listen) throws Exception {
    Host.Builder b = Host.builder().identity(Identity.generateEd25519());
    if (listen != null) {
      b.listen(listen);
    }
    return b.build().start();
  }

  @Test
  void dialsWantedPeersThatAreNotConnectedAndBacksOffFromUnreachableOnes() throws Exception {
    try (Host friend = host("/ip4/127.0.0.1/tcp/0");
        Host me = host(null)) {
      PeerId gone = new Identity(Identity.generateEd25519()).peerId();
      me.peerStore()
          .addAddresses(friend.peerId(), List.of(friend.listenAddresses().get(0).withoutPeerId()));
      // A peer at an address where nobody listens.
      me.peerStore().addAddresses(gone, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
      try (Reconnector r =
          new Reconnector(me, () -> Set.of(friend.peerId(), gone), Duration.ofHours(1))) {
        assertNull(me.connectionManager().find(friend.peerId()));
        r.tick();
        assertNotNull(me.connectionManager().find(friend.peerId()), "connected to the friend");
        assertEquals(Reconnector.MIN_BACKOFF, r.backoffOf(gone));
        r.tick(); // too early to retry the unreachable peer: its back-off stays
        assertEquals(Reconnector.MIN_BACKOFF, r.backoffOf(gone));
        assertEquals(Duration.ZERO, r.backoffOf(friend.peerId()));
        assertTrue(me.connectionManager().count() >= 1);
      }
    }
  }
}
