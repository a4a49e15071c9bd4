package dev.berth.bench;

/**
 * How much to measure: {@link #QUICK} for a smoke run under a minute, {@link #FULL} for the
 * numbers in BENCHMARKS.md.
 */
record Scale(
    int callWarmup,
    int calls,
    int resolveWarmup,
    int resolves,
    long throughputMillis,
    int attachWarmup,
    int attaches,
    int kills,
    int restartInstances,
    int memoryInstances,
    int starts) {

  static final Scale QUICK = new Scale(5_000, 10_000, 2_000, 5_000, 2_000, 300, 20, 5, 100, 1_000, 2);
  static final Scale FULL = new Scale(50_000, 100_000, 20_000, 50_000, 10_000, 2_000, 100, 25, 100, 1_000, 5);
}
