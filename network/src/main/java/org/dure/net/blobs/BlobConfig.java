package org.dure.net.blobs;

import java.time.Duration;

/**
 * Limits of a {@link BlobService}, with defaults ({@link #defaults()}).
 *
 * @param window chunk requests outstanding per peer of a fetch (8: 2 MiB in flight per peer)
 * @param maxPeers peers one fetch asks at once
 * @param readTimeout how long a fetch waits for a peer's next answer before it gives that peer's
 *     chunks to the others; also how long a server waits for a stream's next request
 * @param reconnects how often a fetch opens a new stream to a peer whose stream broke (it resumes
 *     where it stopped)
 * @param reconnectDelay the pause before such a new stream
 * @param maxRequestsPerStream requests one stream may make of this server (then {@code BUSY})
 */
public record BlobConfig(
    int window,
    int maxPeers,
    Duration readTimeout,
    int reconnects,
    Duration reconnectDelay,
    int maxRequestsPerStream) {
  public BlobConfig {
    if (window < 1 || maxPeers < 1 || reconnects < 0 || maxRequestsPerStream < 1) {
      throw new IllegalArgumentException("Blob limits must be positive");
    }
    if (!readTimeout.isPositive() || reconnectDelay.isNegative()) {
      throw new IllegalArgumentException("invalid timeouts");
    }
  }

  public static BlobConfig defaults() {
    return new BlobConfig(8, 8, Duration.ofSeconds(30), 2, Duration.ofMillis(500), 100_000);
  }

  public BlobConfig withReadTimeout(Duration d) {
    return new BlobConfig(window, maxPeers, d, reconnects, reconnectDelay, maxRequestsPerStream);
  }

  public BlobConfig withWindow(int w) {
    return new BlobConfig(
        w, maxPeers, readTimeout, reconnects, reconnectDelay, maxRequestsPerStream);
  }
}
