package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPoolsTest {

  static final int BLOCK = 4;

  @TempDir Path locks;
  final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void take_handsOutEachPortOnce_belowTheEphemeralRangeAndTheDefaultPool() {
    List<PortRange> ranges = new ArrayList<>();
    for (int n : new int[] {1, 4, 64, 3, 64, 1}) {
      ranges.add(TestPools.take(n));
    }

    int top = Math.min(TestPools.ephemeralFirst(), 61000);
    boolean[] seen = new boolean[65536];
    for (PortRange r : ranges) {
      assertThat(r.first()).isGreaterThanOrEqualTo(TestPools.LOWEST);
      assertThat(r.last()).isLessThan(top);
      for (int p = r.first(); p <= r.last(); p++) {
        assertThat(seen[p]).as("port %d handed out twice", p).isFalse();
        seen[p] = true;
      }
    }
    assertThat(ranges.get(2).size()).isEqualTo(64);
    assertThatThrownBy(() -> TestPools.take(65)).hasMessageContaining("n: 65 (expected: 1..64)");
  }

  @Test
  void lease_whileAnotherJvmHoldsTheOnlyBlock_fails_andSucceedsOnceThatJvmIsKilled() throws Exception {
    int first = freeBlock();
    Process other = child(first);
    assertThat(firstLine(other)).isEqualTo("leased " + first);

    BlockLeases mine = new BlockLeases(locks, List.of(first), BLOCK);
    assertThatThrownBy(mine::lease).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no free block of 4 ports");

    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: the kernel drops its lock
    assertThat(mine.lease()).isEqualTo(first);
  }

  @Test
  void lease_inTwoJvms_neverTheSameBlock() throws Exception {
    int a = freeBlock();
    int b = freeBlock();
    Process one = child(a, b);
    Process two = child(a, b);
    List<String> lines = List.of(firstLine(one), firstLine(two));

    assertThat(lines).containsExactlyInAnyOrder("leased " + a, "leased " + b);
    assertThat(child(a, b)).satisfies(third -> assertThat(firstLine(third)).isEqualTo("none"));
  }

  @Test
  void lease_skipsABlockWhereSomethingListens() throws Exception {
    int busy = freeBlock();
    int free = freeBlock();
    try (ServerSocket squatter = TestPools.squat(busy + 2)) {
      BlockLeases leases = new BlockLeases(locks, List.of(busy, free), BLOCK);
      assertThat(leases.lease()).isEqualTo(free);
      assertThatThrownBy(leases::lease).isInstanceOf(IllegalStateException.class);
    }
  }

  /** A block of this JVM's own ports, to lease again in a private lock dir. */
  private static int freeBlock() {
    return TestPools.take(BLOCK).first();
  }

  private Process child(int... starts) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LeasingChild.class.getName(), locks.toString()));
    for (int s : starts) {
      command.add(Integer.toString(s));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    children.add(p);
    return p;
  }

  private static String firstLine(Process p) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return in.readLine();
      } catch (IOException e) {
        return "io error: " + e;
      }
    }).get(60, TimeUnit.SECONDS);
  }
}
