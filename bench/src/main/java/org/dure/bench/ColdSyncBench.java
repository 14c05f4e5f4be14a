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

  /**
   * @param only the number of pages of the one case to run (sandbox on), or null for the usual
   *     cases
   * @param sources how many members hold the space when B joins (A and {@code sources - 1} others
   *     that got it from A before the clock starts); B connects to all of them
   */
  static void run(PrintStream out, boolean quick, Integer only, int sources) throws Exception {
    // Sandbox on is what Dure does (every received snapshot is first loaded by one long-lived
    // child process); off shows what the isolation costs.
    int[][] cases =
        only != null
            ? new int[][] {{only, 1}}
            : quick
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
            "cold sync of "
                + pages
                + " pages from "
                + sources
                + " member(s), sandbox "
                + (sandbox ? "on" : "off")
                + "...");
        Map<String, String> m =
            ChildJvm.run(
                Measure.class,
                List.of("-Xmx1g"),
                List.of(
                    dirA.toString(),
                    dirB.toString(),
                    gen.get("space"),
                    "" + pages,
                    "" + sandbox,
                    "" + sources));
        rows.add(row(pages, sandbox, sources, m));
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
            + " CPU: the CPU time the nodes' JVM and the sandbox process used in that time (all"
            + " nodes, both sides: compare with the anchor's aCpuMs + bCpuMs);"
            + " wire: every byte of the TCP connection both ways (multistream-select, Noise, Yamux,"
            + " sync frames) until it has been silent for 2 s; snapshots: the sum of `save()` of"
            + " every document of the space on A (pages, index, membership). Both nodes in one"
            + " JVM. Sandbox on (what Dure does): each snapshot B receives is first loaded by the"
            + " store's sandbox process; off: no sandbox. Sources: how many members hold the"
            + " space and are connected to B when it joins (A, and others that got the space from"
            + " A before the clock starts; B dials each through its own forwarder, the wire is"
            + " the sum); from: how many of them sent B at least one page.");
    out.println();
    out.println(
        "| pages | sandbox | sources | from | time | pages/s | CPU | settled | wire to B | wire from B"
            + " | wire total | snapshots | wire / snapshots |");
    out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(out::println);
    out.println();
    out.println("Target: wire ≤ 1.2 × snapshots.");
  }

  private static String row(int pages, boolean sandbox, int sources, Map<String, String> m) {
    double millis = Double.parseDouble(m.get("millis"));
    double settled = Double.parseDouble(m.get("settledMillis"));
    long down = Long.parseLong(m.get("bytesAtoB"));
    long up = Long.parseLong(m.get("bytesBtoA"));
    long snaps = Long.parseLong(m.get("snapshotBytes"));
    return String.format(
        "| %,d | %s | %d | %s | %.1f s | %,.0f | %.1f s | %.1f s | %s | %s | %s | %s | %.2f× |",
        pages,
        sandbox ? "on" : "off",
        sources,
        m.get("from"),
        millis / 1000,
        pages / (millis / 1000),
        Double.parseDouble(m.get("cpuMillis")) / 1000,
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

  /**
   * Child 2: A (and the other sources, given the space by A first), B, a forwarder in front of each
   * source; B joins and syncs from all of them at once.
   */
  public static final class Measure {
    public static void main(String[] args) throws Exception {
      Path dirA = Path.of(args[0]);
      Path dirB = Path.of(args[1]);
      SpaceId space = new SpaceId(args[2]);
      int pages = Integer.parseInt(args[3]);
      boolean sandbox = Boolean.parseBoolean(args[4]);
      int sources = args.length > 5 ? Integer.parseInt(args[5]) : 1;
      List<AutoCloseable> open = new ArrayList<>();
      try {
        WikiStore a = WikiStore.open(dirA);
        open.add(a);
        WikiStore b = WikiStore.open(dirB);
        open.add(b);
        BenchNode nodeA = BenchNode.on(a, dirA);
        open.add(0, nodeA);
        BenchNode nodeB = BenchNode.on(b, dirB);
        open.add(0, nodeB);
        if (!sandbox) {
          b.sync().setSandbox(snapshot -> {});
        }
        // The other sources: members that got the whole space from A before the clock starts.
        List<BenchNode> from = new ArrayList<>(List.of(nodeA));
        for (int i = 1; i < sources; i++) {
          Path dir = dirB.resolveSibling(dirB.getFileName() + "-source" + i);
          WikiStore s = WikiStore.open(dir);
          open.add(s);
          BenchNode n = BenchNode.on(s, dir);
          open.add(0, n);
          a.addMember(space, s.identity().peerId(), Role.EDITOR);
          s.invites().join(space, a.identity().peerId());
          n.dial(nodeA);
          System.out.println("  source " + (i + 1) + " takes the space from A (not timed)...");
          awaitPages(s, space, pages, "source " + (i + 1));
          from.add(n);
        }
        a.addMember(space, b.identity().peerId(), Role.EDITOR);
        for (BenchNode n : from.subList(1, from.size())) {
          long end = System.nanoTime() + 60_000_000_000L;
          while (n.store().membership(space).roleOf(b.identity().peerId()).isEmpty()) {
            if (System.nanoTime() > end) {
              throw new IllegalStateException("a source did not hear that B is a member");
            }
            Thread.sleep(20);
          }
        }
        b.invites().join(space, a.identity().peerId());
        Map<String, Integer> pagesFrom = new java.util.concurrent.ConcurrentHashMap<>();
        List<ByteCountingProxy> proxies = new ArrayList<>();
        for (BenchNode n : from) {
          ByteCountingProxy p = new ByteCountingProxy(n.address().toTcpSocketAddress());
          open.add(0, p);
          proxies.add(p);
        }
        nodeB.onSnapshotReceived(peer -> pagesFrom.merge(peer, 1, Integer::sum));
        long cpuBefore = cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < from.size(); i++) {
          nodeB.dial(proxies.get(i).multiaddr(), from.get(i).peerId());
        }
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
                Stats.mib(total(proxies)));
          }
        }
        long done = System.nanoTime();
        long cpu = cpuNanos() - cpuBefore;
        while (System.nanoTime() - lastActivity(proxies) < QUIET_MILLIS * 1_000_000L) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the connection did not fall silent");
          }
          Thread.sleep(50);
          if (System.nanoTime() - lastReport > 10_000_000_000L) {
            lastReport = System.nanoTime();
            System.out.printf(
                "  %d s: every page on B; %s on the wire, not silent yet%n",
                (lastReport - start) / 1_000_000_000L, Stats.mib(total(proxies)));
          }
        }
        long settled = lastActivity(proxies);
        long toSources = 0;
        long fromSources = 0;
        for (ByteCountingProxy p : proxies) {
          toSources += p.bytesToTarget();
          fromSources += p.bytesFromTarget();
        }
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
        ChildJvm.report("cpuMillis", cpu / 1e6);
        ChildJvm.report("bytesAtoB", fromSources);
        ChildJvm.report("bytesBtoA", toSources);
        ChildJvm.report("snapshotBytes", snapshots);
        ChildJvm.report("documents", docs);
        ChildJvm.report("from", pagesFrom.size());
        System.out.println("  documents received from each source: " + pagesFrom.values());
      } finally {
        for (AutoCloseable c : open) {
          c.close();
        }
      }
    }

    /**
     * CPU time used so far by this JVM (every node in it) and its child processes alive now (the
     * store's sandbox).
     */
    private static long cpuNanos() {
      long t = cpuOf(ProcessHandle.current());
      for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
        t += cpuOf(child);
      }
      return t;
    }

    private static long cpuOf(ProcessHandle p) {
      return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static void awaitPages(WikiStore s, SpaceId space, int pages, String who)
        throws InterruptedException {
      long end = System.nanoTime() + 3_600_000_000_000L;
      while (true) {
        try {
          if (s.pageCount(space) >= pages) {
            return;
          }
        } catch (RuntimeException notYet) {
          // the space's index has not arrived
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException(who + " did not get the space");
        }
        Thread.sleep(50);
      }
    }

    private static long total(List<ByteCountingProxy> proxies) {
      long t = 0;
      for (ByteCountingProxy p : proxies) {
        t += p.bytesToTarget() + p.bytesFromTarget();
      }
      return t;
    }

    private static long lastActivity(List<ByteCountingProxy> proxies) {
      long last = 0;
      for (ByteCountingProxy p : proxies) {
        last = Math.max(last, p.lastActivityNanos());
      }
      return last;
    }
  }
}
