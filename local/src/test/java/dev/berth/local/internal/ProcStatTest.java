package dev.berth.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A process that has exited is not running, even while nobody has reaped it. */
class ProcStatTest {

  @Test
  void runs_isFalseForAZombie_thatSameProcessStillFinds() throws Exception {
    // sleep 0's parent becomes `sleep 3` (exec), which never reaps it: a zombie for 3 s
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 3").start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      long zombie = Long.parseLong(out.readLine().trim());
      long ticks = ProcStat.startTicks(zombie).orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (ProcStat.runs(zombie, ticks) && System.nanoTime() < deadline) {
        Thread.sleep(10); // until sleep 0 has exited
      }
      assertThat(ProcStat.sameProcess(zombie, ticks)).as("still in /proc, unreaped").isTrue();
      assertThat(ProcStat.runs(zombie, ticks)).isFalse();
      assertThat(ProcStat.runs(ProcessHandle.current().pid(),
          ProcStat.startTicks(ProcessHandle.current().pid()).orElseThrow())).isTrue();
    } finally {
      parent.destroyForcibly();
      parent.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
