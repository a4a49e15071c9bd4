package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.local.LatencySamples;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code bin/berth bench [--quick] [--json FILE] [--no-etcd]}: measures the figures Berth is
 * judged by and prints one table, each figure beside its baseline from the same run. The
 * registry runs as a child process with the flags {@code berth registry start} gives it, in a temporary
 * state dir, so the run never touches the user's own registry. When {@code etcd} and
 * {@code etcdctl} are on the PATH, the same figures are then measured on an etcd of its own
 * ({@link EtcdFigures}) and printed beside Berth's.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    // the client library logs every re-attach at INFO, and a run re-attaches hundreds
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (Handler handler : root.getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    Scale scale = Scale.FULL;
    Path json = null;
    boolean etcd = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> scale = Scale.QUICK;
        case "--no-etcd" -> etcd = false;
        case "--json" -> {
          if (i + 1 == args.length) {
            usage("--json needs a file name");
          }
          json = Path.of(args[++i]);
        }
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> usage("unknown argument: " + args[i]);
      }
    }
    System.exit(run(scale, json, etcd, System.out));
  }

  private static final String USAGE = "usage: berth bench [--quick] [--json FILE] [--no-etcd]";

  private static void usage(String message) {
    System.err.println("berth bench: " + message + " (" + USAGE + ")");
    System.exit(2);
  }

  static int run(Scale scale, Path json, boolean withEtcd, PrintStream out) throws Exception {
    Map<String, String> machine = machine();
    Optional<EtcdInstall> etcd = withEtcd ? EtcdInstall.find(System.getenv("PATH")) : Optional.empty();
    machine.put("etcd", etcd.map(EtcdInstall::version).orElse(withEtcd ? "not on PATH" : "skipped (--no-etcd)"));
    out.println("berth bench (" + (scale == Scale.QUICK ? "quick" : "full") + ") on " + machine);
    if (withEtcd && etcd.isEmpty()) {
      out.println(EtcdInstall.MISSING);
    }
    ResultTable table = new ResultTable();
    Path scratch = Files.createTempDirectory("berth-bench");
    try {
      Path home = Files.createDirectories(scratch.resolve("home"));
      out.println("loopback floor…");
      LatencySamples floor = LoopbackFloor.measure(scale.callWarmup(), scale.calls());
      try (Children children = new Children()) {
        children.registry(0, home).awaitLine("berth registry listening on", Duration.ofSeconds(30));
        try (Berth berth = Berth.builder().stateDir(home).build()) {
          out.println("calls by name and by port…");
          CallFigures.run(berth, scale, table);
          GrpcUnixFloor.run(scratch, scale, table);
          table.add(new Row("loopback floor: 1-byte TCP ping-pong", Units.latency(floor), "", "", "", null,
              Map.of("p50_ns", floor.p50(), "p99_ns", floor.p99(), "count", (double) floor.count())));
          out.println("Resolve…");
          ResolveFigures.run(berth, home, scale, table);
          out.println("berth resolve and berth ls as commands…");
          CliFigures.run(berth, home, scratch, scale, table);
          out.println("berth doctor and berth who as commands, beside ss and lsof…");
          DoctorFigures.run(berth, home, scale, table);
          out.println("attach and kill -9 seen from another process…");
          ProcessFigures.run(berth, home, scale, table);
        }
      }
      out.println("registry start, restart and memory…");
      RegistryFigures.run(scratch, scale, table);
      out.println("berth up of the sample stack, kill -9 in it, the supervisor's cost…");
      StackFigures.run(scratch, scale, table);
      SupervisorOverhead.run(scratch, scale, table);
      out.println("the dashboard: the page's weight, the registry's CPU while it is open…");
      DashboardFigures.run(scratch, scale, table);
    } finally {
      deleteTree(scratch);
    }
    if (etcd.isPresent()) {
      try {
        table.joinEtcd(EtcdFigures.run(etcd.get(), EtcdScale.of(scale), out));
      } catch (Exception e) {
        // Berth's rows stand without it: say why the column is blank, keep the run
        out.println("etcd's rows failed, column left blank: " + e);
        machine.put("etcd", etcd.get().version() + " (failed: " + e.getMessage() + ")");
      }
    }
    out.println();
    table.print(out);
    if (json != null) {
      table.writeJson(json, machine);
      out.println("wrote " + json);
    }
    return 0;
  }

  private static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
