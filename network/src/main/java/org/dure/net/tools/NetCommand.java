package org.dure.net.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.dure.identity.Identity;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Network diagnostics, called by the application's CLI:
 *
 * <pre>
 *   net serve [--listen MULTIADDR] [--echo]   print the full listen multiaddr, serve until killed
 *   net ping MULTIADDR [--count N]            print round-trip times
 *   net id                                    print the peer ID
 * </pre>
 *
 * Arguments start after {@code net}. Exit codes: 0 success, 1 failure, 2 usage error.
 */
public final class NetCommand {
  /** The echo protocol served by {@code net serve --echo}. */
  public static final String ECHO = "/dure/echo/1.0.0";

  private static final String USAGE =
      "usage: net serve [--listen MULTIADDR] [--echo] | net ping MULTIADDR [--count N] | net id";

  private NetCommand() {}

  /** Runs with an ephemeral Ed25519 identity (for testing). */
  public static void main(String[] args) {
    System.exit(run(args, Identity.generateEd25519(), System.out, System.err));
  }

  /** Runs a {@code net} subcommand; blocks for {@code serve} until the thread is interrupted. */
  public static int run(String[] args, KeyPair identity, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    try {
      return switch (args[0]) {
        case "id" -> {
          out.println(new Identity(identity).peerId());
          yield 0;
        }
        case "serve" -> serve(args, identity, out, err);
        case "ping" -> ping(args, identity, out, err);
        default -> {
          err.println(USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("net: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("net: " + e.getMessage());
      return 1;
    }
  }

  private static int serve(String[] args, KeyPair identity, PrintStream out, PrintStream err)
      throws IOException {
    String listen = "/ip4/127.0.0.1/tcp/0";
    boolean echo = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--listen" -> listen = value(args, ++i, "--listen");
        case "--echo" -> echo = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Host host = Host.builder().identity(identity).listen(listen).build();
    if (echo) {
      host.setHandler(ECHO, NetCommand::echo);
    }
    host.start();
    try {
      out.println(host.listenAddresses().get(0));
      out.flush();
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      host.stop();
    }
    return 0;
  }

  /** Echoes bytes until the remote half-closes, then closes. */
  public static void echo(Stream s) throws IOException {
    InputStream in = s.inputStream();
    OutputStream o = s.outputStream();
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      o.write(buf, 0, n);
    }
    s.close();
  }

  private static int ping(String[] args, KeyPair identity, PrintStream out, PrintStream err)
      throws IOException {
    String target = null;
    int count = 1;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--count" -> {
          String v = value(args, ++i, "--count");
          try {
            count = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--count needs a number");
          }
          if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("--count must be 1..10000");
          }
        }
        default -> {
          if (target != null || args[i].startsWith("--")) {
            throw new IllegalArgumentException("unexpected argument " + args[i]);
          }
          target = args[i];
        }
      }
    }
    if (target == null) {
      throw new IllegalArgumentException("ping needs a MULTIADDR");
    }
    Multiaddr addr = Multiaddr.parse(target);
    try (Host host = Host.builder().identity(identity).build().start()) {
      Connection c = host.dial(addr);
      List<Duration> rtts = new ArrayList<>();
      try (Stream s = c.newStream(Host.PING)) {
        for (int i = 0; i < count; i++) {
          Duration rtt = host.ping(s);
          rtts.add(rtt);
          out.printf(
              Locale.ROOT,
              "ping %d from %s: %.3f ms%n",
              i + 1,
              c.remotePeer(),
              rtt.toNanos() / 1e6);
        }
      }
      return 0;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
