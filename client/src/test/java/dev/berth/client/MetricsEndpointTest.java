package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.BerthRegistry;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exposeMetrics()}: an instance's meters as Prometheus text on its {@code metrics} endpoint. */
class MetricsEndpointTest {
  @TempDir Path home;

  @Test
  void exposeMetrics_afterRealCalls_servesPrometheusTextTaggedWithCallerAndCallee() throws Exception {
    try (BerthRegistry registry = TestRegistry.start(home);
        Berth catalog = connect(registry, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Berth orders = connect(registry, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      catalog.serve("catalog").addService(WhoService.named("c")).exposeMetrics().start();
      // made before orders serves: the caller tag is read at each call, not here
      ManagedChannel toCatalog = orders.channel("catalog");
      BerthServer ordersServer = orders.serve("orders").addService(WhoService.named("o"))
          .exposeMetrics().start();

      for (int i = 0; i < 3; i++) {
        WhoService.call(toCatalog);
      }

      Address ordersMetrics = orders.resolve("orders/metrics");
      assertThat(ordersMetrics).isEqualTo(ordersServer.address("metrics"));
      List<String> callerSide = scrape(ordersMetrics);
      assertThat(callerSide).anySatisfy(line -> assertThat(line)
          .startsWith("berth_client_call_duration_seconds_count{")
          .contains("caller=\"orders\"", "service=\"catalog\"", "method=\"berth.test.Who/Name\"",
              "status=\"OK\"")
          .endsWith(" 3"));
      assertThat(callerSide).anyMatch(l -> l.startsWith("berth_client_call_duration_seconds_bucket{")
          && l.contains("caller=\"orders\"") && l.contains("le=\"+Inf\""));
      assertThat(callerSide).anyMatch(l -> l.startsWith("berth_port_conflicts_total{")
          && l.contains("side=\"client\"") && l.contains("service=\"orders\""));
      Waits.until(Duration.ofSeconds(5), () -> scrape(catalog.resolve("catalog/metrics")).stream()
          .anyMatch(l -> l.startsWith("berth_server_call_duration_seconds_count{")
              && l.contains("service=\"catalog\"") && l.endsWith(" 3")));
    }
  }

  @Test
  void exposeMetrics_withoutPrometheusRegistry_failsNamingTheRegistry() throws Exception {
    try (BerthRegistry registry = TestRegistry.start(home);
        Berth berth = connect(registry, new SimpleMeterRegistry())) {
      assertThatThrownBy(() -> berth.serve("catalog").exposeMetrics())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SimpleMeterRegistry")
          .hasMessageContaining("PrometheusMeterRegistry");
    }
  }

  @Test
  void callerName_isServiceNameElseFirstServedElseUnknown() throws Exception {
    try (BerthRegistry registry = TestRegistry.start(home);
        Berth anonymous = connect(registry, new SimpleMeterRegistry());
        Berth named = Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(home)
            .serviceName("gateway").build()) {
      assertThat(anonymous.callerName()).isEqualTo("unknown");
      anonymous.serve("orders").addService(WhoService.named("o")).start();
      assertThat(anonymous.callerName()).isEqualTo("orders");
      named.serve("orders").addService(WhoService.named("o")).start();
      assertThat(named.callerName()).isEqualTo("gateway");
    }
  }

  private Berth connect(BerthRegistry registry, io.micrometer.core.instrument.MeterRegistry meters) {
    return Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(home)
        .meterRegistry(meters).build();
  }

  private static List<String> scrape(Address address) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body().lines().collect(Collectors.toList());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
