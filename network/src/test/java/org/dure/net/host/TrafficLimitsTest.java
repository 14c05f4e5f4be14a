package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upload cap, byte counting and the per-peer stream limit, on real TCP hosts. */
@Timeout(60)
class TrafficLimitsTest {
  private static final String SINK = "/test/sink/1.0.0";
  private final List<Host> hosts = new ArrayList<>();
  private final AtomicLong sunk = new AtomicLong();

  private Host host(Host.Builder b) throws IOException {
    Host h = b.listen("/ip4/127.0.0.1/tcp/0").build();
    h.setHandler(
        SINK,
        s -> {
          InputStream in = s.inputStream();
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) > 0) {
            sunk.addAndGet(n);
          }
          s.outputStream().write(1); // received all
          s.close();
        });
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  private static void send(Connection c, int bytes) throws IOException {
    try (Stream s = c.newStream(SINK)) {
      byte[] chunk = new byte[64 * 1024];
      for (int done = 0; done < bytes; done += chunk.length) {
        s.outputStream().write(chunk, 0, Math.min(chunk.length, bytes - done));
      }
      s.closeWrite();
      assertEquals(1, s.inputStream().read());
    }
  }

  @Test
  void sustainedUploadMeasuresWithinFivePercentOfTheCap() throws Exception {
    long cap = 512 * 1024;
    Host a = host(Host.builder().uploadLimiter(new UploadLimiter(cap)));
    Host b = host(Host.builder());
    Host c = host(Host.builder());
    Connection ab = a.dial(b.listenAddresses().get(0));
    send(ab, 64 * 1024); // warm up: handshake and identify done, windows grown
    Connection ca = c.dial(a.listenAddresses().get(0));

    long before = a.traffic().of(b.peerId()).bytesOut();
    long start = System.nanoTime();
    CompletableFuture<Long> meanwhile =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Thread.sleep(1000);
                long t0 = System.nanoTime();
                send(ca, 1 << 20); // c uploads to a, uncapped: a's reads must not stall
                return System.nanoTime();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    send(ab, 4 << 20);
    long cappedEnd = System.nanoTime();
    double seconds = (cappedEnd - start) / 1e9;
    long wire = a.traffic().of(b.peerId()).bytesOut() - before;
    double rate = wire / seconds;
    assertTrue(wire >= 4 << 20, "counted " + wire + " bytes");
    assertTrue(
        Math.abs(rate - cap) <= cap * 0.05,
        "measured " + Math.round(rate) + " B/s against a cap of " + cap + " B/s");
    // a's reads go on while its upload is held to the cap: c's megabyte (sent 1 s in; a's window
    // updates and acknowledgement share the capped upload) is through before the capped 4 MiB.
    long readEnd = meanwhile.get(20, TimeUnit.SECONDS);
    assertTrue(
        readEnd < cappedEnd,
        "1 MiB to the capped host ended "
            + (readEnd - cappedEnd) / 1_000_000
            + " ms after the capped upload");
  }

  @Test
  void bytesAreCountedPerPeerBothWays() throws Exception {
    Host a = host(Host.builder());
    Host b = host(Host.builder());
    Connection ab = a.dial(b.listenAddresses().get(0));
    send(ab, 300_000);
    TrafficMeter.Counts ofB = a.traffic().of(b.peerId());
    assertTrue(ofB.bytesOut() >= 300_000, "out " + ofB.bytesOut());
    assertTrue(ofB.bytesIn() > 0);
    assertEquals(1, ofB.connections());
    // b read at least what a wrote before its last reply.
    assertTrue(b.traffic().of(a.peerId()).bytesIn() >= 300_000);
  }

  @Test
  void streamsOverThePerPeerLimitAreResetWhileOthersGoOn() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch hold = new CountDownLatch(1);
    Host b =
        host(
            Host.builder()
                .resourceLimits(
                    new ResourceLimits() {
                      @Override
                      public int maxInboundStreams(PeerId peer) {
                        return 2;
                      }

                      @Override
                      public void streamRefused(PeerId peer, int limit) {
                        refused.incrementAndGet();
                      }
                    }));
    b.setHandler(
        "/test/hold/1.0.0",
        s -> {
          try {
            hold.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          s.close();
        });
    Host a = host(Host.builder());
    Connection ab = a.dial(b.listenAddresses().get(0));
    ab.identified().get(5, TimeUnit.SECONDS);
    Stream s1 = ab.newStream("/test/hold/1.0.0");
    Stream s2 = ab.newStream("/test/hold/1.0.0");
    assertThrows(IOException.class, () -> ab.newStream("/test/hold/1.0.0"));
    assertEquals(1, refused.get());
    hold.countDown();
    s1.close();
    s2.close();
    // Once they are done, new streams are served again.
    long deadline = System.currentTimeMillis() + 5000;
    while (true) {
      try {
        send(ab, 1000);
        break;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}
