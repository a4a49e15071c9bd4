package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.RegistryLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DaemonFlagsTest {

  /** {@code berth registry} runs through bin/berth, a shell script: it cannot read the constant. */
  @Test
  void binBerth_givesTheForegroundRegistryTheLaunchersJvmFlags() throws Exception {
    Path script = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("berth");
    // the array's own line: the flags in a comment or another variable would not reach the JVM
    assertThat(Files.readAllLines(script))
        .contains("daemon_flags=(" + String.join(" ", RegistryLauncher.JVM_FLAGS) + ")");
  }
}
