package dev.berth.bench;

import dev.berth.client.Berth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code berth up}'s supervisor costs per process it supervises: its JVM's resident memory
 * and idle CPU with 1 and then with 10 small python3 listeners (lease: runner, so the supervisor
 * holds a lease and reads an output stream for each), and the slope between the two; beside one
 * {@code berth run} JVM, what supervising the same listener costs without a stack.
 */
final class SupervisorOverhead {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** After all are live: what the JVM loads and compiles at start settles. */
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final int FEW = 1;
  private static final int MANY = 10;
  /** Listens on $PORT and waits; SIGTERM ends it. */
  static final String LISTENER = "import os, signal, socket; s = socket.socket(); "
      + "s.bind(('127.0.0.1', int(os.environ['PORT']))); s.listen(); signal.pause()";

  /** One reading of a supervising JVM, all its processes live and idle. */
  record Reading(long rssBytes, double cpuMillisPerSecond) {}

  private SupervisorOverhead() {}

  static void run(Path scratch, Scale scale, ResultTable table) throws Exception {
    Optional<Path> script = Checkout.binBerth();
    if (script.isEmpty() || !python3()) {
      table.add(new Row("berth up's supervisor, per supervised process", "not measured: "
          + (script.isEmpty() ? "no bin/berth beside the bench jar" : "no python3 on the PATH"),
          "", "", "", null, Map.of()));
      return;
    }
    // short: the stacks' control sockets live under it, and a Unix socket path has 107 bytes
    Path home = Files.createDirectories(scratch.resolve("ov"));
    Path log = scratch.resolve("overhead.log");
    Duration idle = Duration.ofSeconds(scale.idleSeconds());
    Reading few;
    Reading many;
    Reading run;
    try (Children children = new Children()) {
      BerthUp.build(script.get());
      children.registry(0, home, StackFigures.OVERHEAD_POOL).awaitLine("berth registry listening on", WAIT);
      try (Berth berth = Berth.builder().stateDir(home).autoStart(false).build()) {
        few = supervisor(children, berth, script.get(), scratch, home, log, FEW, idle);
        many = supervisor(children, berth, script.get(), scratch, home, log, MANY, idle);
        run = berthRun(children, berth, script.get(), scratch, home, log, idle);
      }
    } finally {
      Leftovers.kill(home);
    }
    double rssSlope = ProcUsage.perProcess(FEW, few.rssBytes(), MANY, many.rssBytes());
    double cpuSlope = ProcUsage.perProcess(FEW, few.cpuMillisPerSecond(), MANY, many.cpuMillisPerSecond());
    table.add(new Row("berth up's supervisor, resident memory per supervised process (" + FEW + " → " + MANY
        + " python3 listeners)", "+" + ProcUsage.mib(rssSlope) + " per process (" + FEW + ": "
        + ProcUsage.mib(few.rssBytes()) + ", " + MANY + ": " + ProcUsage.mib(many.rssBytes()) + ")",
        "one berth run JVM per process: " + ProcUsage.mib(run.rssBytes()), Units.ratio(rssSlope / run.rssBytes()),
        "", null, Map.of("per_process_bytes", rssSlope, "rss_bytes_" + FEW, (double) few.rssBytes(),
            "rss_bytes_" + MANY, (double) many.rssBytes(), "berth_run_rss_bytes", (double) run.rssBytes())));
    table.add(new Row("berth up's supervisor, idle CPU per supervised process (" + FEW + " → " + MANY
        + " python3 listeners, " + idle.toSeconds() + " s)", cpu(cpuSlope) + " per process (" + FEW + ": "
        + cpu(few.cpuMillisPerSecond()) + ", " + MANY + ": " + cpu(many.cpuMillisPerSecond()) + ")",
        "one berth run JVM per process: " + cpu(run.cpuMillisPerSecond()),
        run.cpuMillisPerSecond() > 0 ? Units.ratio(cpuSlope / run.cpuMillisPerSecond()) : "", "", null,
        Map.of("per_process_cpu_ms_per_s", cpuSlope, "cpu_ms_per_s_" + FEW, few.cpuMillisPerSecond(),
            "cpu_ms_per_s_" + MANY, many.cpuMillisPerSecond(), "berth_run_cpu_ms_per_s", run.cpuMillisPerSecond(),
            "idle_s", (double) idle.toSeconds())));
  }

  /** {@code berth up} of {@code n} listeners, read once all are live and settled. */
  private static Reading supervisor(Children children, Berth berth, Path script, Path scratch, Path home, Path log,
      int n, Duration idle) throws Exception {
    Path dir = Files.createDirectories(scratch.resolve("idle-" + n));
    Path file = dir.resolve("berth.yaml");
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add("bench-idle-" + i);
    }
    Files.writeString(file, stackFile(names));
    Children.Child up = BerthUp.start(children, script, file, List.of(), home, StackFigures.OVERHEAD_POOL, log);
    try {
      for (String name : names) {
        LiveInstances.await(berth, name, "main", Set.of(), WAIT, up.process, log);
      }
      return read(up.process.pid(), idle);
    } finally {
      BerthUp.stop(up, home);
    }
  }

  /** The baseline: {@code bin/berth run bench-idle-run -- python3 -c LISTENER}, the same listener. */
  private static Reading berthRun(Children children, Berth berth, Path script, Path scratch, Path home, Path log,
      Duration idle) throws Exception {
    Children.Child run = children.program(List.of(script.toString(), "run", "bench-idle-run", "--", "python3", "-c",
        LISTENER), scratch, BerthUp.env(home, StackFigures.OVERHEAD_POOL), log);
    try {
      LiveInstances.await(berth, "bench-idle-run", "main", Set.of(), WAIT, run.process, log);
      return read(run.process.pid(), idle);
    } finally {
      BerthUp.stop(run, home);
    }
  }

  private static Reading read(long pid, Duration idle) throws IOException, InterruptedException {
    Thread.sleep(SETTLE.toMillis());
    ProcUsage before = ProcUsage.of(pid);
    long t0 = System.nanoTime();
    Thread.sleep(idle.toMillis());
    ProcUsage after = ProcUsage.of(pid);
    return new Reading(after.rssBytes(), after.cpuMillisPerSecond(before, (System.nanoTime() - t0) / 1e9));
  }

  /** A berth.yaml of {@code names}, each a {@link #LISTENER} whose lease the supervisor holds. */
  static String stackFile(List<String> names) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (String name : names) {
      yaml.append("  ").append(name).append(":\n")
          .append("    command: [python3, -c, \"").append(LISTENER).append("\"]\n")
          .append("    lease: runner\n");
    }
    return yaml.toString();
  }

  private static String cpu(double millisPerSecond) {
    // a slope of equal readings is -0.0 as often as 0.0
    return String.format(Locale.ROOT, "%.2f ms CPU/s", Math.abs(millisPerSecond) < 0.005 ? 0.0 : millisPerSecond);
  }

  private static boolean python3() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "pass").start();
      return p.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
