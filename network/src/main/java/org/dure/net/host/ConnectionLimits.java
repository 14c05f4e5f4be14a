package org.dure.net.host;

import java.time.Duration;

/**
 * Connection limits with defaults ({@link #defaults()}).
 *
 * @param maxConnections total open connections; more are closed right after the handshake
 * @param maxConnectionsPerPeer connections to one peer
 * @param maxStreamsPerConnection concurrent Yamux streams; an extra inbound stream is reset
 * @param maxPendingHandshakes inbound connections still in their handshake; more are refused
 * @param handshakeTimeout limit for the connection upgrade and for each stream's protocol
 *     negotiation
 * @param idleTimeout a connection without streams for this long is closed; zero disables
 */
public record ConnectionLimits(
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxStreamsPerConnection,
    int maxPendingHandshakes,
    Duration handshakeTimeout,
    Duration idleTimeout) {
  public ConnectionLimits {
    if (maxConnections < 1
        || maxConnectionsPerPeer < 1
        || maxStreamsPerConnection < 1
        || maxPendingHandshakes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException("invalid timeouts");
    }
  }

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(256, 4, 256, 64, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  public ConnectionLimits withMaxConnections(int n) {
    return new ConnectionLimits(
        n,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout);
  }

  public ConnectionLimits withMaxConnectionsPerPeer(int n) {
    return new ConnectionLimits(
        maxConnections,
        n,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout);
  }

  public ConnectionLimits withMaxStreamsPerConnection(int n) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        n,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout);
  }

  public ConnectionLimits withMaxPendingHandshakes(int n) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        n,
        handshakeTimeout,
        idleTimeout);
  }

  public ConnectionLimits withHandshakeTimeout(Duration d) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        d,
        idleTimeout);
  }

  public ConnectionLimits withIdleTimeout(Duration d) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        d);
  }
}
