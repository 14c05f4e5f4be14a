package org.dure.net.dcutr;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NAT lab's failure under load, at the socket level on loopback: B (the inbound side of the
 * relayed connection, {@code x} here) had dialled A's address from its listen port and got no
 * answer, so its router may let A's punch SYN in before B's own SYN has left. B must then put its
 * SYN on the wire before it sends SYNC, not half a round trip after (the spec's timing, which a
 * slowed-down B overshoots). A is played by hand ({@code y}, answering CONNECT a second late, so
 * the spec's timing would dial 0.5 s after SYNC); A's address is a plain socket whose accept time
 * shows when B's SYN arrived. Without B's dial first, the SYN arrives about 0.5 s after SYNC.
 */
@Timeout(60)
class DialFirstTest {
  private static final Duration REPLY_DELAY = Duration.ofSeconds(1);

  @Test
  void bPutsItsSynOnTheWireBeforeSyncWhenItsRouterMayTrackAnOldOneOfItsOwn() throws Exception {
    DcutrConfig punch =
        DcutrConfig.defaults().withAllowPrivateAddresses(true).withDirectDialFirst(false);
    try (Host r = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        RelayService relay =
            new RelayService(
                    r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
                .start();
        Host x = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        Host y = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        RelayClient xRelay = new RelayClient(x).start();
        RelayClient yRelay = new RelayClient(y).start();
        ServerSocket aSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Multiaddr aAddr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + aSocket.getLocalPort());

      // B's earlier dial of A's address from its listen port: no answer (A's accept queue is
      // full, so its SYNs are dropped, as a home router drops an unsolicited SYN).
      List<SocketChannel> filling = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.connect(aSocket.getLocalSocketAddress());
        filling.add(ch);
        Thread.sleep(50);
      }
      CompletableFuture<?> earlier =
          x.dialHolePunch(aAddr.withPeerId(y.peerId()), false, Duration.ofMillis(1000), null);
      assertThrows(ExecutionException.class, () -> earlier.get(10, TimeUnit.SECONDS));
      Thread.sleep(1000); // the dial (same 1 s) has ended too
      assertTrue(x.mayHoldStaleMapping(aAddr.withPeerId(y.peerId())));
      for (SocketChannel ch : filling) {
        ch.close();
      }
      aSocket.setSoTimeout(200);
      try {
        while (true) {
          aSocket.accept().close(); // A's queue drained: it answers again
        }
      } catch (SocketTimeoutException drained) {
        // nothing queued any more
      }

      CompletableFuture<Long> synArrived = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  aSocket.setSoTimeout(20_000);
                  try (Socket s = aSocket.accept()) {
                    synArrived.complete(System.nanoTime());
                  }
                } catch (Exception e) {
                  synArrived.completeExceptionally(e);
                }
              });
      CompletableFuture<Long> syncRead = new CompletableFuture<>();
      y.setHandler(
          DcutrService.PROTOCOL,
          s -> {
            HolePunchMessage.read(s.inputStream()); // B's CONNECT
            try {
              Thread.sleep(REPLY_DELAY);
            } catch (InterruptedException e) {
              throw new InterruptedIOException();
            }
            HolePunchMessage.connect(List.of(aAddr)).write(s.outputStream());
            HolePunchMessage m = HolePunchMessage.read(s.inputStream());
            if (m != null && m.type() == HolePunchMessage.Type.SYNC) {
              syncRead.complete(System.nanoTime());
            }
            s.close();
          });

      try (DcutrService xPunch = new DcutrService(x, punch).start()) {
        xRelay.reserve(r.listenAddresses().get(0));
        y.dial(Multiaddr.parse(r.listenAddresses().get(0) + "/p2p-circuit").withPeerId(x.peerId()));
        long sync = syncRead.get(20, TimeUnit.SECONDS);
        long syn = synArrived.get(20, TimeUnit.SECONDS);
        long synAfterSyncMs = TimeUnit.NANOSECONDS.toMillis(syn - sync);
        assertTrue(
            synAfterSyncMs < 150,
            "B's SYN arrived " + synAfterSyncMs + " ms after A read SYNC: not dialled first");
      }
    }
  }
}
