package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.RegistryArchive;
import dev.berth.local.RegistryLauncher;
import dev.berth.testing.SlowHealthServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth registry start} starts a background registry once; {@code berth registry stop}
 * stops it (they were {@code berth up} / {@code berth down} before those named a stack).
 */
class RegistryStartStopIT {

  @TempDir
  Path temp;

  @Test
  void start_whenTheRegistryOfRegistryJsonAnswersSlowly_saysAlreadyRunning() throws Exception {
    long me = ProcessHandle.current().pid();
    try (SlowHealthServer slow = new SlowHealthServer(Duration.ofSeconds(5));
        BerthJar berth = new BerthJar(temp)) {
      Path info = berth.home().resolve("registry.json");
      Files.writeString(info, "{\"address\": \"" + slow.address() + "\", \"pid\": \"" + me + "\"}");
      try {
        BerthJar.Result up = berth.run("registry", "start", "--port", "0");

        assertThat(up.exitCode).as(up.toString()).isZero();
        assertThat(up.out).contains("already running on " + slow.address(), "pid " + me);
      } finally {
        // a second registry, had `start` taken the slow one for none
        Matcher pid = Pattern.compile("\"pid\": \"(\\d+)\"").matcher(Files.readString(info));
        if (pid.find() && Long.parseLong(pid.group(1)) != me) {
          ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  @Test
  void start_threeAtOnce_allSucceedOnOneRegistry() throws Exception {
    try (BerthJar berth = new BerthJar(temp)) {
      // each starts a registry; two lose the state dir's lock and must wait for the winner
      List<BerthJar.Started> ups = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ups.add(berth.start("registry", "start", "--port", "0"));
      }
      Set<String> pids = new HashSet<>();
      try {
        for (BerthJar.Started started : ups) {
          BerthJar.Result up = started.await(Duration.ofSeconds(60));
          assertThat(up.exitCode).as(up.toString()).isZero();
          Matcher m = Pattern.compile("(?:listening|running) on 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)")
              .matcher(up.out);
          assertThat(m.find()).as(up.out).isTrue();
          pids.add(m.group(1));
        }
        assertThat(pids).as("registries the three berth registry start reported").hasSize(1);
      } finally {
        pids.forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  @Test
  void start_throughTheLauncher_startsTheRegistryFromBerthJarWithItsArchive() throws Exception {
    // bin/berth runs berth-launcher.jar; the full CLI it falls through to must start the daemon
    // from berth.jar (the jar the archive was made for), not from the launcher's class path
    try (BerthJar berth = new BerthJar(temp)) {
      BerthJar.Result up = berth.runJar(BerthJar.LAUNCHER, Map.of(), "registry", "start", "--port", "0");
      assertThat(up.exitCode).as(up.toString()).isZero();
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)").matcher(up.out);
      assertThat(m.find()).as(up.out).isTrue();
      ProcessHandle registry = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
      try {
        assertThat(registry.info().commandLine()).get().asString()
            .contains("-XX:SharedArchiveFile=" + RegistryArchive.of(BerthJar.JAR));
        BerthJar.Result down = berth.runJar(BerthJar.LAUNCHER, Map.of(), "registry", "stop");
        assertThat(down.exitCode).as(down.toString()).isZero();
      } finally {
        registry.destroyForcibly();
      }
    }
  }

  @Test
  void start_startsOneBackgroundRegistry_stopStopsIt() throws Exception {
    try (BerthJar berth = new BerthJar(temp)) {
      BerthJar.Result up = berth.run("registry", "start", "--port", "0");
      assertThat(up.exitCode).as(up.toString()).isZero();
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)").matcher(up.out);
      assertThat(m.find()).as(up.out).isTrue();
      ProcessHandle registry = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
      try {
        assertThat(berth.home().resolve("registry.log")).exists();
        // the one launcher: the registry's own main class with the daemon's flags, as a client's
        // auto-start and the bench run it
        assertThat(registry.info().commandLine()).get().asString()
            .contains(String.join(" ", RegistryLauncher.JVM_FLAGS) + " " + RegistryLauncher.MAIN_CLASS
                + " --home " + berth.home().toAbsolutePath().normalize());
        // with the daemon's class-data-sharing archive that `mvn package` made beside berth.jar
        assertThat(registry.info().commandLine()).get().asString()
            .contains("-XX:SharedArchiveFile=" + RegistryArchive.of(BerthJar.JAR));

        BerthJar.Result again = berth.run("registry", "start", "--port", "0");
        assertThat(again.exitCode).as(again.toString()).isZero();
        assertThat(again.out).contains("already running", "pid " + registry.pid());
        BerthJar.Result ls = berth.run("ls");
        assertThat(ls.exitCode).as(ls.toString()).isZero();
        // the background registry got BERTH_PORTS from `berth registry start`'s environment
        Matcher metrics = Pattern.compile("berth\\s+metrics\\s+127\\.0\\.0\\.1:(\\d+)").matcher(ls.out);
        assertThat(metrics.find()).as(ls.out).isTrue();
        assertThat(berth.pool().contains(Integer.parseInt(metrics.group(1)))).as(ls.out + " in " + berth.pool())
            .isTrue();

        BerthJar.Result down = berth.run("registry", "stop");
        assertThat(down.exitCode).as(down.toString()).isZero();
        assertThat(down.out).contains("stopped", "pid " + registry.pid());
        assertThat(registry.isAlive()).isFalse();
        assertThat(Files.exists(berth.home().resolve("registry.json"))).isFalse();

        BerthJar.Result none = berth.run("ls");
        assertThat(none.exitCode).isEqualTo(1);
        assertThat(none.err).contains("berth registry start");
      } finally {
        registry.destroyForcibly();
      }
    }
  }

  @Test
  void start_whenThePreferredPortIsTaken_saysWhoHoldsItAndListensOnAnother() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        BerthJar berth = new BerthJar(temp)) {
      int taken = squatter.getLocalPort();
      // --default-port stands in for 62893, which a test must never touch; the pool is
      // BerthJar's own (BERTH_PORTS)
      BerthJar.Result up = berth.run("registry", "start", "--default-port", String.valueOf(taken));
      assertThat(up.exitCode).as(up.toString()).isZero();
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)").matcher(up.out);
      assertThat(m.find()).as(up.out).isTrue();
      ProcessHandle registry = ProcessHandle.of(Long.parseLong(m.group(2))).orElseThrow();
      try {
        assertThat(up.out).contains("port " + taken + " is held by pid " + ProcessHandle.current().pid());
        assertThat(Integer.parseInt(m.group(1))).isNotEqualTo(taken);
        assertThat(berth.run("registry", "stop").exitCode).isZero();
      } finally {
        registry.destroyForcibly();
      }
    }
  }

}
