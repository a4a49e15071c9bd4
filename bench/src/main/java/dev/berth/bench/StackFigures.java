package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.local.LatencySamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sample stack (catalog, orders, gateway of {@code sample-services/berth.yaml}) started by
 * {@code bin/berth up} until all three are live, beside the same three commands started directly
 * in dependency order, each waited for live, no supervisor; then each service killed with
 * SIGKILL until it is live again (on the same port, counted), restarted by the supervisor beside
 * restarted by hand at once. Rounds alternate direct and {@code berth up}, so that the machine's
 * load falls on both alike; all on a registry of the round's own, in a temp state dir, with the
 * bench's pool.
 */
final class StackFigures {
  /** The bench's own span, as the memory figures' (outside the default pool and the test suites' ports). */
  static final String POOL = System.getProperty("berth.bench.stackPorts", "5000-6999");
  /**
   * SupervisorOverhead's, apart from POOL: its python listeners bind without SO_REUSEADDR, and a
   * port the sample stack's rounds just used may still have connections in TIME_WAIT.
   */
  static final String OVERHEAD_POOL = System.getProperty("berth.bench.overheadPorts", "7000-9999");
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** One round's figures: to all live, and each kill → live again. */
  private static final class Round {
    long allLive;
    final LatencySamples restarts = new LatencySamples(SampleStack.SERVICES.size());
    int portsChanged;
  }

  private StackFigures() {}

  static void run(Path scratch, Scale scale, ResultTable table) throws Exception {
    Optional<Path> script = Checkout.binBerth();
    Optional<Path> stack = Checkout.sampleStack();
    if (script.isEmpty() || stack.isEmpty()) {
      for (String figure : new String[] {"berth up of the sample stack → all live",
          "kill -9 of a stack service → live again on the same port"}) {
        table.add(new Row(figure, "not measured: no bin/berth or sample-services/berth.yaml beside the bench jar",
            "", "", "", null, Map.of()));
      }
      return;
    }
    // short: the stack's control socket lives under it, and a Unix socket path has 107 bytes
    Path home = Files.createDirectories(scratch.resolve("up"));
    Path log = scratch.resolve("stack.log");
    int rounds = scale.stackRuns();
    // a quick run kills orders only: each kill is a JVM start, seconds on a small machine
    List<String> victims = scale == Scale.QUICK ? List.of("orders") : SampleStack.SERVICES;
    LatencySamples up = new LatencySamples(rounds);
    LatencySamples direct = new LatencySamples(rounds);
    LatencySamples upRestarts = new LatencySamples(rounds * SampleStack.SERVICES.size());
    LatencySamples handRestarts = new LatencySamples(rounds * SampleStack.SERVICES.size());
    int upChanged = 0;
    int handChanged = 0;
    Set<Long> seen = new HashSet<>();
    try (Children children = new Children()) {
      // built before the clock runs: bin/berth rebuilds berth.jar (which holds the samples) when stale
      BerthUp.build(script.get());
      children.registry(0, home, POOL).awaitLine("berth registry listening on", WAIT);
      try (Berth berth = Berth.builder().stateDir(home).autoStart(false).build()) {
        for (int i = 0; i < rounds; i++) {
          Round d = directRound(children, berth, stack.get(), home, log, seen, victims);
          Round u = upRound(children, berth, script.get(), stack.get(), home, log, seen, victims);
          direct.add(d.allLive);
          up.add(u.allLive);
          handRestarts.merge(d.restarts);
          upRestarts.merge(u.restarts);
          handChanged += d.portsChanged;
          upChanged += u.portsChanged;
        }
      }
    } finally {
      Leftovers.kill(home);
    }
    table.add(new Row("berth up of the sample stack → all live (catalog, orders, gateway; wall)",
        Units.latency(up), "the same commands started directly in dependency order, each waited for live: "
            + Units.latency(direct), Units.ratio(up.p50() / direct.p50()), "", null,
        Map.of("p50_ns", up.p50(), "p99_ns", up.p99(), "count", (double) up.count(),
            "direct_p50_ns", direct.p50(), "direct_p99_ns", direct.p99())));
    table.add(new Row("kill -9 of a stack service → live again on the same port (berth up restarts it)",
        Units.latency(upRestarts) + ", " + upChanged + " ports changed",
        "kill -9, then the same command again by hand at once: " + Units.latency(handRestarts) + ", "
            + handChanged + " ports changed", Units.ratio(upRestarts.p50() / handRestarts.p50()),
        "0 ports changed", upChanged == 0,
        Map.of("p50_ns", upRestarts.p50(), "p99_ns", upRestarts.p99(), "count", (double) upRestarts.count(),
            "ports_changed", (double) upChanged, "hand_p50_ns", handRestarts.p50(),
            "hand_p99_ns", handRestarts.p99(), "hand_ports_changed", (double) handChanged)));
  }

  /** The baseline: each sample's command started by the bench, the next once it is live. */
  private static Round directRound(Children children, Berth berth, Path dir, Path home, Path log, Set<Long> seen,
      List<String> victims) throws Exception {
    Round round = new Round();
    Map<String, String> env = BerthUp.env(home, POOL);
    Map<String, Children.Child> started = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    for (String service : SampleStack.SERVICES) {
      started.put(service, children.program(SampleStack.command(service), dir, env, log));
      seen.add(LiveInstances.await(berth, service, SampleStack.endpoint(service), seen, WAIT).pid());
    }
    round.allLive = System.nanoTime() - t0;
    for (String service : victims) {
      String endpoint = SampleStack.endpoint(service);
      LiveInstances.Live before = LiveInstances.await(berth, service, endpoint, Set.of(), WAIT);
      long killedAt = System.nanoTime();
      started.get(service).kill(); // SIGKILL, and reaped: what a script's `kill -9 $pid; wait` does
      started.put(service, children.program(SampleStack.command(service), dir, env, log));
      LiveInstances.Live after = LiveInstances.await(berth, service, endpoint, seen, WAIT);
      round.restarts.add(System.nanoTime() - killedAt);
      seen.add(after.pid());
      round.portsChanged += after.port() == before.port() ? 0 : 1;
    }
    for (Children.Child child : started.values()) {
      child.kill();
    }
    Leftovers.kill(home);
    return round;
  }

  /** {@code bin/berth up} of the three, until all are live; then each killed, the supervisor restarting it. */
  private static Round upRound(Children children, Berth berth, Path script, Path dir, Path home, Path log,
      Set<Long> seen, List<String> victims) throws Exception {
    Round round = new Round();
    long t0 = System.nanoTime();
    Children.Child up = BerthUp.start(children, script, dir.resolve("berth.yaml"), SampleStack.SERVICES, home,
        POOL, log);
    try {
      for (String service : SampleStack.SERVICES) {
        seen.add(LiveInstances.await(berth, service, SampleStack.endpoint(service), seen, WAIT, up.process, log)
            .pid());
      }
      round.allLive = System.nanoTime() - t0;
      for (String service : victims) {
        String endpoint = SampleStack.endpoint(service);
        LiveInstances.Live before = LiveInstances.await(berth, service, endpoint, Set.of(), WAIT);
        long killedAt = System.nanoTime();
        ProcessHandle.of(before.pid()).ifPresent(ProcessHandle::destroyForcibly);
        LiveInstances.Live after = LiveInstances.await(berth, service, endpoint, seen, WAIT, up.process, log);
        round.restarts.add(System.nanoTime() - killedAt);
        seen.add(after.pid());
        round.portsChanged += after.port() == before.port() ? 0 : 1;
      }
    } finally {
      BerthUp.stop(up, home);
    }
    return round;
  }
}
