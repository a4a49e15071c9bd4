package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestPools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Main's argument handling; running it as a daemon is in {@link ProcessTest}. */
class MainTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_withUnknownOption_exitsTwoWithOneStderrLine() {
    assertThat(run("--home", dir.toString(), "--bogus")).isEqualTo(2);

    assertThat(err()).hasLineCount(1).contains("'--bogus'", "usage: berth registry");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void run_withBadPortOrRange_exitsTwoNamingTheValue() {
    assertThat(run("--port", "99999")).isEqualTo(2);
    assertThat(run("--ports=9-1")).isEqualTo(2);
    assertThat(run("--home")).isEqualTo(2);

    assertThat(err()).hasLineCount(3).contains("'99999'", "'9-1'", "missing value for --home");
  }

  @Test
  void run_withBadBerthPorts_exitsTwoNamingTheVariable() {
    assertThat(Main.run(new String[] {"--home", dir.toString()}, Map.of("BERTH_PORTS", "61000"),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);

    assertThat(err()).hasLineCount(1).contains("BERTH_PORTS: '61000' (expected: A-B");
  }

  @Test
  void pool_isTheOption_elseBerthPorts_elseTheDefault() {
    Map<String, String> env = Map.of("BERTH_PORTS", " 20000-20009 ");
    assertThat(pool("20100-20199", env)).isEqualTo("20100-20199");
    assertThat(pool(null, env)).isEqualTo("20000-20009");
    assertThat(pool(null, Map.of("BERTH_PORTS", ""))).isNull();
    assertThat(pool(null, Map.of())).isNull();
    assertThatThrownBy(() -> pool("1-x", env)).hasMessage(
        "--ports: '1-x' (expected: A-B with 1 <= A <= B <= 65535)");
  }

  private static String pool(String option, Map<String, String> env) {
    return Main.pool(BerthRegistry.builder(), option, env).poolSetting();
  }

  @Test
  void run_withHelp_printsUsageAndExitsZero() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: berth registry");
  }

  @Test
  void run_whenExplicitPortTaken_exitsOneWithOneLineNamingThePort() throws Exception {
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      assertThat(run("--port", String.valueOf(squatter.getLocalPort()), "--home", dir.toString()))
          .isEqualTo(1);

      assertThat(err()).hasLineCount(1).contains("127.0.0.1:" + squatter.getLocalPort());
    }
  }
}
