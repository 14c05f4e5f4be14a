package org.dure.net.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dure.net.NetworkException;
import org.dure.net.StreamResetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class YamuxSessionTest {
  private static final int WINDOW = YamuxConfig.INITIAL_WINDOW;

  @Test
  void answersPingWithAckCarryingSameOpaque() {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      peer.send(YamuxFrame.ping(YamuxFrame.SYN, 0xCAFEL));
      assertEquals(YamuxFrame.ping(YamuxFrame.ACK, 0xCAFEL), peer.next());
    }
  }

  @Test
  void clientPingCompletesOnAck() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      var rtt = peer.session.ping();
      YamuxFrame syn = peer.next();
      assertEquals(YamuxFrame.PING, syn.type());
      peer.send(YamuxFrame.ping(YamuxFrame.ACK, syn.length()));
      assertTrue(rtt.get(1, TimeUnit.SECONDS).toNanos() >= 0);
    }
  }

  @Test
  void dialerOpensOddStreamsWithSyn() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      assertEquals(1, peer.session.openStream().id());
      assertEquals(3, peer.session.openStream().id());
      List<YamuxFrame> frames = peer.drain();
      assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0), frames.get(0));
      assertEquals(YamuxFrame.windowUpdate(3, YamuxFrame.SYN, 0), frames.get(1));
    }
  }

  @Test
  void inboundStreamIsAckedAndDeliversDataThenEof() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.data(1, YamuxFrame.SYN, new byte[] {1, 2, 3}));
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.FIN, 0));
      assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.ACK, 0), peer.next());
      YamuxStream s = peer.accepted.poll();
      assertArrayEquals(new byte[] {1, 2, 3}, s.inputStream().readAllBytes());
      s.closeWrite();
      assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.FIN, 0), peer.next());
      assertEquals(0, peer.session.streamCount());
    }
  }

  @Test
  void writerNeverExceedsRemoteWindow() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      YamuxStream s = peer.session.openStream();
      peer.drain();
      s.outputStream().write(new byte[WINDOW]);
      long sent = peer.drain().stream().mapToLong(YamuxFrame::length).sum();
      assertEquals(WINDOW, sent);
      assertEquals(0, s.sendWindow());
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      s.outputStream().write(new byte[1000]);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      Thread.sleep(200);
      assertTrue(writer.isAlive(), "writer must block while the window is exhausted");
      peer.send(YamuxFrame.windowUpdate(1, 0, 600));
      Thread.sleep(200);
      assertTrue(writer.isAlive());
      peer.send(YamuxFrame.windowUpdate(1, 0, 10_000));
      writer.join(5000);
      assertFalse(writer.isAlive());
      assertEquals(1000, peer.drain().stream().mapToLong(YamuxFrame::length).sum());
    }
  }

  @Test
  void receiveWindowGrowsWhenReaderKeepsUp() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      YamuxStream s = peer.accepted.poll();
      peer.drain();
      long credit = WINDOW;
      long total = 0;
      for (int round = 0; round < 40; round++) {
        int n = (int) Math.min(credit, 64 * 1024);
        peer.send(YamuxFrame.data(1, 0, new byte[n]));
        credit -= n;
        s.inputStream().readNBytes(n);
        total += n;
        for (YamuxFrame f : peer.drain()) {
          credit += f.length();
        }
      }
      assertTrue(
          s.receiveWindowMax() > WINDOW, "window should have grown: " + s.receiveWindowMax());
      assertTrue(s.receiveWindowMax() <= YamuxConfig.defaults().maxWindow());
      assertTrue(total > 0);
    }
  }

  @Test
  void dataBeyondWindowIsProtocolErrorAndClosesConnection() {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      peer.drain();
      peer.send(YamuxFrame.data(1, 0, new byte[WINDOW + 1]));
      assertEquals(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR), peer.next());
      assertFalse(peer.channel.isActive());
    }
  }

  @Test
  void synWithWrongParityIsProtocolError() {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(2, YamuxFrame.SYN, 0));
      assertEquals(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR), peer.next());
      assertFalse(peer.channel.isActive());
    }
  }

  @Test
  void duplicateSynIsProtocolError() {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      List<YamuxFrame> frames = peer.drain();
      assertEquals(
          YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR), frames.get(frames.size() - 1));
    }
  }

  @Test
  void streamsBeyondLimitAreResetNotFatal() {
    YamuxConfig cfg =
        YamuxConfig.defaults().withMaxStreams(2).withKeepAlive(java.time.Duration.ZERO);
    try (MockYamuxPeer peer = new MockYamuxPeer(false, cfg)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      peer.send(YamuxFrame.windowUpdate(3, YamuxFrame.SYN, 0));
      peer.send(YamuxFrame.windowUpdate(5, YamuxFrame.SYN, 0));
      List<YamuxFrame> frames = peer.drain();
      assertEquals(YamuxFrame.windowUpdate(5, YamuxFrame.RST, 0), frames.get(2));
      assertTrue(peer.channel.isActive());
      assertEquals(2, peer.accepted.size());
    }
  }

  @Test
  void rstOnAnyFrameTypeResetsStream() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      YamuxStream s = peer.accepted.poll();
      peer.send(YamuxFrame.data(1, YamuxFrame.RST, new byte[0]));
      assertThrows(StreamResetException.class, () -> s.inputStream().read());
      assertThrows(StreamResetException.class, () -> s.outputStream().write(1));
      assertEquals(0, peer.session.streamCount());
    }
  }

  @Test
  void goAwayStopsNewOutboundStreams() {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      peer.send(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
      assertThrows(NetworkException.class, peer.session::openStream);
    }
  }

  @Test
  void pingOnNonZeroStreamIsProtocolError() {
    try (MockYamuxPeer peer = new MockYamuxPeer(true)) {
      peer.send(
          new YamuxFrame(
              YamuxFrame.PING, YamuxFrame.SYN, 7, 1, io.netty.buffer.Unpooled.EMPTY_BUFFER));
      assertEquals(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR), peer.next());
    }
  }

  @Test
  void closedStreamIsResetIfRemoteNeverCloses() throws Exception {
    try (MockYamuxPeer peer = new MockYamuxPeer(false)) {
      peer.send(YamuxFrame.windowUpdate(1, YamuxFrame.SYN, 0));
      YamuxStream s = peer.accepted.poll();
      peer.drain();
      s.close();
      assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.FIN, 0), peer.next());
      assertEquals(1, peer.session.streamCount());
      peer.channel.advanceTimeBy(
          YamuxSession.STREAM_CLOSE_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.RST, 0), peer.next());
      assertEquals(0, peer.session.streamCount());
    }
  }

  @Test
  void keepAlivePingsAndClosesWhenUnanswered() {
    YamuxConfig cfg = YamuxConfig.defaults().withKeepAlive(java.time.Duration.ofSeconds(10));
    try (MockYamuxPeer peer = new MockYamuxPeer(true, cfg)) {
      peer.channel.advanceTimeBy(10_001, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      YamuxFrame ping = peer.next();
      assertEquals(YamuxFrame.PING, ping.type());
      assertEquals(YamuxFrame.SYN, ping.flags());
      peer.send(YamuxFrame.ping(YamuxFrame.ACK, ping.length()));
      peer.channel.advanceTimeBy(10_001, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      assertEquals(YamuxFrame.PING, peer.next().type());
      assertTrue(peer.channel.isActive(), "answered pings keep the connection");
      peer.channel.advanceTimeBy(cfg.pingTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      assertFalse(peer.channel.isActive(), "an unanswered ping closes the connection");
      assertTrue(peer.session.keepAliveFailed());
    }
  }

  @Test
  void aBusyConnectionWhosePingWaitsIsNotClosedWhileTheRemoteKeepsSending() {
    YamuxConfig cfg = YamuxConfig.defaults();
    try (MockYamuxPeer peer = new MockYamuxPeer(true, cfg)) {
      peer.send(YamuxFrame.windowUpdate(2, YamuxFrame.SYN, 0));
      peer.drain();
      for (int i = 0; i < 6; i++) {
        // A ping goes out every interval and none is answered (stuck behind our data, say), but
        // the remote's frames keep arriving: the connection is alive.
        peer.channel.advanceTimeBy(cfg.keepAliveInterval().toMillis(), TimeUnit.MILLISECONDS);
        peer.send(YamuxFrame.windowUpdate(2, 0, 1024));
        peer.channel.runScheduledPendingTasks();
        assertTrue(peer.channel.isActive(), "round " + i);
      }
      assertFalse(peer.session.keepAliveFailed());
      // Then the link dies silently: nothing arrives any more.
      peer.channel.advanceTimeBy(
          cfg.keepAliveInterval().plus(cfg.pingTimeout()).toMillis() + 1, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      peer.channel.advanceTimeBy(cfg.pingTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
      peer.channel.runScheduledPendingTasks();
      assertFalse(peer.channel.isActive(), "a silent connection is closed");
      assertTrue(peer.session.keepAliveFailed());
    }
  }

  @Test
  void defaultKeepAliveNoticesASilentDeathWithinTwentySeconds() {
    YamuxConfig cfg = YamuxConfig.defaults();
    assertTrue(
        cfg.keepAliveInterval().plus(cfg.pingTimeout()).compareTo(java.time.Duration.ofSeconds(20))
            < 0);
  }
}
