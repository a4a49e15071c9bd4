package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcUsageTest {
  /** A real line's shape: utime (field 14) 1234, stime (field 15) 56; the command name has ") (" in it. */
  private static final String STAT = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 16875 0 3 0 1234 56 0 0 20 0 "
      + "23 0 987654 3543654400 27000 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

  @Test
  void ticks_countFieldsFromTheLastParenthesis_soACommandNameWithSpacesDoesNotShiftThem() {
    assertThat(ProcUsage.ticks(STAT)).isEqualTo(1234 + 56);
  }

  @Test
  void ticks_ofALineWithoutCommandName_isAnErrorNamingIt() {
    assertThatThrownBy(() -> ProcUsage.ticks("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage").hasMessageContaining("expected: PID (COMM)");
  }

  @Test
  void rssBytes_readsVmRssInKibibytes() throws Exception {
    assertThat(ProcUsage.rssBytes(List.of("Name:\tjava", "VmPeak:\t  999 kB", "VmRSS:\t   51200 kB", "Threads:\t20")))
        .isEqualTo(51200L * 1024);
  }

  @Test
  void ofThisProcess_hasTicksAndMemory() throws Exception {
    ProcUsage usage = ProcUsage.of(ProcessHandle.current().pid());

    assertThat(usage.ticks()).isPositive();
    assertThat(usage.rssBytes()).isGreaterThan(1L << 20);
  }

  @Test
  void cpuMillisPerSecond_isTicksAsMillisecondsOverTheInterval() {
    ProcUsage before = new ProcUsage(100, 0);
    ProcUsage after = new ProcUsage(130, 0);

    // 30 ticks of 10 ms = 300 ms of CPU in 10 s
    assertThat(after.cpuMillisPerSecond(before, 10.0)).isEqualTo(30.0);
  }

  @Test
  void perProcess_isTheSlopeBetweenTheTwoSizes() {
    // 60 MiB with 1 process, 69 MiB with 10: 1 MiB each
    assertThat(ProcUsage.perProcess(1, 60.0, 10, 69.0)).isEqualTo(1.0);
    assertThat(ProcUsage.perProcess(1, 5.0, 10, 5.0)).isZero();
    assertThatThrownBy(() -> ProcUsage.perProcess(10, 1, 10, 2))
        .hasMessage("n2: 10 (expected: > n1 = 10)");
  }
}
