package org.dure.net.relay;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A relayed dial gives up on a relay that does not answer after the connect timeout it was given,
 * not after the default 10 s. In the NAT lab, a reconnector's quick try (2 s per TCP connect) that
 * began while the network was away waited 10 s in the dial of the relay, and the reconnection after
 * the heal waited for it.
 */
@Timeout(60)
class RelayDialTimeoutTest {

  @Test
  void aRelayedDialGivesUpOnASilentRelayAfterItsConnectTimeout() throws Exception {
    // A relay whose SYNs go unanswered, on loopback: its accept queue is full and never drained,
    // so Linux drops further SYNs (as a router drops them during an outage).
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Host me = Host.builder().build().start();
        RelayClient client = new RelayClient(me).start()) {
      List<Socket> filling = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = new Socket();
          try {
            s.connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
                300);
            filling.add(s);
          } catch (IOException e) {
            s.close(); // the queue is full: the next SYN is dropped
            break;
          }
        }
        PeerId relay = new Identity(Identity.generateEd25519()).peerId();
        PeerId target = new Identity(Identity.generateEd25519()).peerId();
        Multiaddr address =
            Multiaddr.parse(
                "/ip4/127.0.0.1/tcp/"
                    + silent.getLocalPort()
                    + "/p2p/"
                    + relay
                    + "/p2p-circuit/p2p/"
                    + target);
        long t0 = System.nanoTime();
        assertThrows(IOException.class, () -> client.dial(address, Duration.ofMillis(500)));
        long took = System.nanoTime() - t0;
        assertTrue(
            took < Duration.ofSeconds(4).toNanos(),
            "gave up after " + took / 1_000_000 + " ms, not after the 10 s handshake timeout");
      } finally {
        for (Socket s : filling) {
          s.close();
        }
      }
    }
  }
}
