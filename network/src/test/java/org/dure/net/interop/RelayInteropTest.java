package org.dure.net.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;
import org.dure.net.relay.Reservation;
import org.dure.net.tools.NetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Circuit relay v2 between Dure and js-libp2p 3 ({@code @libp2p/circuit-relay-v2}): a Java relay
 * serving a js target, and a js relay serving a Java target.
 */
@Tag("interop")
@Timeout(120)
class RelayInteropTest {
  private static final Duration T = Duration.ofSeconds(60);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void nodeInstalled() {
    if (Boolean.getBoolean("dure.skipInterop")) {
      assumeTrue(false, "interop disabled with -Ddure.skipInterop=true");
    }
    JsPeer.checkAvailable();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private Host host() throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build();
    h.setHandler(NetCommand.ECHO, NetCommand::echo);
    h.start();
    closeables.add(h);
    return h;
  }

  private RelayClient client(Host h) {
    RelayClient c = new RelayClient(h).start();
    closeables.add(0, c);
    return c;
  }

  private static final RelayPolicy ALLOW =
      RelayPolicy.allowingAll(new org.dure.net.host.UploadLimiter());

  private static byte[] echo(Connection c, byte[] payload) throws Exception {
    try (Stream s = c.newStream(JsPeer.ECHO_PROTOCOL)) {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  s.outputStream().write(payload);
                  s.closeWrite();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      byte[] back = s.inputStream().readAllBytes();
      writer.get(60, TimeUnit.SECONDS);
      return back;
    }
  }

  /** js reserves on a Java relay (listening on its /p2p-circuit address); Java dials it there. */
  @Test
  void javaRelayServesAJsTargetThatJavaDialsThroughIt() throws Exception {
    Host relay = host();
    closeables.add(0, new RelayService(relay, RelayConfig.defaults(), ALLOW).start());
    Host dialler = host();
    client(dialler);
    String circuit = relay.listenAddresses().get(0) + "/p2p-circuit";
    try (JsPeer js = JsPeer.listen("--listen-relay", circuit)) {
      String relayed = circuit + "/p2p/" + js.peerId();
      assertTrue(
          js.multiaddrs().contains(relayed),
          "js listens on its relayed address: " + js.multiaddrs());
      Connection c = dialler.dial(Multiaddr.parse(relayed));
      assertEquals(js.peerId(), c.remotePeer().toString());
      assertTrue(c.isRelayed());
      byte[] payload = new byte[50_000];
      new Random(3).nextBytes(payload);
      assertArrayEquals(payload, echo(c, payload));
      assertNotNull(c.identified().get(10, TimeUnit.SECONDS));
    }
  }

  /** Java reserves on a js relay; a js peer dials Java through it and echoes. */
  @Test
  void jsRelayServesAJavaTargetThatJsDialsThroughIt() throws Exception {
    Host target = host();
    RelayClient client = client(target);
    try (JsPeer jsRelay = JsPeer.listen("--relay-server")) {
      Reservation r = client.reserve(Multiaddr.parse(jsRelay.multiaddr()));
      assertTrue(r.expiry().isAfter(java.time.Instant.now()));
      assertTrue(
          r.addrs().stream().anyMatch(a -> a.toString().endsWith("/p2p/" + jsRelay.peerId())),
          "relay addresses: " + r.addrs());
      String relayed = jsRelay.multiaddr() + "/p2p-circuit/p2p/" + target.peerId();
      JsPeer.Result echo = JsPeer.run(T, "--relay-client", "echo", relayed, "50000");
      assertTrue(echo.ok(), echo::toString);
      assertTrue(echo.require("echo").bool("match"), echo::toString);
    }
  }
}
