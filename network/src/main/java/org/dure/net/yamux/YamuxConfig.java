package org.dure.net.yamux;

import java.time.Duration;

/**
 * Yamux limits with defaults.
 *
 * @param initialWindow per-stream receive window at stream start (spec: 256 KiB)
 * @param maxWindow largest per-stream receive window reached by auto-tuning
 * @param maxStreams concurrent streams per connection; an extra inbound stream is reset
 * @param keepAliveInterval interval between keep-alive pings; zero disables
 * @param pingTimeout a keep-alive ping not answered within this, while nothing else arrived from
 *     the remote either, closes the connection: a connection that died silently is noticed within
 *     {@code keepAliveInterval + pingTimeout} (15 s by default)
 * @param maxFrameData largest data frame body sent
 */
public record YamuxConfig(
    int initialWindow,
    int maxWindow,
    int maxStreams,
    Duration keepAliveInterval,
    Duration pingTimeout,
    int maxFrameData) {
  public static final int INITIAL_WINDOW = 256 * 1024;

  public YamuxConfig {
    if (initialWindow < INITIAL_WINDOW
        || maxWindow < initialWindow
        || maxStreams < 1
        || maxFrameData < 1) {
      throw new IllegalArgumentException("invalid yamux config");
    }
  }

  public static YamuxConfig defaults() {
    return new YamuxConfig(
        INITIAL_WINDOW,
        16 * 1024 * 1024,
        1024,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        64 * 1024);
  }

  public YamuxConfig withMaxStreams(int n) {
    return new YamuxConfig(
        initialWindow, maxWindow, n, keepAliveInterval, pingTimeout, maxFrameData);
  }

  public YamuxConfig withKeepAlive(Duration interval) {
    return new YamuxConfig(
        initialWindow, maxWindow, maxStreams, interval, pingTimeout, maxFrameData);
  }
}
