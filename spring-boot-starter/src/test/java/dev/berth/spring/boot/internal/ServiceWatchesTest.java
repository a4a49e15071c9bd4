package dev.berth.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Berth;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.client.ServiceInstance;

/** The load balancer's feed when the registry does not answer, and when it closes: no Spring context, one registry. */
class ServiceWatchesTest {
  @TempDir
  Path stateDir;

  @Test
  void noFirstAnswer_givesAnEmptyListAfterTheBound_andCloseCompletes() throws Exception {
    PortRange pool = TestPools.take(4);
    BerthRegistry registry = BerthRegistry.builder().stateDir(stateDir).port(0)
        .ports(pool.first(), pool.last()).build().start();
    try (Berth berth = Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(stateDir)
        .unixSockets(false).build()) {
      registry.close(); // from now on no watch gets a first answer
      ServiceWatches watches = new ServiceWatches(berth, Duration.ofMillis(300));
      long start = System.nanoTime();
      List<ServiceInstance> first = watches.changes("away").blockFirst(Duration.ofSeconds(10));
      assertThat(first).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

      var completed = watches.changes("away").then().toFuture();
      watches.close();
      assertThat(completed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    } finally {
      registry.close();
    }
  }
}
