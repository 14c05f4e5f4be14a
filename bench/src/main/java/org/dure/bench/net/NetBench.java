package org.dure.bench.net;

import java.io.PrintStream;

/** Network benchmarks (being written). */
public final class NetBench {
  private NetBench() {}

  public static void run(PrintStream out, boolean quick) {
    out.println("## Network");
    out.println();
    out.println("(not yet written)");
  }
}
