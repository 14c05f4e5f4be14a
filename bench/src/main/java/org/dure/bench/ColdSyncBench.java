package org.dure.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * Cold sync: node A holds a space of N generated pages, B is a new member holding nothing; the time
 * until B holds every page with A's text, and the bytes on the TCP connection (both ways, counted
 * by a {@link ByteCountingProxy} between B and A) against the sum of the snapshots of the space's
 * documents on A.
 *
 * <p>One child JVM generates A's store; another runs both nodes (separate stores, hosts and sync
 * services) and the forwarder, and measures.
 */
public final class ColdSyncBench {
  private ColdSyncBench() {}

  /** How long the connection must be silent before the sync is taken as finished. */
  private static final long QUIET_MILLIS = 2_000;

  static void run(PrintStream out, boolean quick) throws Exception {
    // Sandbox on is what Dure does (every received snapshot is first loaded by one long-lived
    // child process); off shows what the isolation costs.
    int[][] cases =
        quick
            ? new int[][] {{100, 1}, {100, 0}}
            : new int[][] {{1_000, 1}, {1_000, 0}, {10_000, 1}};
    List<String> rows = new ArrayList<>();
    for (int[] c : cases) {
      int pages = c[0];
      boolean sandbox = c[1] == 1;
      Path dirA = Files.createTempDirectory("dure-bench-cold-a");
      Path dirB = Files.createTempDirectory("dure-bench-cold-b");
      try {
        System.err.println("generating " + pages + " pages on A...");
        Map<String, String> gen =
            ChildJvm.run(Generate.class, List.of("-Xmx1g"), List.of(dirA.toString(), "" + pages));
        System.err.println(
            "cold sync of " + pages + " pages, sandbox " + (sandbox ? "on" : "off") + "...");
        Map<String, String> m =
            ChildJvm.run(
                Measure.class,
                List.of("-Xmx1g"),
                List.of(
                    dirA.toString(), dirB.toString(), gen.get("space"), "" + pages, "" + sandbox));
        rows.add(row(pages, sandbox, m));
      } finally {
        TraceBench.deleteTree(dirA);
        TraceBench.deleteTree(dirB);
      }
    }
    out.println("## Cold sync");
    out.println();
    out.println(
        "A holds a space of N generated pages (1–6 KB of Markdown each, as in the pages suite);"
            + " B, a new member holding nothing, dials A through a byte-counting TCP forwarder."
            + " Time: from the dial until B holds every page (text checked equal afterwards);"
            + " wire: every byte of the TCP connection both ways (multistream-select, Noise, Yamux,"
            + " sync frames) until it has been silent for 2 s; snapshots: the sum of `save()` of"
            + " every document of the space on A (pages, index, membership). Both nodes in one"
            + " JVM. Sandbox on (what Dure does): each snapshot B receives is first loaded by the"
            + " store's sandbox process; off: no sandbox.");
    out.println();
    out.println(
        "| pages | sandbox | time | pages/s | settled | wire A→B | wire B→A | wire total |"
            + " snapshots | wire / snapshots |");
    out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(out::println);
    out.println();
    out.println("Target: wire ≤ 1.2 × snapshots.");
  }

  private static String row(int pages, boolean sandbox, Map<String, String> m) {
    double millis = Double.parseDouble(m.get("millis"));
    double settled = Double.parseDouble(m.get("settledMillis"));
    long down = Long.parseLong(m.get("bytesAtoB"));
    long up = Long.parseLong(m.get("bytesBtoA"));
    long snaps = Long.parseLong(m.get("snapshotBytes"));
    return String.format(
        "| %,d | %s | %.1f s | %,.0f | %.1f s | %s | %s | %s | %s | %.2f× |",
        pages,
        sandbox ? "on" : "off",
        millis / 1000,
        pages / (millis / 1000),
        settled / 1000,
        Stats.mib(down),
        Stats.mib(up),
        Stats.mib(down + up),
        Stats.mib(snaps),
        (double) (down + up) / snaps);
  }

  /** Child 1: A's store with a space of N pages. */
  public static final class Generate {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      int pages = Integer.parseInt(args[1]);
      Random rnd = new Random(42);
      long start = System.nanoTime();
      try (WikiStore store = WikiStore.open(dir)) {
        SpaceId space = store.createSpace("Bench").id();
        for (int i = 0; i < pages; i++) {
          store.createPage(space, "Page " + i, PagesBench.body(rnd, i, pages), Optional.empty());
          if (i % 1000 == 999) {
            System.out.println("  " + (i + 1) + " pages");
          }
        }
        store.flushIndex();
        ChildJvm.report("space", space.value());
      }
      ChildJvm.report("millis", (System.nanoTime() - start) / 1e6);
    }
  }

  /** Child 2: A and B, the forwarder between them; B joins and syncs. */
  public static final class Measure {
    public static void main(String[] args) throws Exception {
      Path dirA = Path.of(args[0]);
      Path dirB = Path.of(args[1]);
      SpaceId space = new SpaceId(args[2]);
      int pages = Integer.parseInt(args[3]);
      boolean sandbox = Boolean.parseBoolean(args[4]);
      try (WikiStore a = WikiStore.open(dirA);
          WikiStore b = WikiStore.open(dirB);
          BenchNode nodeA = BenchNode.on(a, dirA);
          BenchNode nodeB = BenchNode.on(b, dirB);
          ByteCountingProxy proxy = new ByteCountingProxy(nodeA.address().toTcpSocketAddress())) {
        if (!sandbox) {
          b.sync().setSandbox(snapshot -> {});
        }
        a.addMember(space, b.identity().peerId(), Role.EDITOR);
        b.invites().join(space, a.identity().peerId());
        long start = System.nanoTime();
        nodeB.dial(proxy.multiaddr(), nodeA.peerId());
        long deadline = start + 3_600_000_000_000L;
        long lastReport = start;
        while (b.pageCount(space) < pages) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("B has " + b.pageCount(space) + " of " + pages);
          }
          Thread.sleep(20);
          if (System.nanoTime() - lastReport > 10_000_000_000L) {
            lastReport = System.nanoTime();
            System.out.printf(
                "  %d s: %d pages on B, %s on the wire%n",
                (lastReport - start) / 1_000_000_000L,
                b.pageCount(space),
                Stats.mib(proxy.bytesToTarget() + proxy.bytesFromTarget()));
          }
        }
        long done = System.nanoTime();
        while (System.nanoTime() - proxy.lastActivityNanos() < QUIET_MILLIS * 1_000_000L) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the connection did not fall silent");
          }
          Thread.sleep(50);
          if (System.nanoTime() - lastReport > 10_000_000_000L) {
            lastReport = System.nanoTime();
            System.out.printf(
                "  %d s: every page on B; %s on the wire, not silent yet%n",
                (lastReport - start) / 1_000_000_000L,
                Stats.mib(proxy.bytesToTarget() + proxy.bytesFromTarget()));
          }
        }
        long settled = proxy.lastActivityNanos();
        long toA = proxy.bytesToTarget();
        long fromA = proxy.bytesFromTarget();
        // Every page on B with A's title and text.
        List<PageSummary> all = new ArrayList<>();
        for (int off = 0; off < pages; off += 500) {
          all.addAll(a.pages(space, off, 500));
        }
        for (PageSummary s : all) {
          var pa = a.page(s.id());
          var pb = b.page(s.id());
          if (!pa.body().equals(pb.body()) || !pa.title().equals(pb.title())) {
            throw new IllegalStateException("page " + s.id() + " differs on B");
          }
        }
        if (all.size() != pages) {
          throw new IllegalStateException("A lists " + all.size() + " pages");
        }
        long snapshots = 0;
        int docs = 0;
        for (DocumentRef d : a.sync().documents(space)) {
          snapshots += a.sync().snapshot(d.id()).length;
          docs++;
        }
        ChildJvm.report("millis", (done - start) / 1e6);
        ChildJvm.report("settledMillis", (settled - start) / 1e6);
        ChildJvm.report("bytesAtoB", fromA);
        ChildJvm.report("bytesBtoA", toA);
        ChildJvm.report("snapshotBytes", snapshots);
        ChildJvm.report("documents", docs);
      }
    }
  }
}
