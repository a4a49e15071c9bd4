package dev.berth.bench;

/**
 * How much to measure: {@link #QUICK} for a smoke run, {@link #FULL} for the numbers in
 * BENCHMARKS.md. {@code stackRuns}: rounds of the sample stack started by {@code berth up} and
 * directly ({@link StackFigures}); {@code idleSeconds}: the interval over which an idle
 * supervisor's CPU is read ({@link SupervisorOverhead}); {@code dashboardSeconds}: each of the
 * registry's CPU windows with and without a dashboard open ({@link DashboardFigures}).
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
    int starts,
    int stackRuns,
    int idleSeconds,
    int dashboardSeconds) {

  static final Scale QUICK = new Scale(5_000, 10_000, 2_000, 5_000, 2_000, 300, 20, 5, 100, 1_000, 2, 1, 2, 3);
  static final Scale FULL = new Scale(50_000, 100_000, 20_000, 50_000, 10_000, 2_000, 100, 25, 100, 1_000, 5, 4, 10, 20);
}
