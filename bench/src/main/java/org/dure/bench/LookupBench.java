package org.dure.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dure.identity.PeerId;
import org.dure.net.host.Host;
import org.dure.net.kad.KadConfig;
import org.dure.net.kad.KadDht;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Kademlia lookups in a DHT of 100 server nodes on 127.0.0.1 (one child JVM): how long a client
 * takes to find a peer by its ID, how many requests it sends and how many rounds of α = 3 queries
 * it needs. Two kinds of lookup: FIND_NODE of a DHT server, and the lookup of a node in client mode
 * through its provider record ({@code KadDht.findPeer}, as {@code ./dure connect PEER_ID}).
 */
public final class LookupBench {
  static final int SERVERS = 100;

  private LookupBench() {}

  static void run(PrintStream out, boolean quick) throws Exception {
    int servers = quick ? 20 : SERVERS;
    int lookups = quick ? 20 : 200;
    System.err.println("DHT of " + servers + " servers, " + lookups + " lookups of each kind...");
    Map<String, String> m =
        ChildJvm.run(Dht.class, List.of("-Xmx1g"), List.of("" + servers, "" + lookups));
    out.println("## DHT lookups");
    out.println();
    out.printf(
        "%d Dure DHT servers on 127.0.0.1 in one JVM, each bootstrapped from the first one and"
            + " a random other, then refreshed (a lookup of its own ID). 10 client-mode nodes,"
            + " each bootstrapped from one random server, run %d lookups of each kind (k = 20,"
            + " α = 3). *Rounds* is the depth of the deepest peer that answered (the number of"
            + " rounds of α parallel queries); *messages* counts the requests sent (FIND_NODE or"
            + " GET_PROVIDERS). A client's connections stay open between its lookups, as in a"
            + " running node. The provider lookup is the first half of `findPeer` (a client found"
            + " through the record it published under its peer-ID key).%n%n",
        servers, lookups);
    out.println("| lookup | found | p50 | p95 | max | messages (mean) | rounds (mean) |");
    out.println("|---|---|---|---|---|---|---|");
    for (String kind : List.of("findNode", "findPeer")) {
      out.printf(
          "| %s | %s/%d | %s ms | %s ms | %s ms | %s | %s |%n",
          kind.equals("findNode") ? "FIND_NODE of a server" : "provider record of a client",
          m.get(kind + ".found"),
          lookups,
          m.get(kind + ".p50"),
          m.get(kind + ".p95"),
          m.get(kind + ".max"),
          m.get(kind + ".messages"),
          m.get(kind + ".rounds"));
    }
    out.println();
    String rss = m.containsKey("peakRss") ? Stats.mib(Long.parseLong(m.get("peakRss"))) : "?";
    out.println("Building the DHT took " + m.get("buildSeconds") + " s; peak RSS " + rss + ".");
  }

  /** The child JVM: builds the DHT and runs the lookups. */
  public static final class Dht {
    private Dht() {}

    public static void main(String[] args) throws Exception {
      int n = Integer.parseInt(args[0]);
      int lookups = Integer.parseInt(args[1]);
      Random random = new Random(42);
      KadConfig config = KadConfig.defaults().withRefreshInterval(Duration.ofHours(1));
      List<AutoCloseable> all = new ArrayList<>();
      long t0 = System.nanoTime();
      try {
        List<KadDht> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          KadDht d = node(config, all);
          d.setServerMode(true);
          if (i > 0) {
            d.setBootstrapPeers(
                List.of(address(servers.get(0)), address(servers.get(random.nextInt(i)))));
            d.bootstrap();
          }
          servers.add(d);
        }
        for (KadDht d : servers) {
          d.refresh();
        }
        List<KadDht> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          KadDht c = node(config, all);
          c.setBootstrapPeers(List.of(address(servers.get(random.nextInt(n)))));
          c.bootstrap();
          c.publishSelf();
          clients.add(c);
        }
        ChildJvm.report("buildSeconds", String.format("%.1f", (System.nanoTime() - t0) / 1e9));

        List<long[]> nodeRuns = new ArrayList<>();
        List<long[]> peerRuns = new ArrayList<>();
        for (int i = 0; i < lookups; i++) {
          KadDht client = clients.get(i % clients.size());
          PeerId server = servers.get(random.nextInt(n)).host().peerId();
          long s = System.nanoTime();
          boolean found = client.findNode(server).isPresent();
          long micros = (System.nanoTime() - s) / 1000;
          KadDht.LookupStats st = client.lastLookup();
          nodeRuns.add(new long[] {micros, st.messages(), st.depth(), found ? 1 : 0});

          KadDht other = clients.get((i + 1 + random.nextInt(clients.size() - 1)) % clients.size());
          s = System.nanoTime();
          found = client.findPeer(other.host().peerId()).isPresent();
          micros = (System.nanoTime() - s) / 1000;
          st = client.lastLookup();
          peerRuns.add(new long[] {micros, st.messages(), st.depth(), found ? 1 : 0});
        }
        report("findNode", nodeRuns);
        report("findPeer", peerRuns);
        ChildJvm.reportPeakRss();
      } finally {
        Collections.reverse(all);
        for (AutoCloseable c : all) {
          c.close();
        }
      }
    }

    private static KadDht node(KadConfig config, List<AutoCloseable> all) throws Exception {
      Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").ioThreads(1).build().start();
      all.add(h);
      KadDht d = new KadDht(h, config).start();
      all.add(d);
      return d;
    }

    private static Multiaddr address(KadDht d) {
      return d.host().listenAddresses().get(0);
    }

    private static void report(String kind, List<long[]> runs) {
      List<Long> times = new ArrayList<>();
      double messages = 0;
      double rounds = 0;
      int found = 0;
      for (long[] r : runs) {
        times.add(r[0]);
        messages += r[1];
        rounds += r[2];
        found += (int) r[3];
      }
      Collections.sort(times);
      ChildJvm.report(kind + ".found", found);
      ChildJvm.report(kind + ".p50", ms(times.get(times.size() / 2)));
      ChildJvm.report(kind + ".p95", ms(times.get((int) Math.ceil(times.size() * 0.95) - 1)));
      ChildJvm.report(kind + ".max", ms(times.get(times.size() - 1)));
      ChildJvm.report(kind + ".messages", String.format("%.1f", messages / runs.size()));
      ChildJvm.report(kind + ".rounds", String.format("%.2f", rounds / runs.size()));
    }

    private static String ms(long micros) {
      return String.format("%.1f", micros / 1000.0);
    }
  }
}
