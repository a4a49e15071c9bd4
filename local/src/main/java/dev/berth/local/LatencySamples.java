package dev.berth.local;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, with nearest-rank percentiles: the one way Berth's tools
 * summarise what they time ({@code berth demo}'s calls, every figure of {@code berth bench}),
 * so a p99 means the same in both.
 *
 * <pre>{@code
 * LatencySamples samples = new LatencySamples(1_000);
 * samples.add(System.nanoTime() - start);
 * double p99Nanos = samples.p99();
 * }</pre>
 *
 * <p>Not thread-safe: one recorder per thread, {@link #merge merged} afterwards.
 */
public final class LatencySamples {
  private long[] values;
  private int count;

  /** Room for {@code expected} samples to start with; it grows as needed. */
  public LatencySamples(int expected) {
    values = new long[Math.max(16, expected)];
  }

  /** Records one duration in nanoseconds. */
  public void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[count++] = nanos;
  }

  /** Adds every sample of {@code other}. */
  public void merge(LatencySamples other) {
    for (int i = 0; i < other.count; i++) {
      add(other.values[i]);
    }
  }

  /** How many samples were recorded. */
  public int count() {
    return count;
  }

  /** The {@code p}-th percentile (0 < p ≤ 100) in nanoseconds; NaN when empty. */
  public double percentile(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  /** The median in nanoseconds; NaN when empty. */
  public double p50() {
    return percentile(50);
  }

  /** The 99th percentile in nanoseconds; NaN when empty. */
  public double p99() {
    return percentile(99);
  }
}
