package dev.berth.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, with nearest-rank percentiles. Not thread-safe: one
 * recorder per thread, {@link #merge merged} afterwards.
 */
final class Samples {
  private long[] values;
  private int count;

  Samples(int expected) {
    values = new long[Math.max(16, expected)];
  }

  void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[count++] = nanos;
  }

  void merge(Samples other) {
    for (int i = 0; i < other.count; i++) {
      add(other.values[i]);
    }
  }

  int count() {
    return count;
  }

  /** The {@code p}-th percentile (0 < p ≤ 100) in nanoseconds; NaN when empty. */
  double percentile(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  double p50() {
    return percentile(50);
  }

  double p99() {
    return percentile(99);
  }
}
