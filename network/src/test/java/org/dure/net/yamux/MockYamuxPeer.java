package org.dure.net.yamux;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A scripted Yamux peer in the style of OkHttp's MockHttp2Peer: the session under test runs in an
 * {@link EmbeddedChannel}; the script sends frames to it and the test inspects the frames it wrote.
 */
final class MockYamuxPeer implements AutoCloseable {
  final EmbeddedChannel channel;
  final YamuxSession session;
  final LinkedBlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();

  /**
   * @param client whether the session under test is the dialler
   */
  MockYamuxPeer(boolean client, YamuxConfig config) {
    session = new YamuxSession(client, config, accepted::add, "mock-peer");
    channel = new EmbeddedChannel(session);
  }

  MockYamuxPeer(boolean client) {
    this(client, YamuxConfig.defaults().withKeepAlive(java.time.Duration.ZERO));
  }

  /** Delivers a frame to the session. */
  void send(YamuxFrame frame) {
    channel.writeInbound(frame);
  }

  /** The next frame the session wrote. */
  YamuxFrame next() {
    channel.runPendingTasks();
    YamuxFrame f = channel.readOutbound();
    assertNotNull(f, "expected a frame from the session");
    return f;
  }

  /** All frames the session wrote so far. */
  List<YamuxFrame> drain() {
    channel.runPendingTasks();
    List<YamuxFrame> out = new ArrayList<>();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      out.add((YamuxFrame) o);
    }
    return out;
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
