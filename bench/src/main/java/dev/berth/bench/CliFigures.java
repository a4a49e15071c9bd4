package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import dev.berth.local.LatencySamples;
import dev.berth.local.RegistryLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/berth resolve NAME} and {@code bin/berth ls} as a user runs them, wall time from
 * fork to exit, against the bench's registry; beside the floor measured in the same rounds: a
 * bare {@code java} of the same JVM and flags as bin/berth's running an empty main from a
 * class dir (no jar to open). Rounds alternate floor, resolve and ls, so that load on the
 * machine falls on all three alike.
 */
final class CliFigures {

  /** The JVM flags bin/berth gives the CLI (besides its class-data-sharing archive). */
  static final List<String> CLI_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final double TARGET_NS = 250e6;
  private static final int WARMUP = 2;

  private CliFigures() {}

  static void run(Berth berth, Path home, Path scratch, Scale scale, ResultTable table) throws Exception {
    Optional<Path> script = Checkout.binBerth();
    if (script.isEmpty()) {
      for (String figure : new String[] {"berth resolve NAME, wall", "berth ls, wall"}) {
        table.add(new Row(figure, "not measured: no bin/berth beside the bench jar", "", "",
            "p50 ≤ 250 ms", false, Map.of()));
      }
      return;
    }
    int runs = scale == Scale.QUICK ? 10 : 40;
    try (Lease lease = berth.lease("bench-cli").attach();
        Listening listening = Listening.on(lease)) {
      lease.ready();
      Path floorDir = emptyMainDir(scratch);
      List<String> floor = new ArrayList<>(List.of(RegistryLauncher.javaBinary()));
      floor.addAll(CLI_JVM_FLAGS);
      floor.addAll(List.of("-cp", floorDir.toString(), EmptyMain.class.getName()));
      List<String> resolve = List.of(script.get().toString(), "resolve", "bench-cli");
      List<String> ls = List.of(script.get().toString(), "ls");

      String expected = "127.0.0.1:" + lease.port() + "\n";
      String resolved = wall(resolve, home, null).output;
      if (!resolved.equals(expected)) {
        throw new IllegalStateException("bin/berth resolve bench-cli printed '" + resolved.strip()
            + "' (expected: " + expected.strip() + ")");
      }
      LatencySamples floors = new LatencySamples(runs);
      LatencySamples resolves = new LatencySamples(runs);
      LatencySamples lists = new LatencySamples(runs);
      for (int i = 0; i < WARMUP + runs; i++) {
        long f = wall(floor, home, null).nanos;
        long r = wall(resolve, home, expected).nanos;
        long l = wall(ls, home, null).nanos;
        if (i >= WARMUP) {
          floors.add(f);
          resolves.add(r);
          lists.add(l);
        }
      }
      table.add(row("berth resolve NAME, wall (bin/berth resolve bench-cli)", resolves, floors));
      table.add(row("berth ls, wall (bin/berth ls)", lists, floors));
    }
  }

  private static Row row(String figure, LatencySamples s, LatencySamples floor) {
    return new Row(figure, Units.latency(s),
        "bare java " + String.join(" ", CLI_JVM_FLAGS) + ", empty main: " + Units.latency(floor),
        Units.ratio(s.p50() / floor.p50()), "p50 ≤ 250 ms", s.p50() <= TARGET_NS,
        Map.of("p50_ns", s.p50(), "p99_ns", s.p99(), "count", (double) s.count(),
            "floor_p50_ns", floor.p50(), "floor_p99_ns", floor.p99()));
  }

  private record Run(long nanos, String output) {}

  /** Fork to exit of {@code command}, its stdout read to the end as a shell's $(...) would. */
  private static Run wall(List<String> command, Path home, String expected) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("BERTH_HOME", home.toString());
    builder.environment().remove("BERTH_REGISTRY");
    long start = System.nanoTime();
    Process p = builder.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int code = p.waitFor();
    long nanos = System.nanoTime() - start;
    if (code != 0 || (expected != null && !out.equals(expected))) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + code + ", printed '"
          + out.strip() + "'");
    }
    return new Run(nanos, out);
  }

  /** {@link EmptyMain}'s class file alone in a dir: the floor opens no jar. */
  private static Path emptyMainDir(Path scratch) throws IOException {
    Path dir = scratch.resolve("cli-floor");
    String resource = EmptyMain.class.getName().replace('.', '/') + ".class";
    Path file = dir.resolve(resource);
    Files.createDirectories(file.getParent());
    try (InputStream in = EmptyMain.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(file, in.readAllBytes());
    }
    return dir;
  }
}
