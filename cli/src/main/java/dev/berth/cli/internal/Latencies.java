package dev.berth.cli.internal;

import java.util.Arrays;

/** Call durations measured by the demo, summarised as p50/p99. Not thread-safe. */
final class Latencies {

  private long[] nanos = new long[64];
  private int count;

  void add(long durationNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = durationNanos;
  }

  int count() {
    return count;
  }

  /** The smallest duration at or above the fraction {@code q} of the calls, in ms. */
  double percentileMillis(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(q * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
  }

  String summary() {
    return "p50 " + millis(percentileMillis(0.5)) + ", p99 " + millis(percentileMillis(0.99));
  }

  static String millis(double ms) {
    return ms < 10 ? String.format("%.2f ms", ms) : String.format("%.0f ms", ms);
  }
}
