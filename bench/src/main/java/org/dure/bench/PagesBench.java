package org.dure.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;

/**
 * A wiki of 10,000 generated pages: how long opening a page and searching take (p50/p95/p99) and
 * how much memory the process needs. One child JVM generates the wiki, a second one reopens it and
 * measures, so the figures are those of a user's session on an existing wiki.
 */
public final class PagesBench {
  static final int PAGES = 10_000;
  static final int QUICK_PAGES = 500;
  private static final int OPENS = 2_000;
  private static final int SEARCHES = 500;

  private static final Vocabulary WORDS = new Vocabulary(11);

  private PagesBench() {}

  static void run(PrintStream out, boolean quick) throws Exception {
    int pages = quick ? QUICK_PAGES : PAGES;
    Path dir = Files.createTempDirectory("dure-bench-pages");
    try {
      System.err.println("generating " + pages + " pages...");
      Map<String, String> gen =
          ChildJvm.run(Generate.class, List.of("-Xmx1g"), List.of(dir.toString(), "" + pages));
      System.err.println("measuring page opens and searches...");
      Map<String, String> m =
          ChildJvm.run(Measure.class, List.of("-Xmx512m"), List.of(dir.toString(), "" + pages));
      out.println("## A wiki of " + String.format("%,d", pages) + " pages");
      out.println();
      out.printf(
          "Generated in %.1f s (%s on disk); pages of 1–6 KB of Markdown with links, made-up"
              + " English and Korean words with a Zipf distribution (4,000 words). Measured in a fresh JVM on the reopened store, default options"
              + " (256 MiB native cache budget).%n",
          Double.parseDouble(gen.get("millis")) / 1000,
          Stats.mib(Long.parseLong(gen.get("dbBytes"))));
      out.println();
      out.println("| operation | n | p50 | p95 | p99 | max | target |");
      out.println("|---|---:|---:|---:|---:|---:|---|");
      out.println(m.get("openCold") + " p95 ≤ 30 ms |");
      out.println(m.get("openWarm") + " |");
      out.println(m.get("search") + " p95 ≤ 50 ms |");
      out.println(m.get("searchCommon") + " |");
      out.println(m.get("list") + " |");
      out.println();
      out.printf(
          "RSS after the measurements: %s (peak %s); Java heap used after GC: %s.%n",
          Stats.mib(Long.parseLong(m.getOrDefault("rss", "0"))),
          Stats.mib(Long.parseLong(m.getOrDefault("peakRss", "0"))),
          Stats.mib(Long.parseLong(m.get("heapUsed"))));
    } finally {
      TraceBench.deleteTree(dir);
    }
  }

  static String body(Random rnd, int i, int pages) {
    StringBuilder sb = new StringBuilder();
    int paragraphs = 2 + rnd.nextInt(8);
    sb.append("# Page ").append(i).append("\n\n");
    for (int p = 0; p < paragraphs; p++) {
      int words = 40 + rnd.nextInt(80);
      for (int w = 0; w < words; w++) {
        if (rnd.nextInt(30) == 0) {
          sb.append("[[Page ").append(rnd.nextInt(pages)).append("]] ");
        } else {
          sb.append(WORDS.frequent(rnd)).append(rnd.nextInt(10) == 0 ? ". " : " ");
        }
      }
      sb.append("\n\n");
    }
    return sb.toString();
  }

  /** Child 1: creates the pages. */
  public static final class Generate {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      int pages = Integer.parseInt(args[1]);
      Random rnd = new Random(42);
      long start = System.nanoTime();
      try (WikiStore store = WikiStore.open(dir, StoreOptions.defaults())) {
        SpaceId space = store.defaultSpace().id();
        for (int i = 0; i < pages; i++) {
          store.createPage(space, "Page " + i, body(rnd, i, pages), Optional.empty());
          if (i % 1000 == 999) {
            System.out.println("  " + (i + 1) + " pages");
          }
        }
        store.flushIndex();
      }
      ChildJvm.report("millis", (System.nanoTime() - start) / 1e6);
      ChildJvm.report("dbBytes", TraceBench.dirSize(dir));
    }
  }

  /** Child 2: reopens the store and measures. */
  public static final class Measure {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      int pages = Integer.parseInt(args[1]);
      Random rnd = new Random(7);
      try (WikiStore store = WikiStore.open(dir, StoreOptions.defaults())) {
        SpaceId space = store.defaultSpace().id();
        List<PageId> ids = new ArrayList<>();
        for (int off = 0; off < pages + 1; off += 500) {
          store.pages(space, off, 500).forEach(s -> ids.add(s.id()));
        }
        // What the page view does: the page, its summary and its backlinks.
        double[] cold = new double[Math.min(OPENS, ids.size())];
        List<PageId> shuffled = new ArrayList<>(ids);
        java.util.Collections.shuffle(shuffled, rnd);
        for (int i = 0; i < cold.length; i++) {
          PageId id = shuffled.get(i);
          cold[i] = time(() -> open(store, id));
        }
        double[] warm = new double[OPENS];
        List<PageId> hot = shuffled.subList(0, Math.min(50, shuffled.size()));
        for (int i = 0; i < warm.length; i++) {
          PageId id = hot.get(rnd.nextInt(hot.size()));
          warm[i] = time(() -> open(store, id));
        }
        // Queries of one or two words, half drawn by frequency in the text (common words come
        // up often), half uniformly from the vocabulary (mostly rarer words).
        double[] search = new double[SEARCHES];
        for (int i = 0; i < search.length; i++) {
          boolean byFrequency = i % 2 == 0;
          String w1 = byFrequency ? WORDS.frequent(rnd) : WORDS.any(rnd);
          String q =
              rnd.nextBoolean()
                  ? w1
                  : w1 + " " + (byFrequency ? WORDS.frequent(rnd) : WORDS.any(rnd));
          search[i] = time(() -> store.search(Optional.empty(), q, 20));
        }
        // The worst case: one of the 10 commonest words, found in nearly every page.
        double[] common = new double[100];
        for (int i = 0; i < common.length; i++) {
          String q = WORDS.common(rnd, 10);
          common[i] = time(() -> store.search(Optional.empty(), q, 20));
        }
        double[] list = new double[200];
        for (int i = 0; i < list.length; i++) {
          int off = rnd.nextInt(Math.max(1, pages - 50));
          list[i] = time(() -> store.pages(space, off, 50));
        }
        ChildJvm.report("openCold", row("open a page (not in cache)", cold));
        ChildJvm.report("openWarm", row("open a page (in cache)", warm));
        ChildJvm.report("search", row("search, 1–2 words, top 20", search));
        ChildJvm.report("searchCommon", row("search for a word in nearly every page", common));
        ChildJvm.report("list", row("list 50 pages of the space", list));
        System.gc();
        Runtime rt = Runtime.getRuntime();
        ChildJvm.report("heapUsed", rt.totalMemory() - rt.freeMemory());
        Proc.rssBytes().ifPresent(b -> ChildJvm.report("rss", b));
        ChildJvm.reportPeakRss();
      }
    }

    private static void open(WikiStore store, PageId id) {
      store.page(id);
      PageSummary s = store.summary(id);
      store.backlinks(s.id());
    }

    private static double time(Runnable r) {
      long t = System.nanoTime();
      r.run();
      return (System.nanoTime() - t) / 1e6;
    }

    private static String row(String name, double[] ms) {
      double[] s = ms.clone();
      Arrays.sort(s);
      return String.format(
          "| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms |",
          name,
          s.length,
          Stats.quantile(s, 0.5),
          Stats.quantile(s, 0.95),
          Stats.quantile(s, 0.99),
          s[s.length - 1]);
    }
  }
}
