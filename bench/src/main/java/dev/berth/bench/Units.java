package dev.berth.bench;

import dev.berth.local.LatencySamples;
import java.util.Locale;

/** Formatting of durations and ratios for the table. */
final class Units {
  private Units() {}

  /** Nanoseconds as µs below 10 ms, else ms, with three significant-ish digits. */
  static String nanos(double ns) {
    if (Double.isNaN(ns)) {
      return "n/a";
    }
    if (ns < 10_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", ns / 1_000.0);
    }
    return String.format(Locale.ROOT, "%.1f ms", ns / 1_000_000.0);
  }

  static String latency(LatencySamples s) {
    return "p50 " + nanos(s.p50()) + ", p99 " + nanos(s.p99()) + " (n=" + s.count() + ")";
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.3f", r);
  }
}
