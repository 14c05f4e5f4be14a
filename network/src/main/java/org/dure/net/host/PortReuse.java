package org.dure.net.host;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Dialling from the listen port: {@code SO_REUSEADDR} and {@code SO_REUSEPORT} on the listener and
 * on the dialling socket, so that both can use the same local port (Linux allows it when both
 * sockets set {@code SO_REUSEPORT} and belong to the same user). A router that keeps the source
 * port then shows peers this node's listen port, and two nodes can punch a hole for TCP.
 */
final class PortReuse {
  private static final boolean SUPPORTED = probe();

  private PortReuse() {}

  /** Whether this platform lets a socket set {@code SO_REUSEPORT}. */
  static boolean supported() {
    return SUPPORTED;
  }

  private static boolean probe() {
    try (SocketChannel ch = SocketChannel.open()) {
      return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Sets both options on the sockets {@code b} creates (the listener's or the dialler's). */
  static void apply(AbstractBootstrap<?, ?> b) {
    b.option(ChannelOption.SO_REUSEADDR, true);
    b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
  }

  /** A dial from the listen port failed before reaching the remote; another port may work. */
  static final class LocalFailure extends org.dure.net.NetworkException {
    LocalFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Whether a TCP connect from the listen port failed locally, so that it is worth trying again
   * from an ephemeral port: yes for a bind error (the port and remote pair still in use by a
   * closing connection, a listen address that cannot reach the target), no when the remote refused
   * or did not answer (another port would not change that).
   */
  static boolean isLocal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
        return false;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return true;
  }

  /** Whether a connect failed because the remote answered with a reset (connection refused). */
  static boolean isRefused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException && !(t instanceof ConnectTimeoutException)) {
        return true;
      }
    }
    return false;
  }
}
