package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortPoolTest {

  @Test
  void outsideEphemeral_linuxDefault_takesTheSpanAbove() {
    assertThat(PortPool.outsideEphemeral(32768, 60999)).hasToString("61000-65535");
  }

  @Test
  void outsideEphemeral_whenSpanAboveTooSmall_takesTheLargestSpan() {
    assertThat(PortPool.outsideEphemeral(49152, 65535)).hasToString("1024-49151");
    assertThat(PortPool.outsideEphemeral(10000, 65000)).hasToString("1024-9999");
    assertThat(PortPool.outsideEphemeral(1024, 65000)).hasToString("65001-65535");
  }

  @Test
  void outsideEphemeral_readsTheKernelFileOrFallsBackToIana(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ip_local_port_range");
    Files.writeString(file, "40000\t50000\n");

    assertThat(PortPool.outsideEphemeral(file)).hasToString("50001-65535");
    assertThat(PortPool.outsideEphemeral(dir.resolve("missing"))).hasToString("1024-49151");
  }

  @Test
  void of_withBadBounds_failsNamingThem() {
    assertThatThrownBy(() -> PortPool.of(0, 10)).hasMessageContaining("ports: 0-10");
    assertThat(PortPool.of(5, 5).size()).isEqualTo(1);
  }
}
