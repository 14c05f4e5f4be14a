package org.dure.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 that counts every byte it passes on, each way: what the network
 * stack really puts on the wire (multistream-select, Noise, Yamux and the payload), without
 * changing it. Connections to {@link #port()} are forwarded to {@code target}.
 */
final class ByteCountingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final AtomicLong toTarget = new AtomicLong();
  private final AtomicLong fromTarget = new AtomicLong();
  private volatile long lastActivity = System.nanoTime();

  ByteCountingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Multiaddr of the forwarder, to dial instead of the target. */
  String multiaddr() {
    return "/ip4/127.0.0.1/tcp/" + port();
  }

  long bytesToTarget() {
    return toTarget.get();
  }

  long bytesFromTarget() {
    return fromTarget.get();
  }

  /** {@link System#nanoTime()} when a byte last passed, either way. */
  long lastActivityNanos() {
    return lastActivity;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(target.getAddress(), target.getPort());
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        Thread.ofVirtual().start(() -> pump(in, out, toTarget));
        Thread.ofVirtual().start(() -> pump(out, in, fromTarget));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        counter.addAndGet(n);
        lastActivity = System.nanoTime();
      }
    } catch (IOException e) {
      // one side closed or reset: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
