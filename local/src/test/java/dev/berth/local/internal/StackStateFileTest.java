package dev.berth.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stack.json as the supervisor writes it and as berth ps and the dashboard believe it. */
class StackStateFileTest {

  @TempDir
  Path home;

  @Test
  void write_thenRead_isTheSameState_inA0600FileOfA0700Dir() throws Exception {
    StackStateFile file = StackStateFile.of(home, "shop-1a2b");
    StackState state = StackState.newBuilder().setNamespace("shop-1a2b").setSupervisorPid(42)
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(1).putPorts("grpc", 61001))
        .build();

    assertThat(file.read()).isEmpty();
    file.write(state);

    assertThat(file.read()).contains(state);
    assertThat(file.path()).isEqualTo(home.resolve("stacks/shop-1a2b/stack.json"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.dir()))).isEqualTo("rwx------");
  }

  @Test
  void read_ofWhatIsNotAStackState_failsNamingTheFile() throws Exception {
    StackStateFile file = StackStateFile.of(home, "shop-1a2b");
    file.createDir();
    Files.writeString(file.path(), "{\"supervisorPid\": \"many\"}");

    assertThatThrownBy(file::read).isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.path() + ": not a stack state");
  }

  @Test
  void controlSocket_isTheStatesPath_elseTheStackDirs() {
    StackStateFile file = StackStateFile.of(home, "shop-1a2b");

    assertThat(file.controlSocket(StackState.getDefaultInstance()))
        .isEqualTo(home.resolve("stacks/shop-1a2b/control.sock"));
    assertThat(file.controlSocket(StackState.newBuilder().setControlSocket("/run/x.sock").build()))
        .isEqualTo(Path.of("/run/x.sock"));
    assertThat(file.logsDir()).isEqualTo(home.resolve("stacks/shop-1a2b/logs"));
  }

  @Test
  void supervisorRuns_onlyForThePidWithItsRecordedStartTime() throws Exception {
    long self = ProcessHandle.current().pid();
    long ticks = ProcStat.startTicks(self).orElseThrow();
    Process child = new ProcessBuilder("sleep", "30").start();
    long childTicks;
    try {
      childTicks = ProcStat.startTicks(child.pid()).orElseThrow();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(StackStateFile.supervisorRuns(supervisor(self, ticks))).isTrue();
    assertThat(StackStateFile.supervisorRuns(supervisor(self, ticks + 1))).as("a reused pid").isFalse();
    assertThat(StackStateFile.supervisorRuns(supervisor(child.pid(), childTicks))).as("exited").isFalse();
    assertThat(StackStateFile.supervisorRuns(supervisor(self, 0))).as("no /proc where written: the pid").isTrue();
    assertThat(StackStateFile.supervisorRuns(supervisor(0, 0))).isFalse();
  }

  @Test
  void supervisorRuns_isFalseForAZombieSupervisor() throws Exception {
    // sleep 0's parent becomes `sleep 5` (exec), which never reaps it: a zombie for 5 s
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 5").start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      long zombie = Long.parseLong(out.readLine().trim());
      long ticks = ProcStat.startTicks(zombie).orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (ProcStat.runs(zombie, ticks) && System.nanoTime() < deadline) {
        Thread.sleep(10); // until sleep 0 has exited
      }
      assertThat(ProcStat.sameProcess(zombie, ticks)).as("still in /proc, unreaped").isTrue();

      assertThat(StackStateFile.supervisorRuns(supervisor(zombie, ticks))).isFalse();
    } finally {
      parent.destroyForcibly();
      parent.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static StackState supervisor(long pid, long ticks) {
    return StackState.newBuilder().setSupervisorPid(pid).setSupervisorStartTicks(ticks).build();
  }
}
