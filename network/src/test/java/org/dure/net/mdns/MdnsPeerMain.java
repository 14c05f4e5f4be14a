package org.dure.net.mdns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

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
 *
 * <p>The stdin line {@code garbage N} makes it multicast N malformed packets (random bytes, mutated
 * valid responses, one over 9000 bytes) to the group from another socket, then print {@code
 * garbage-sent N}. The line {@code forget} makes it print already known peers again.
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
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("forget")) {
          synchronized (printed) {
            printed.clear();
          }
        } else if (line.startsWith("garbage ")) {
          int n = Integer.parseInt(line.substring("garbage ".length()).trim());
          sendGarbage(n, d.interfaceNames(), self);
          out.println("garbage-sent " + n);
        }
      }
    }
  }

  private static void sendGarbage(int n, List<String> interfaces, PeerId self) throws IOException {
    Random r = new Random(n);
    MdnsEngine engine = new MdnsEngine(self, "garbage", MdnsConfig.defaults());
    byte[] valid =
        engine.responsePacket(List.of(Multiaddr.parse("/ip4/10.9.9.9/tcp/9/p2p/" + self)));
    InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353);
    try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
      for (String name : interfaces) {
        ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(name));
        ch.send(ByteBuffer.wrap(new byte[DnsMessage.MAX_PACKET + 500]), group);
        for (int i = 0; i < n; i++) {
          byte[] b;
          if (i % 2 == 0) {
            b = new byte[r.nextInt(200)];
            r.nextBytes(b);
          } else {
            b = valid.clone();
            for (int k = 0; k < 3; k++) {
              b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
          }
          ch.send(ByteBuffer.wrap(b), group);
        }
      }
    }
  }
}
