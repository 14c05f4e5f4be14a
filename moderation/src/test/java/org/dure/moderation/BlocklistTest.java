package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocklistTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void aBlockedPeerCannotConnectInEitherDirectionUntilUnblocked() throws Exception {
    try (WikiStore a = WikiStore.open(dirA);
        WikiStore b = WikiStore.open(dirB)) {
      Blocklist list = new Blocklist(a);
      try (Host hostA =
              Host.builder()
                  .identity(a.identity().keyPair())
                  .gater(list)
                  .listen("/ip4/127.0.0.1/tcp/0")
                  .build()
                  .start();
          Host hostB =
              Host.builder()
                  .identity(b.identity().keyPair())
                  .listen("/ip4/127.0.0.1/tcp/0")
                  .build()
                  .start()) {
        PeerId peerB = b.identity().peerId();
        list.block(peerB, "testing");
        assertTrue(list.isBlocked(peerB));
        // B may finish its side of the handshake before A checks it: A then closes at once.
        try {
          Connection c = hostB.dial(hostA.listenAddresses().get(0));
          c.closeFuture().get(10, TimeUnit.SECONDS);
          assertFalse(c.isOpen());
        } catch (IOException refused) {
          // refused during the handshake: as good
        }
        assertThrows(IOException.class, () -> hostA.dial(hostB.listenAddresses().get(0)));
        assertTrue(hostA.connectionManager().connections().isEmpty());

        // The block is in the store: a new list (after a restart) still has it.
        assertTrue(new Blocklist(a).isBlocked(peerB));

        list.unblock(peerB);
        assertFalse(list.isBlocked(peerB));
        hostB.dial(hostA.listenAddresses().get(0)).close();
      }
    }
  }

  @Test
  void blocksTheStoreMadeItselfAreSeenAfterARefresh() throws Exception {
    try (WikiStore a = WikiStore.open(dirA)) {
      Blocklist list = new Blocklist(a);
      PeerId evil = PeerId.parse("12D3KooWEvi11111111111111111111111111111111111111111");
      a.blockPeer(evil, "crashed the node");
      assertFalse(list.isBlocked(evil));
      list.refresh();
      assertTrue(list.isBlocked(evil));
    }
  }
}
