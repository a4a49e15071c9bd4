package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.internal.RegistryAutoStarter;
import dev.berth.registry.BerthRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DaemonFlagsTest {

  @Test
  void autoStart_upAndBinBerth_giveTheDaemonTheSameJvmFlags() throws Exception {
    assertThat(RegistryAutoStarter.JVM_FLAGS).isEqualTo(BerthRegistry.DAEMON_JVM_FLAGS);
    Path script = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("berth");
    assertThat(Files.readString(script)).contains(String.join(" ", BerthRegistry.DAEMON_JVM_FLAGS));
  }
}
