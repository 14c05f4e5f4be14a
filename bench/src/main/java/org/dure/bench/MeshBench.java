package org.dure.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * N nodes (ten unless {@code --nodes}) sharing one space, connected in a chain (each to its
 * neighbours only, so edits are relayed through members) or in a full mesh: how long until every
 * node has a burst of edits made on the first, the latency of single edits by distance from it and
 * until all have it, and the bytes all nodes send per single edit.
 *
 * <p>Each topology runs in its own child JVM holding all the nodes (separate stores, hosts and sync
 * services on 127.0.0.1).
 */
public final class MeshBench {
  static final int NODES = 10;

  private MeshBench() {}

  static void run(PrintStream out, boolean quick, int nodes) throws Exception {
    int burst = quick ? 100 : 1_000;
    int paced = quick ? 20 : 200;
    List<String> rows = new ArrayList<>();
    List<String> hops = new ArrayList<>();
    List<String> toAll = new ArrayList<>();
    for (String topology : List.of("chain", "mesh")) {
      System.err.println(topology + " of " + nodes + " nodes...");
      Map<String, String> m =
          ChildJvm.run(
              Topology.class,
              List.of(nodes > NODES ? "-Xmx3g" : "-Xmx1g"),
              List.of(topology, "" + burst, "" + paced, "" + nodes));
      rows.add(
          String.format(
              "| %s | %s | %,d | %.0f ms | %.0f ms | %.0f ms | %,.0f |",
              topology,
              topology.equals("chain")
                  ? (nodes - 1) + " (a line)"
                  : nodes * (nodes - 1) / 2 + " (all pairs)",
              burst,
              Double.parseDouble(m.get("editMillis")),
              Double.parseDouble(m.get("firstMillis")),
              Double.parseDouble(m.get("allMillis")),
              burst / (Double.parseDouble(m.get("allMillis")) / 1000)));
      if (nodes <= NODES) {
        hops.add("| " + topology + " | " + m.get("p50") + " |");
        hops.add("| " + topology + " (p99) | " + m.get("p99") + " |");
      }
      toAll.add(
          String.format(
              "| %s | %s ms | %s ms | %s ms | %,.0f |",
              topology,
              m.get("allP50"),
              m.get("allP99"),
              m.get("allMax"),
              Double.parseDouble(m.get("bytesPerEdit"))));
    }
    out.println("## " + nodes + " nodes: chain and mesh");
    out.println();
    out.printf(
        "%d nodes share a space; node 1 makes %,d edits to one page (an append of a few"
            + " characters each, one after the other as fast as `splice` returns, like fast"
            + " typing). Time from the first edit until every node holds node 1's final text;"
            + " chain: each node is connected to its neighbours only, so edits reach node %d"
            + " through %d relays. One JVM per topology, %d nodes.%n",
        nodes, burst, nodes, nodes - 2, nodes);
    out.println();
    out.println(
        "| topology | connections | edits | edits made in | first other node has all | all"
            + " have all | edits/s to all |");
    out.println("|---|---|---:|---:|---:|---:|---:|");
    rows.forEach(out::println);
    out.println();
    if (nodes <= NODES) {
      out.printf(
          "Single edits (%d, each waiting until all nodes have it): latency from the edit on node"
              + " 1 until node k has applied it, p50 in ms (in the chain, node k is k − 1 hops"
              + " away).%n",
          paced);
      out.println();
      StringBuilder head = new StringBuilder("| | ");
      StringBuilder line = new StringBuilder("|---|");
      for (int k = 2; k <= nodes; k++) {
        head.append("node ").append(k).append(" | ");
        line.append("---:|");
      }
      out.println(head.toString().strip());
      out.println(line);
      hops.forEach(out::println);
      out.println();
    }
    out.printf(
        "Single edits (%d, each waiting until all nodes have it): until every node has applied"
            + " it, and the bytes all nodes sent on"
            + " the wire per edit (every connection, both directions counted once, at the sender:"
            + " sync frames, Yamux, Noise, TCP payload).%n",
        paced);
    out.println();
    out.println("| topology | to all p50 | to all p99 | to all max | bytes sent per edit |");
    out.println("|---|---:|---:|---:|---:|");
    toAll.forEach(out::println);
  }

  /** One node, made as the application makes it ({@link BenchNode}). */
  private record Node(WikiStore store, BenchNode node) implements AutoCloseable {
    static Node open(Path dir) throws Exception {
      WikiStore store = WikiStore.open(dir);
      // Only setup bootstraps by snapshot (the page, index and membership); not measured.
      store.sync().setSandbox(snapshot -> {});
      return new Node(store, BenchNode.on(store, dir));
    }

    PeerId peer() {
      return store.identity().peerId();
    }

    @Override
    public void close() {
      node.close();
      store.close();
    }
  }

  /** The child: the nodes in one topology. */
  public static final class Topology {
    public static void main(String[] args) throws Exception {
      boolean chain = args[0].equals("chain");
      int burst = Integer.parseInt(args[1]);
      int paced = Integer.parseInt(args[2]);
      final int count = Integer.parseInt(args[3]);
      Path root = Files.createTempDirectory("dure-bench-mesh");
      Node[] nodes = new Node[count];
      try {
        for (int k = 0; k < count; k++) {
          nodes[k] = Node.open(Files.createDirectory(root.resolve("n" + k)));
        }
        WikiStore first = nodes[0].store();
        SpaceId space = first.createSpace("Mesh").id();
        PageId page = first.createPage(space, "Live", "", Optional.empty()).id();
        for (int k = 1; k < count; k++) {
          first.addMember(space, nodes[k].peer(), Role.EDITOR);
          nodes[k]
              .store()
              .invites()
              .join(space, nodes[chain ? k - 1 : 0].store().identity().peerId());
        }
        for (int k = 1; k < count; k++) {
          if (chain) {
            nodes[k].node().dial(nodes[k - 1].node());
          } else {
            for (int j = 0; j < k; j++) {
              nodes[k].node().dial(nodes[j].node());
            }
          }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Node n : nodes) {
          while (!SyncBench.has(n.store(), page)) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("the page did not reach every node");
            }
            Thread.sleep(20);
          }
        }
        Thread.sleep(1000); // let the bootstrap settle

        // Burst: all edits one after the other, then wait until every node has the final text.
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < burst; i++) {
          expected.append("e").append(i).append(' ');
        }
        Watch burstWatch = new Watch(nodes, page, expected.toString());
        long start = System.nanoTime();
        long pos = 0;
        for (int i = 0; i < burst; i++) {
          String s = "e" + i + " ";
          first.splice(page, pos, 0, s);
          pos += s.length();
        }
        long edited = System.nanoTime();
        long[] arrived = burstWatch.await(nodes, page, expected.toString(), 300);
        long firstOther = Long.MAX_VALUE;
        long all = 0;
        for (int k = 1; k < count; k++) {
          firstOther = Math.min(firstOther, arrived[k]);
          all = Math.max(all, arrived[k]);
        }
        ChildJvm.report("editMillis", (edited - start) / 1e6);
        ChildJvm.report("firstMillis", (firstOther - start) / 1e6);
        ChildJvm.report("allMillis", (all - start) / 1e6);

        // Paced: one edit at a time, latency per node.
        double[][] ms = new double[count][paced];
        double[] toAll = new double[paced];
        String text = expected.toString();
        Thread.sleep(1000); // the burst's last sync rounds
        long sentBefore = bytesSent(nodes);
        for (int i = 0; i < paced; i++) {
          String s = "p" + i + " ";
          text = text + s;
          Watch w = new Watch(nodes, page, text);
          long t = System.nanoTime();
          first.splice(page, pos, 0, s);
          pos += s.length();
          long[] at = w.await(nodes, page, text, 30);
          for (int k = 1; k < count; k++) {
            ms[k][i] = (at[k] - t) / 1e6;
            toAll[i] = Math.max(toAll[i], ms[k][i]);
          }
        }
        Thread.sleep(1000); // the last edit's sync rounds
        long sent = bytesSent(nodes) - sentBefore;
        Arrays.sort(toAll);
        ChildJvm.report("allP50", String.format("%.1f", Stats.quantile(toAll, .5)));
        ChildJvm.report("allP99", String.format("%.1f", Stats.quantile(toAll, .99)));
        ChildJvm.report("allMax", String.format("%.1f", toAll[paced - 1]));
        ChildJvm.report("bytesPerEdit", (double) sent / paced);
        StringBuilder p50 = new StringBuilder();
        StringBuilder p99 = new StringBuilder();
        for (int k = 1; k < count; k++) {
          Arrays.sort(ms[k]);
          p50.append(k > 1 ? " | " : "").append(String.format("%.1f", Stats.quantile(ms[k], .5)));
          p99.append(k > 1 ? " | " : "").append(String.format("%.1f", Stats.quantile(ms[k], .99)));
        }
        ChildJvm.report("p50", p50);
        ChildJvm.report("p99", p99);
      } finally {
        for (Node n : nodes) {
          if (n != null) {
            n.close();
          }
        }
        TraceBench.deleteTree(root);
      }
    }

    private static long bytesSent(Node[] nodes) {
      long sum = 0;
      for (Node n : nodes) {
        sum += n.node().bytesSent();
      }
      return sum;
    }

    /** Records, per node, when its page first has {@code text} by sync (node 1 edits). */
    private static final class Watch {
      final long[] at;
      final CountDownLatch latch;
      final List<AutoCloseable> listeners = new ArrayList<>();

      Watch(Node[] nodes, PageId page, String text) {
        at = new long[nodes.length];
        latch = new CountDownLatch(nodes.length - 1);
        for (int k = 1; k < nodes.length; k++) {
          int node = k;
          WikiStore store = nodes[k].store();
          listeners.add(
              store
                  .sync()
                  .addListener(
                      (doc, from) -> {
                        if (!doc.id().equals(page.value()) || latch.getCount() == 0) {
                          return;
                        }
                        long now = System.nanoTime();
                        String body = store.page(page).body();
                        if (body.length() == text.length() && body.equals(text)) {
                          synchronized (at) {
                            if (at[node] == 0) {
                              at[node] = now;
                              latch.countDown();
                            }
                          }
                        }
                      }));
        }
      }

      /** Waits until every other node has the text; returns when each got it. */
      long[] await(Node[] nodes, PageId page, String text, int seconds) throws Exception {
        try {
          if (!latch.await(seconds, TimeUnit.SECONDS)) {
            StringBuilder missing = new StringBuilder();
            synchronized (at) {
              for (int k = 1; k < nodes.length; k++) {
                if (at[k] == 0) {
                  missing
                      .append(" node ")
                      .append(k + 1)
                      .append(" has ")
                      .append(nodes[k].store().page(page).body().length())
                      .append(" chars;");
                }
              }
            }
            throw new IllegalStateException(
                "not every node has the text (" + text.length() + " chars):" + missing);
          }
        } finally {
          for (AutoCloseable l : listeners) {
            l.close();
          }
        }
        if (!nodes[0].store().page(page).body().equals(text)) {
          throw new IllegalStateException("node 1's own text is not what it typed");
        }
        synchronized (at) {
          return at.clone();
        }
      }
    }
  }
}
