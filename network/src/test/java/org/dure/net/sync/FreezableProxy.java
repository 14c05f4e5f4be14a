package org.dure.net.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 that can freeze: it then stops forwarding in both directions without
 * closing anything, so that for the two ends the path went silent (no FIN, no RST), as when a Wi-Fi
 * link drops or a router reboots. Thawed, it forwards again what waited.
 */
final class FreezableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private boolean frozen;

  FreezableProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  void freeze() {
    synchronized (lock) {
      frozen = true;
    }
  }

  void thaw() {
    synchronized (lock) {
      frozen = false;
      lock.notifyAll();
    }
  }

  private void waitWhileFrozen() throws InterruptedException {
    synchronized (lock) {
      while (frozen) {
        lock.wait();
      }
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        sockets.add(in);
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    waitWhileFrozen(); // a SYN sent during the cut is "lost" until it heals
                    Socket out = new Socket(target.getAddress(), target.getPort());
                    sockets.add(out);
                    Thread.ofVirtual().start(() -> pump(in, out));
                    pump(out, in);
                  } catch (IOException | InterruptedException e) {
                    closeQuietly(in);
                  }
                });
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream i = from.getInputStream();
        OutputStream o = to.getOutputStream()) {
      while (true) {
        waitWhileFrozen();
        int n = i.read(buf);
        if (n < 0) {
          break;
        }
        waitWhileFrozen(); // what was read just before the cut is held, not delivered
        o.write(buf, 0, n);
        o.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    thaw();
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
