package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner Main and {@code berth registry} share, given a builder; SIGTERM on a real daemon
 * is {@link ProcessTest}'s (a shutdown hook in this JVM would end the test run).
 */
class RegistryDaemonTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PortRange pool = TestPools.take(4);

  private BerthRegistry.Builder builder() {
    return BerthRegistry.builder().stateDir(dir).port(0).ports(pool.first(), pool.last());
  }

  private int run(BerthRegistry.Builder builder) {
    return RegistryDaemon.run(builder, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void run_printsWhereItListens_andWhenInterruptedClosesTheRegistryAndReturnsStopped()
      throws Exception {
    AtomicInteger code = new AtomicInteger(-1);
    Thread daemon = new Thread(() -> code.set(run(builder())), "registry-daemon-test");
    daemon.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!out.toString(StandardCharsets.UTF_8).contains("listening on")
          && System.nanoTime() < deadline && daemon.isAlive()) {
        Thread.sleep(10);
      }
      assertThat(out.toString(StandardCharsets.UTF_8))
          .matches("berth registry listening on 127\\.0\\.0\\.1:\\d+ \\(state "
              + java.util.regex.Pattern.quote(dir.toAbsolutePath().toString()) + "\\)\\R");
      assertThat(dir.resolve("registry.json")).exists();
    } finally {
      daemon.interrupt();
      daemon.join(TimeUnit.SECONDS.toMillis(30));
    }

    assertThat(daemon.isAlive()).isFalse();
    assertThat(code.get()).isEqualTo(RegistryDaemon.STOPPED);
    assertThat(Files.exists(dir.resolve("registry.json"))).isFalse();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void run_whenThePortIsTaken_returnsCannotStartWithOneLineNamingIt() throws Exception {
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      assertThat(run(builder().port(squatter.getLocalPort()))).isEqualTo(RegistryDaemon.CANNOT_START);

      assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1)
          .startsWith("berth registry: ").contains("127.0.0.1:" + squatter.getLocalPort());
      assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void run_withoutAStateDir_returnsCannotStartNamingIt() {
    assertThat(run(BerthRegistry.builder().port(0))).isEqualTo(RegistryDaemon.CANNOT_START);

    assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1).contains("stateDir");
  }
}
