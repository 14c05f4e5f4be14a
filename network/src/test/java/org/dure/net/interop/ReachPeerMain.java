package org.dure.net.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatClient;
import org.dure.net.autonat.AutonatConfig;
import org.dure.net.autonat.AutonatServer;
import org.dure.net.dcutr.DcutrConfig;
import org.dure.net.dcutr.DcutrService;
import org.dure.net.dcutr.HolePunchListener;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;

/**
 * A Dure node for the reach interop tests ({@link AutonatInteropTest}, {@link DcutrInteropTest}),
 * run as a child JVM inside a namespace of a {@link ReachLab}:
 *
 * <pre>
 * java -cp … org.dure.net.interop.ReachPeerMain LISTEN_MULTIADDR [--relay] [--reserve RELAY_MA]
 * </pre>
 *
 * <p>Runs with production settings (private addresses neither asked about, dialled back nor punched
 * to): an AutoNAT v2 server serving everyone and a client, DCUtR, a circuit relay client and, with
 * {@code --relay}, a relay service. Prints one line per fact on stdout: {@code self <peer-id>} once
 * started, {@code connected <peer> <inbound|outbound> <kind> <remote-addr>}, {@code punched <peer>
 * <kind> <attempt>}, {@code punch-failed <peer> <reason>}. Commands on stdin, one a line, answered
 * with one line: {@code dial MA} ({@code dialled <peer> <kind>}), {@code autonat SERVER_MA ADDR}
 * ({@code autonat <outcome> <addr> <detail>}), {@code connections PEER} ({@code connections <peer>
 * <kind>,…}); a failure is answered with {@code failed <command> <error>}. Exits when stdin closes.
 */
public final class ReachPeerMain {
  private ReachPeerMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    boolean relay = false;
    Multiaddr reserve = null;
    Multiaddr listen = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--relay" -> relay = true;
        case "--reserve" -> reserve = Multiaddr.parse(args[++i]);
        default -> listen = Multiaddr.parse(args[i]);
      }
    }
    if (listen == null) {
      throw new IllegalArgumentException("usage: ReachPeerMain LISTEN_MA [--relay] [--reserve MA]");
    }
    List<AutoCloseable> closeables = new ArrayList<>();
    Host host = Host.builder().listen(listen).build();
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connected(Connection c) {
            out.println(
                "connected "
                    + c.remotePeer()
                    + " "
                    + c.direction().name().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + c.kind()
                    + " "
                    + c.remoteAddress());
          }
        });
    host.start();
    closeables.add(host);
    if (relay) {
      closeables.add(
          0,
          new RelayService(
                  host, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
              .start());
    }
    RelayClient relayClient = new RelayClient(host).start();
    closeables.add(0, relayClient);
    AutonatConfig autonat = AutonatConfig.defaults();
    closeables.add(0, new AutonatServer(host, autonat, peer -> true).start());
    AutonatClient autonatClient = new AutonatClient(host, autonat).start();
    closeables.add(0, autonatClient);
    DcutrService dcutr = new DcutrService(host, DcutrConfig.defaults()).start();
    dcutr.addListener(
        new HolePunchListener() {
          @Override
          public void upgraded(PeerId peer, Connection c, Duration took, int attempt) {
            out.println("punched " + peer + " " + c.kind() + " " + attempt);
          }

          @Override
          public void failed(PeerId peer, String reason) {
            out.println("punch-failed " + peer + " " + reason);
          }
        });
    closeables.add(0, dcutr);
    if (reserve != null) {
      relayClient.reserve(reserve);
    }
    out.println("self " + host.peerId());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] w = line.trim().split("\\s+");
        try {
          switch (w[0]) {
            case "dial" -> {
              Connection c = host.dial(Multiaddr.parse(w[1]));
              out.println("dialled " + c.remotePeer() + " " + c.kind());
            }
            case "autonat" -> {
              Connection c = host.dial(Multiaddr.parse(w[1]));
              AutonatClient.Result r = autonatClient.check(c, List.of(Multiaddr.parse(w[2])));
              out.println("autonat " + r.outcome() + " " + r.address() + " " + r.detail());
            }
            case "connections" -> {
              PeerId peer = PeerId.parse(w[1]);
              out.println(
                  "connections "
                      + peer
                      + " "
                      + host.connectionManager().connections(peer).stream()
                          .filter(Connection::isOpen)
                          .map(Connection::kind)
                          .sorted()
                          .collect(Collectors.joining(",")));
            }
            default -> out.println("failed " + w[0] + " unknown command");
          }
        } catch (Exception e) {
          out.println("failed " + w[0] + " " + e);
        }
      }
    } finally {
      for (AutoCloseable c : closeables) {
        c.close();
      }
    }
  }
}
