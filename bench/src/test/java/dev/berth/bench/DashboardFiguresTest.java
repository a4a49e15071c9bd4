package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's figures at the quick scale, on a real registry child and the sample stack run
 * by bin/berth up: every file of the page is fetched, the stream sends, orders flow, both CPU
 * windows are read. Skipped outside a checkout (no bin/berth or sample stack beside the bench).
 */
class DashboardFiguresTest {

  @TempDir
  Path scratch;

  @Test
  void measure_loadsEveryFileOfThePage_andReadsBothCpuWindows_underTraffic() throws Exception {
    Optional<Path> script = Checkout.binBerth();
    Optional<Path> stack = Checkout.sampleStack();
    assumeTrue(script.isPresent() && stack.isPresent(), "not in a checkout: no bin/berth or sample-services");

    DashboardFigures.Figures f = DashboardFigures.measure(script.get(), stack.get(), scratch,
        Duration.ofSeconds(Scale.QUICK.dashboardSeconds()));

    assertThat(f.files()).contains("/dashboard/", "/dashboard/app.js", "/dashboard/app.css");
    assertThat(f.pageBytes()).isGreaterThan(1_000);
    // retry, then state, stacks and edges at once: each names the services of the stack
    assertThat(f.streamSecondBytes()).isGreaterThan(200);
    assertThat(f.orders()).isPositive();
    assertThat(f.idleCpuMillisPerSecond()).isGreaterThanOrEqualTo(0);
    assertThat(f.openCpuMillisPerSecond()).isPositive();
  }
}
