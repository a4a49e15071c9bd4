package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.PortProbe;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryHttpTest {

  private static final String TOKEN = "test-token-0123456789abcdef";

  @TempDir Path dir;

  @Test
  void serviceDiscovery_writesAnIpv6OnlyTargetInBrackets() {
    Instance six = Instance.newBuilder().setService("six").setInstanceId("six-1")
        .addEndpoints(Endpoint.newBuilder().setName("metrics").setHost("::1").setPort(9100))
        .build();
    Instance four = Instance.newBuilder().setService("four").setInstanceId("four-2")
        .addEndpoints(Endpoint.newBuilder().setName("metrics").setHost("127.0.0.1").setPort(9101))
        .build();

    String json = RegistryHttp.serviceDiscovery(List.of(six, four));

    assertThat(json).contains("\"targets\":[\"[::1]:9100\"]", "\"targets\":[\"127.0.0.1:9101\"]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/metrics", "/sd", "/v1/instances", "/v1/resolve?service=orders", "/v1/berths"})
  void aForeignHost_is403OnEveryPath_tokenOrNot(String path) throws Exception {
    try (RegistryHttp http = start()) {
      String host = "rebound.example:" + http.port();
      String context = path.replaceFirst("\\?.*", "");

      RawHttp.Response r = RawHttp.get(http.port(), path).host(host).header("berth-token", TOKEN).send();
      RawHttp.Response none = RawHttp.get(http.port(), path).host(null).header("berth-token", TOKEN).send();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("forbidden: Host \"" + host + "\" (expected: a loopback name or "
          + "address; open http://127.0.0.1:" + http.port() + context + ")\n");
      assertThat(none.status()).isEqualTo(403);
      assertThat(none.body()).startsWith("forbidden: no Host header").hasLineCount(1);
    }
  }

  @Test
  void aLoopbackHost_isAnswered_asPrometheusAndTheCliSendIt() throws Exception {
    try (RegistryHttp http = start()) {
      RawHttp.Response metrics = RawHttp.get(http.port(), "/metrics").send(); // Host: 127.0.0.1:PORT
      RawHttp.Response sd = RawHttp.get(http.port(), "/sd").host("localhost:" + http.port()).send();
      RawHttp.Response instances = RawHttp.get(http.port(), "/v1/instances").header("berth-token", TOKEN)
          .send();
      RawHttp.Response noToken = RawHttp.get(http.port(), "/v1/instances").send();

      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
      assertThat(sd.status()).isEqualTo(200);
      assertThat(sd.body()).isEqualTo("[]\n");
      assertThat(instances.status()).isEqualTo(200);
      assertThat(instances.body()).isEqualTo("[]\n");
      assertThat(noToken.status()).isEqualTo(401);
    }
  }

  /** The HTTP side with the JSON view over an empty table (no dashboard). */
  private RegistryHttp start() throws Exception {
    PortRange pool = TestPools.take(1);
    PortCheck probe = PortCheck.of(new PortProbe());
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    LeaseTable table = new LeaseTable(new PortAllocator(PortPool.of(pool.first(), pool.last()), probe,
        sticky, () -> -1), probe, 10, Clock.systemUTC());
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryView view = new QueryView(table, TOKEN, dir.resolve("token"), Timer.builder("test.resolve")
        .register(meters), BerthsResponse::getDefaultInstance);
    return RegistryHttp.start(meters, List::of, view, null, 0);
  }
}
