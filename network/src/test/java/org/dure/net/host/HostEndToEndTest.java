package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.PeerIdMismatchException;
import org.dure.net.StreamResetException;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multistream.MultistreamSelect;
import org.dure.net.tools.NetCommand;
import org.dure.net.transport.ConnectionUpgrader;
import org.dure.net.transport.UpgradeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HostEndToEndTest {
  private final List<Host> hosts = new ArrayList<>();

  private Host host() throws IOException {
    return host(Host.builder());
  }

  private Host host(Host.Builder b) throws IOException {
    Host h = b.listen("/ip4/127.0.0.1/tcp/0").build();
    h.setHandler(NetCommand.ECHO, NetCommand::echo);
    h.start();
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stopHosts() {
    hosts.forEach(Host::stop);
  }

  private static byte[] echo(Connection c, byte[] payload) throws Exception {
    try (Stream s = c.newStream(NetCommand.ECHO)) {
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
      writer.get(20, TimeUnit.SECONDS);
      return back;
    }
  }

  @Test
  void connectsAndPings() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    assertEquals(b.peerId(), c.remotePeer());
    assertTrue(c.usedEarlyMuxerNegotiation());
    Duration rtt = a.ping(c);
    assertTrue(rtt.toMillis() < 5000);
    assertTrue(c.yamuxPing().get(5, TimeUnit.SECONDS).toMillis() < 5000);
  }

  @Test
  void listenAddressEndsWithPeerId() throws Exception {
    Host a = host();
    Multiaddr addr = a.listenAddresses().get(0);
    assertEquals(a.peerId(), addr.peerId());
    assertTrue(addr.toString().startsWith("/ip4/127.0.0.1/tcp/"), addr.toString());
  }

  @Test
  void externalAddressesAreAdvertisedAfterTheListenAddresses() throws Exception {
    Host a = host();
    Host b = host();
    Multiaddr ext = Multiaddr.parse("/ip4/203.0.113.7/tcp/40001");
    b.setExternalAddresses(List.of(ext, ext));
    assertEquals(List.of(ext), b.externalAddresses());
    assertEquals(ext.withPeerId(b.peerId()), b.advertisedAddresses().get(1));
    Connection c = a.dial(b.listenAddresses().get(0));
    IdentifyMessage id = c.identified().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(b.listenAddresses().get(0).withoutPeerId(), ext), id.listenAddrs());
    assertTrue(a.peerStore().get(b.peerId()).orElseThrow().addresses().contains(ext));
  }

  @Test
  void identifyReportsProtocolsAddressesAgentAndKey() throws Exception {
    Host a = host();
    Host b = host(Host.builder().agentVersion("test-agent/1"));
    Connection c = a.dial(b.listenAddresses().get(0));
    IdentifyMessage id = c.identified().get(10, TimeUnit.SECONDS);
    assertEquals("test-agent/1", id.agentVersion());
    assertEquals("ipfs/0.1.0", id.protocolVersion());
    assertTrue(
        id.protocols()
            .containsAll(List.of(Host.IDENTIFY, Host.PING, NetCommand.ECHO, Host.IDENTIFY_PUSH)));
    assertEquals(List.of(b.listenAddresses().get(0).withoutPeerId()), id.listenAddrs());
    assertEquals(c.localAddress(), id.observedAddr());
    assertTrue(b.peerId().matches(LibP2pPublicKey.fromProtobuf(id.publicKey())));
    PeerStore.PeerRecord r = a.peerStore().get(b.peerId()).orElseThrow();
    assertEquals("test-agent/1", r.agentVersion());
    assertTrue(r.protocols().contains(NetCommand.ECHO));
    assertEquals(b.publicKey(), r.publicKey());
  }

  @Test
  void echoes16MiBByteExact() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    byte[] payload = TestPayload.generate(7, 16 * 1024 * 1024);
    byte[] back = echo(c, payload);
    assertEquals(payload.length, back.length);
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest(payload),
        MessageDigest.getInstance("SHA-256").digest(back));
  }

  @Test
  void serves100ConcurrentStreams() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int seed = i + 1;
        results.add(
            ex.submit(
                () -> {
                  byte[] p = TestPayload.generate(seed, 64 * 1024 + seed);
                  return java.util.Arrays.equals(p, echo(c, p));
                }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get(20, TimeUnit.SECONDS));
      }
    }
    assertEquals(1, a.connectionManager().count());
  }

  @Test
  void dialRejectsPeerWhoseKeyDoesNotMatchPeerId() throws Exception {
    Host a = host();
    Host b = host();
    PeerId other = new Identity(Identity.generateEd25519()).peerId();
    Multiaddr wrong = b.listenAddresses().get(0).withPeerId(other);
    PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class, () -> a.dial(wrong));
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
    assertEquals(0, a.connectionManager().count());
    // b keeps serving
    assertTrue(a.ping(a.dial(b.listenAddresses().get(0))).toMillis() < 5000);
  }

  @Test
  void identifyPushArrivesAfterHandlerIsAdded() throws Exception {
    Host a = host();
    Host b = host();
    CompletableFuture<IdentifyMessage> pushed = new CompletableFuture<>();
    a.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void identified(Connection connection, IdentifyMessage message, boolean push) {
            if (push && message.protocols().contains("/dure/new/1.0.0")) {
              pushed.complete(message);
            }
          }
        });
    Connection c = a.dial(b.listenAddresses().get(0));
    c.identified().get(10, TimeUnit.SECONDS);
    b.setHandler("/dure/new/1.0.0", Stream::close);
    pushed.get(10, TimeUnit.SECONDS);
    assertTrue(a.peerStore().get(b.peerId()).orElseThrow().protocols().contains("/dure/new/1.0.0"));
    CompletableFuture<IdentifyMessage> removed = new CompletableFuture<>();
    a.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void identified(Connection connection, IdentifyMessage message, boolean push) {
            if (push && !message.protocols().contains("/dure/new/1.0.0")) {
              removed.complete(message);
            }
          }
        });
    b.removeHandler("/dure/new/1.0.0");
    removed.get(10, TimeUnit.SECONDS);
    assertFalse(
        a.peerStore().get(b.peerId()).orElseThrow().protocols().contains("/dure/new/1.0.0"));
  }

  @Test
  void fallsBackToMultistreamWhenRemoteSendsNoMuxers() throws Exception {
    Host a = host(Host.builder().earlyMuxerNegotiation(false));
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    assertFalse(c.usedEarlyMuxerNegotiation());
    assertTrue(a.ping(c).toMillis() < 5000);
    Connection back = b.dial(a.listenAddresses().get(0));
    assertFalse(back.usedEarlyMuxerNegotiation());
    assertArrayEquals(new byte[] {1, 2, 3}, echo(back, new byte[] {1, 2, 3}));
  }

  @Test
  void unsupportedProtocolFailsOnlyThatStream() throws Exception {
    Host a = host();
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    assertThrows(
        MultistreamSelect.UnsupportedProtocolException.class, () -> c.newStream("/nope/1"));
    Stream s = c.newStream("/nope/1", NetCommand.ECHO);
    assertEquals(NetCommand.ECHO, s.protocol());
    s.close();
    assertTrue(c.isOpen());
  }

  @Test
  void resetStreamThrowsStreamResetOnRemote() throws Exception {
    Host a = host();
    Host b = host();
    CompletableFuture<Throwable> seen = new CompletableFuture<>();
    b.setHandler(
        "/dure/hold/1",
        s -> {
          try {
            s.inputStream().read();
            seen.complete(null);
          } catch (IOException e) {
            seen.complete(e);
          }
        });
    Connection c = a.dial(b.listenAddresses().get(0));
    Stream s = c.newStream("/dure/hold/1");
    s.reset();
    assertInstanceOf(StreamResetException.class, seen.get(5, TimeUnit.SECONDS));
    assertTrue(a.ping(c).toMillis() < 5000);
  }

  @Test
  void survivesRawGarbageSender() throws Exception {
    Host b =
        host(
            Host.builder()
                .limits(ConnectionLimits.defaults().withHandshakeTimeout(Duration.ofSeconds(2))));
    var sock = b.listenAddresses().get(0).toTcpSocketAddress();
    Random rnd = new Random(42);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Socket s = new Socket(sock.getAddress(), sock.getPort());
      sockets.add(s);
      byte[] junk = new byte[4096];
      rnd.nextBytes(junk);
      try {
        s.getOutputStream().write(junk);
      } catch (IOException e) {
        // already closed by the host: fine
      }
    }
    Host a = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    assertTrue(a.ping(c).toMillis() < 5000);
    for (Socket s : sockets) {
      s.setSoTimeout(5000);
      // the host closes the garbage connection: read reaches EOF or a reset
      try {
        while (s.getInputStream().read() >= 0) {}
      } catch (IOException expected) {
        // connection reset
      }
      s.close();
    }
    assertEquals(1, b.connectionManager().count());
  }

  @Test
  void survivesPeerSendingGarbageYamuxAfterHandshake() throws Exception {
    Host b = host();
    Host a = host();
    Connection good = a.dial(b.listenAddresses().get(0));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Identity evil = new Identity(Identity.generateEd25519());
      CompletableFuture<Channel> upgraded = new CompletableFuture<>();
      UpgradeListener listener =
          new UpgradeListener() {
            @Override
            public void onUpgraded(
                Channel ch, PeerId remotePeer, LibP2pPublicKey remoteKey, boolean earlyMuxer) {
              upgraded.complete(ch);
            }

            @Override
            public void onFailed(Channel ch, Throwable cause) {
              upgraded.completeExceptionally(cause);
            }
          };
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      c.pipeline()
                          .addLast(new ConnectionUpgrader(true, evil, b.peerId(), listener, true));
                    }
                  })
              .connect(b.listenAddresses().get(0).toTcpSocketAddress())
              .sync()
              .channel();
      upgraded.get(5, TimeUnit.SECONDS);
      byte[] junk = new byte[2000];
      new Random(7).nextBytes(junk);
      junk[0] = 1; // bad version
      ch.writeAndFlush(Unpooled.wrappedBuffer(junk)).sync();
      assertTrue(
          ch.closeFuture().await(5, TimeUnit.SECONDS), "host should close the bad connection");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    assertTrue(a.ping(good).toMillis() < 5000);
    assertArrayEquals(new byte[] {9}, echo(good, new byte[] {9}));
  }

  @Test
  void connectionLimitPerPeerIsEnforced() throws Exception {
    Host b = host(Host.builder().limits(ConnectionLimits.defaults().withMaxConnectionsPerPeer(1)));
    java.security.KeyPair key = Identity.generateEd25519();
    Host a = host(Host.builder().identity(key));
    a.dial(b.listenAddresses().get(0));
    // a second host with the same identity makes a second connection from the same peer
    Host a2 = host(Host.builder().identity(key));
    Connection second = a2.dial(b.listenAddresses().get(0));
    assertTrue(second.closeFuture().isDone() || waitClosed(second));
    assertEquals(1, b.connectionManager().count());
  }

  private static boolean waitClosed(Connection c) throws Exception {
    c.closeFuture().get(5, TimeUnit.SECONDS);
    return true;
  }

  @Test
  void gaterCanRefuseAPeerAfterHandshake() throws Exception {
    Host a = host();
    Host b =
        host(
            Host.builder()
                .gater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowSecured(Direction d, PeerId peer, Multiaddr addr) {
                        return !peer.equals(a.peerId());
                      }
                    }));
    Connection c;
    try {
      c = a.dial(b.listenAddresses().get(0));
    } catch (IOException e) {
      return; // refused during the handshake: fine
    }
    waitClosed(c);
    assertEquals(0, b.connectionManager().count());
  }

  @Test
  void peerStorePersistsAcrossRestarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("peers.txt");
    Host a = host(Host.builder().peerStoreFile(file));
    Host b = host();
    a.dial(b.listenAddresses().get(0)).identified().get(10, TimeUnit.SECONDS);
    a.stop();
    PeerStore loaded = PeerStore.load(file);
    PeerStore.PeerRecord r = loaded.get(b.peerId()).orElseThrow();
    assertEquals(b.publicKey(), r.publicKey());
    assertTrue(r.addresses().contains(b.listenAddresses().get(0).withoutPeerId()), r.toString());
    assertTrue(r.protocols().contains(NetCommand.ECHO));
    Host a2 = host(Host.builder().peerStoreFile(file));
    assertTrue(a2.ping(a2.connect(b.peerId())).toMillis() < 5000);
  }

  @Test
  void idleConnectionIsClosed() throws Exception {
    Host a =
        host(
            Host.builder()
                .limits(ConnectionLimits.defaults().withIdleTimeout(Duration.ofMillis(400))));
    Host b = host();
    Connection c = a.dial(b.listenAddresses().get(0));
    c.identified().get(10, TimeUnit.SECONDS);
    c.closeFuture().get(10, TimeUnit.SECONDS);
    assertEquals(0, a.connectionManager().count());
  }

  @Test
  void pendingHandshakesAreBounded() throws Exception {
    Host b =
        host(
            Host.builder()
                .limits(
                    ConnectionLimits.defaults()
                        .withMaxPendingHandshakes(2)
                        .withHandshakeTimeout(Duration.ofSeconds(3))));
    var sock = b.listenAddresses().get(0).toTcpSocketAddress();
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      silent.add(new Socket(sock.getAddress(), sock.getPort()));
    }
    Thread.sleep(200);
    try (Socket extra = new Socket(sock.getAddress(), sock.getPort())) {
      extra.setSoTimeout(3000);
      // refused at once: EOF (or reset) instead of the multistream header
      int first;
      try {
        first = extra.getInputStream().read();
      } catch (IOException reset) {
        first = -1;
      }
      assertEquals(-1, first);
    }
    for (Socket s : silent) {
      s.close();
    }
    Thread.sleep(200);
    Host a = host();
    assertTrue(a.ping(a.dial(b.listenAddresses().get(0))).toMillis() < 5000);
  }

  @Test
  void wildcardListenAddressIsExpandedToInterfaces() throws Exception {
    Host w = Host.builder().listen("/ip4/0.0.0.0/tcp/0").build().start();
    hosts.add(w);
    List<Multiaddr> addrs = w.listenAddresses();
    assertFalse(addrs.isEmpty());
    assertTrue(
        addrs.stream().noneMatch(m -> m.toString().startsWith("/ip4/0.0.0.0")), addrs.toString());
    assertTrue(
        addrs.stream().anyMatch(m -> m.toString().startsWith("/ip4/127.0.0.1/")), addrs.toString());
    Host a = host();
    assertTrue(
        a.ping(
                    a.dial(
                        addrs.stream()
                            .filter(m -> m.toString().startsWith("/ip4/127."))
                            .findFirst()
                            .orElseThrow()))
                .toMillis()
            < 5000);
  }

  @Test
  void silentPeerIsDroppedAfterHandshakeTimeout() throws Exception {
    Host b =
        host(
            Host.builder()
                .limits(ConnectionLimits.defaults().withHandshakeTimeout(Duration.ofMillis(500))));
    var sock = b.listenAddresses().get(0).toTcpSocketAddress();
    try (Socket s = new Socket(sock.getAddress(), sock.getPort())) {
      s.setSoTimeout(5000);
      long start = System.nanoTime();
      try {
        while (s.getInputStream().read() >= 0) {}
      } catch (IOException reset) {
        // closed by the host
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 300 && ms < 4000, "closed after " + ms + " ms");
    }
  }

  @Test
  void lengthPrefixedMessagesRoundTripAndOversizedOnesAreRejected() throws Exception {
    Host a = host();
    Host b = host();
    b.setHandler(
        "/dure/msg/1",
        s -> {
          byte[] m;
          while ((m = s.readMessage(1024)) != null) {
            s.writeMessage(m);
          }
          s.close();
        });
    Connection c = a.dial(b.listenAddresses().get(0));
    try (Stream s = c.newStream("/dure/msg/1")) {
      s.writeMessage(new byte[] {1, 2, 3});
      s.writeMessage(new byte[0]);
      assertArrayEquals(new byte[] {1, 2, 3}, s.readMessage(16));
      assertArrayEquals(new byte[0], s.readMessage(16));
      s.writeMessage(new byte[2000]); // the handler refuses it and resets the stream
      assertThrows(StreamResetException.class, () -> s.readMessage(16));
    }
    assertTrue(c.isOpen());
  }

  @Test
  void gaterIsConsultedBeforeDiallingAndAccepting() throws Exception {
    Host refusing =
        host(
            Host.builder()
                .gater(
                    new ConnectionGater() {
                      @Override
                      public boolean allowAccept(Multiaddr remote) {
                        return false;
                      }

                      @Override
                      public boolean allowDial(PeerId peer, Multiaddr address) {
                        return false;
                      }
                    }));
    Host other = host();
    IOException dial =
        assertThrows(IOException.class, () -> refusing.dial(other.listenAddresses().get(0)));
    assertTrue(dial.getMessage().contains("denied by gater"), dial.getMessage());
    assertThrows(IOException.class, () -> other.dial(refusing.listenAddresses().get(0)));
    assertEquals(0, refusing.connectionManager().count());
  }

  @Test
  void identifyStaysWithin8KiBWithManyProtocols() throws Exception {
    Host b = host();
    for (int i = 0; i < 300; i++) {
      b.setHandler("/dure/a-rather-long-protocol-name/" + i + "/1.0.0", Stream::close);
    }
    Host a = host();
    IdentifyMessage id = a.dial(b.listenAddresses().get(0)).identified().get(10, TimeUnit.SECONDS);
    assertTrue(id.encode().length <= IdentifyMessage.MAX_SIZE);
    assertTrue(id.protocols().contains(Host.IDENTIFY));
    assertTrue(id.protocols().size() > 100);
    assertThrows(IllegalArgumentException.class, () -> b.setHandler("/x\n", Stream::close));
    assertThrows(
        IllegalArgumentException.class, () -> b.setHandler("/" + "x".repeat(2000), Stream::close));
  }
}
