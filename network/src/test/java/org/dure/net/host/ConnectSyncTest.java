package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

/**
 * Several parts of a node asking for the same peer at once share one dial. In the NAT lab a
 * restarted peer was asked for by each side's reconnector, AutoRelay and the user's {@code connect}
 * at the same moment: each opened its own relayed connection, the four of them filled the per-peer
 * connection limit on both sides, and the direct connection the hole punch then made was refused.
 */
class ConnectSyncTest {

  @Test
  void connectsToOnePeerAtOnceShareOneConnection() throws Exception {
    try (Host server =
            Host.builder()
                .identity(Identity.generateEd25519())
                .listen("/ip4/127.0.0.1/tcp/0")
                .build()
                .start();
        Host client = Host.builder().identity(Identity.generateEd25519()).build().start()) {
      PeerId peer = server.peerId();
      List<Multiaddr> at = new ArrayList<>();
      for (Multiaddr a : server.listenAddresses()) {
        at.add(a.withoutPeerId());
      }
      client.peerStore().addAddresses(peer, at);
      int callers = 6; // more than the per-peer limit (4): without sharing, some would fail too
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Connection>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          calls.add(
              pool.submit(
                  () -> {
                    go.await();
                    return client.connect(peer);
                  }));
        }
        go.countDown();
        Connection first = calls.get(0).get();
        for (Future<Connection> call : calls) {
          assertSame(first, call.get(), "every caller got the one connection");
        }
        assertEquals(1, client.connectionManager().connections(peer).size());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
