package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.SlowHealthServer;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Berth.builder().build()}: a registry that answers late is still a registry. */
class ConnectTest {

  @TempDir Path home;

  @Test
  void build_whenTheRegistryAnswersSlowly_waitsForIt() throws Exception {
    // as a registry does on a loaded machine, where a cold JVM's first call takes seconds
    try (SlowHealthServer slow = new SlowHealthServer(Duration.ofSeconds(5));
        Berth berth = Berth.builder().registry(slow.address()).stateDir(home)
            .autoStart(false).build()) {
      assertThat(berth).isNotNull();
    }
  }

  @Test
  void build_whenNothingListens_failsUnavailableNamingTheAddress() {
    int port = TestPools.port(); // ours, and nobody listens on it
    assertThatThrownBy(() -> Berth.builder().registry("127.0.0.1:" + port).stateDir(home)
        .autoStart(false).build())
        .isInstanceOf(BerthException.class)
        .satisfies(e -> assertThat(((BerthException) e).status().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
