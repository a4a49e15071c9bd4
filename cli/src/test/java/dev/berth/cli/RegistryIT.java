package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TestPools;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth registry} as users run it: the registry module's daemon runner behind picocli's
 * options, with its exit codes (0 stopped on request, 1 cannot start; 2 is
 * {@link QueryCommandsIT#usageErrors_exit2WithOneLine}).
 */
class RegistryIT {

  @TempDir
  Path temp;

  @Test
  void registry_onSigterm_removesRegistryJsonAndExitsZero() throws Exception {
    try (BerthJar berth = new BerthJar(temp)) {
      BerthJar.Started registry = berth.start("registry", "--port", "0");
      String line = registry.awaitLine("listening on", Duration.ofSeconds(30));
      assertThat(line).matches("berth registry listening on 127\\.0\\.0\\.1:\\d+ \\(state "
          + java.util.regex.Pattern.quote(berth.home().toString()) + "\\)");
      assertThat(berth.home().resolve("registry.json")).exists();

      registry.process.destroy(); // SIGTERM
      BerthJar.Result r = registry.await(Duration.ofSeconds(30));

      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(Files.exists(berth.home().resolve("registry.json"))).isFalse();
    }
  }

  @Test
  void registry_whenItsPortIsTaken_exitsOneWithOneLineNamingIt() throws Exception {
    try (BerthJar berth = new BerthJar(temp);
        ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      // as Berth leaves it, so that the one line is not preceded by a warning that it tightened it
      Files.setPosixFilePermissions(berth.home(), PosixFilePermissions.fromString("rwx------"));
      BerthJar.Result r = berth.run("registry", "--port", String.valueOf(squatter.getLocalPort()));

      assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("berth registry: ").contains("127.0.0.1:" + squatter.getLocalPort());
      assertThat(r.out).isEmpty();
    }
  }
}
