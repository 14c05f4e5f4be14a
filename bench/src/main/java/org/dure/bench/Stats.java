package org.dure.bench;

/** Small figures the suites print: quantiles of timings, sizes in MiB. */
public final class Stats {
  private Stats() {}

  /** Formats a byte count as MiB with one decimal. */
  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** The value at quantile {@code q} (0..1) of sorted {@code values}, nearest-rank. */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
