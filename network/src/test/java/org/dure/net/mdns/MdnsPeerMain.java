package org.dure.net.mdns;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.peer.Identity;
import org.dure.net.peer.PeerId;

/**
 * A discovery-only node for {@link MdnsNetnsTest}, run as a child JVM inside a network namespace:
 *
 * <pre>
 * java -cp … org.dure.net.mdns.MdnsPeerMain [--interval-ms N] LISTEN_MULTIADDR...
 * </pre>
 *
 * <p>Prints {@code self <peer-id> <peer-name>} once started, then {@code peer <peer-id> <addr>...}
 * whenever a peer is reported with addresses not printed before. Nothing listens on the announced
 * addresses: only discovery is tested. Exits when stdin closes.
 */
public final class MdnsPeerMain {
  private MdnsPeerMain() {}

  public static void main(String[] args) throws IOException {
    Duration interval = Duration.ofSeconds(1);
    List<Multiaddr> listen = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--interval-ms") && i + 1 < args.length) {
        interval = Duration.ofMillis(Long.parseLong(args[++i]));
      } else {
        listen.add(Multiaddr.parse(args[i]));
      }
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PeerId self = new Identity(Identity.generateEd25519()).peerId();
    Set<String> printed = new HashSet<>();
    MdnsListener listener =
        (peer, addrs) -> {
          StringBuilder line = new StringBuilder("peer ").append(peer);
          addrs.forEach(a -> line.append(' ').append(a));
          synchronized (printed) {
            if (printed.add(line.toString())) {
              out.println(line);
            }
          }
        };
    MdnsConfig config = MdnsConfig.defaults().withQueryInterval(interval);
    try (MdnsDiscovery d = MdnsDiscovery.start(self, () -> listen, listener, config)) {
      out.println("self " + self + " " + d.peerName());
      InputStream in = System.in;
      while (in.read() >= 0) {
        // wait for stdin to close
      }
    }
  }
}
