package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.PortProbe;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's own {@code berth/metrics} starts after the gRPC port answers, so a client may
 * already hold a reservation in the pool: the HTTP side must not take its port.
 */
class MetricsBerthTest {

  @TempDir Path dir;

  @Test
  void start_whenAClientReservedThePoolsFirstPortAndHasNotBoundItYet_takesAnother() throws Exception {
    PortRange pool = TestPools.take(2);
    PortCheck probe = PortCheck.of(new PortProbe());
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    PortAllocator allocator = new PortAllocator(PortPool.of(pool.first(), pool.last()), probe,
        sticky, () -> -1);
    LeaseTable table = new LeaseTable(allocator, probe, 10, Clock.systemUTC());
    // a client's reservation: the port is the table's, though nothing listens on it yet
    LeaseTable.Reservation client = table.reserve(new Registration("web",
        List.of(new Registration.EndpointSpec("main", 0, false)), ProcessHandle.current().pid(),
        Map.of()), new ArrayList<>());
    int reserved = client.endpoints().get(0).getPort();
    assertThat(reserved).isEqualTo(pool.first());

    RegistryHttp http = MetricsBerth.start(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        table, allocator, sticky, new WatchHub(table::snapshot), null, null);
    try {
      assertThat(http.port()).as("the HTTP side's port").isEqualTo(pool.last());
      assertThat(table.holderOf(reserved)).get().extracting(h -> h.holder().getService())
          .isEqualTo("web");
      assertThat(table.holderOf(pool.last())).get().extracting(h -> h.holder().getService())
          .isEqualTo(RegistryServer.SELF_SERVICE);
    } finally {
      http.close();
    }
  }
}
