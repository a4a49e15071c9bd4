package dev.berth.local.internal;

import dev.berth.local.LatencySamples;

/** Call durations measured by the demo, summarised as p50/p99 the way the bench does. Not thread-safe. */
public final class Latencies {

  private final LatencySamples samples = new LatencySamples(64);

  public void add(long durationNanos) {
    samples.add(durationNanos);
  }

  public int count() {
    return samples.count();
  }

  /** The smallest duration at or above the fraction {@code q} of the calls, in ms. */
  public double percentileMillis(double q) {
    return samples.percentile(q * 100) / 1e6;
  }

  public String summary() {
    return "p50 " + millis(percentileMillis(0.5)) + ", p99 " + millis(percentileMillis(0.99));
  }

  public static String millis(double ms) {
    return ms < 10 ? String.format("%.2f ms", ms) : String.format("%.0f ms", ms);
  }
}
