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
 * @param maxConnectionsPerIp inbound connections open at once from one IP address, handshakes
 *     included; more are closed at once (default 32: a household or office behind one address)
 * @param newConnectionsPerIpPerMinute inbound connections accepted from one IP address a minute
 *     (default 120); each costs a handshake, and a fresh identity costs an attacker nothing
 */
public record ConnectionLimits(
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxStreamsPerConnection,
    int maxPendingHandshakes,
    Duration handshakeTimeout,
    Duration idleTimeout,
    int maxConnectionsPerIp,
    int newConnectionsPerIpPerMinute) {
  public ConnectionLimits {
    if (maxConnections < 1
        || maxConnectionsPerPeer < 1
        || maxStreamsPerConnection < 1
        || maxPendingHandshakes < 1
        || maxConnectionsPerIp < 1
        || newConnectionsPerIpPerMinute < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException("invalid timeouts");
    }
  }

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(
        256, 4, 256, 64, Duration.ofSeconds(10), Duration.ofMinutes(5), 32, 120);
  }

  public ConnectionLimits withMaxConnections(int n) {
    return new ConnectionLimits(
        n,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  public ConnectionLimits withMaxConnectionsPerPeer(int n) {
    return new ConnectionLimits(
        maxConnections,
        n,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  public ConnectionLimits withMaxStreamsPerConnection(int n) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        n,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  public ConnectionLimits withMaxPendingHandshakes(int n) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        n,
        handshakeTimeout,
        idleTimeout,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  public ConnectionLimits withHandshakeTimeout(Duration d) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        d,
        idleTimeout,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  public ConnectionLimits withIdleTimeout(Duration d) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        d,
        maxConnectionsPerIp,
        newConnectionsPerIpPerMinute);
  }

  /** Per IP address: inbound connections open at once and new ones a minute. */
  public ConnectionLimits withPerIp(int open, int perMinute) {
    return new ConnectionLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingHandshakes,
        handshakeTimeout,
        idleTimeout,
        open,
        perMinute);
  }
}
