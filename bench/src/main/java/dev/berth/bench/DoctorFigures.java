package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import dev.berth.local.LatencySamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/berth doctor} and {@code bin/berth who PORT} as a user runs them, wall time from
 * fork to exit, against the bench's registry with one live instance; beside what a developer
 * runs today for the same questions, in the same rounds: {@code ss -ltnp} (every listener and
 * its process) and {@code lsof -nP -iTCP:PORT -sTCP:LISTEN} (who holds one port). Rounds
 * alternate the four, so that load falls on all alike. A baseline tool that is not installed
 * leaves its row's baseline blank.
 */
final class DoctorFigures {

  private static final int WARMUP = 2;

  private DoctorFigures() {}

  static void run(Berth berth, Path home, Scale scale, ResultTable table) throws Exception {
    Optional<Path> script = Checkout.binBerth();
    if (script.isEmpty()) {
      for (String figure : new String[] {"berth doctor, wall", "berth who PORT, wall"}) {
        table.add(new Row(figure, "not measured: no bin/berth beside the bench jar", "", "", "",
            null, Map.of()));
      }
      return;
    }
    int runs = scale == Scale.QUICK ? 10 : 30;
    try (Lease lease = berth.lease("bench-doctor").attach();
        Listening listening = Listening.on(lease)) {
      lease.ready();
      String port = Integer.toString(lease.port());
      List<String> doctor = List.of(script.get().toString(), "doctor");
      List<String> who = List.of(script.get().toString(), "who", port);
      List<String> ss = List.of("ss", "-ltnp");
      List<String> lsof = List.of("lsof", "-nP", "-iTCP:" + port, "-sTCP:LISTEN");
      boolean hasSs = installed(ss);
      boolean hasLsof = installed(lsof);
      LatencySamples doctors = new LatencySamples(runs);
      LatencySamples whos = new LatencySamples(runs);
      LatencySamples sss = new LatencySamples(runs);
      LatencySamples lsofs = new LatencySamples(runs);
      for (int i = 0; i < WARMUP + runs; i++) {
        long d = wall(doctor, home);
        long w = wall(who, home);
        long s = hasSs ? wall(ss, home) : 0;
        long l = hasLsof ? wall(lsof, home) : 0;
        if (i >= WARMUP) {
          doctors.add(d);
          whos.add(w);
          if (hasSs) {
            sss.add(s);
          }
          if (hasLsof) {
            lsofs.add(l);
          }
        }
      }
      table.add(row("berth doctor, wall (bin/berth doctor)", doctors, hasSs ? sss : null, "ss -ltnp"));
      table.add(row("berth who PORT, wall (bin/berth who " + port + ")", whos, hasLsof ? lsofs : null,
          "lsof -nP -iTCP:PORT -sTCP:LISTEN"));
    }
  }

  private static Row row(String figure, LatencySamples s, LatencySamples baseline, String tool) {
    if (baseline == null) {
      return new Row(figure, Units.latency(s), tool + ": not installed", "", "", null,
          Map.of("p50_ns", s.p50(), "p99_ns", s.p99(), "count", (double) s.count()));
    }
    return new Row(figure, Units.latency(s), tool + ": " + Units.latency(baseline),
        Units.ratio(s.p50() / baseline.p50()), "", null,
        Map.of("p50_ns", s.p50(), "p99_ns", s.p99(), "count", (double) s.count(),
            "baseline_p50_ns", baseline.p50(), "baseline_p99_ns", baseline.p99()));
  }

  private static boolean installed(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      p.waitFor();
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Fork to exit of {@code command}, its output read to the end as a terminal would; doctor
   * exits 1 when the machine has something to fix, which is its answer, not a failure.
   */
  private static long wall(List<String> command, Path home) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("BERTH_HOME", home.toString());
    builder.environment().remove("BERTH_REGISTRY");
    long start = System.nanoTime();
    Process p = builder.start();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    int code = p.waitFor();
    long nanos = System.nanoTime() - start;
    if (code > 1) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + code);
    }
    return nanos;
  }
}
