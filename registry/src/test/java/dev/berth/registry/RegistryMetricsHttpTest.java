package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.PortConflict;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's HTTP side ({@code /metrics}, {@code /sd}) and its conflict log, over real sockets. */
class RegistryMetricsHttpTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void metrics_isRegisteredAsBerthMetrics_andServesPrometheusTextOfItsMeters() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      reg.attach().attachLive("orders");
      ResolveResponse self = reg.blocking().resolve(
          ResolveRequest.newBuilder().setService("berth").setEndpoint("metrics").build());
      reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders").build());

      assertThat(self.getTargetsList()).singleElement()
          .satisfies(t -> assertThat(t.getPort()).isEqualTo(reg.registry.metricsPort()))
          .satisfies(t -> assertThat(t.getPid()).isEqualTo(ProcessHandle.current().pid()));
      HttpResponse<String> metrics = get(reg.registry.metricsPort(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/plain"));
      assertThat(metrics.body().lines())
          .contains("berth_registry_instances 1.0") // orders; the registry's own entry is not counted
          .anyMatch(l -> l.startsWith("berth_registry_resolve_duration_seconds_count")
              && l.endsWith(" 2"))
          .anyMatch(l -> l.startsWith("berth_registry_leases_ended_total{reason=\"broken\"}"));
    }
  }

  @Test
  void sd_listsExactlyTheLiveMetricsEndpoints_andDropsAKilledInstance() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      reg.attach().attachLive("catalog"); // a main endpoint only: not a scrape target
      int self = reg.registry.metricsPort();
      int childPort;
      try (ChildJvm child = ChildJvm.start(AttachingChild.class,
          String.valueOf(reg.registry.port()), reg.token(), "orders", "metrics")) {
        childPort = Integer.parseInt(child.awaitLine(l -> l.startsWith("live ")).substring(5));

        assertThat(get(self, "/sd").body()).isEqualToIgnoringWhitespace("["
            + "{\"targets\":[\"127.0.0.1:" + self + "\"],"
            + "\"labels\":{\"service\":\"berth\",\"instance\":\"berth-1\"}},"
            + "{\"targets\":[\"127.0.0.1:" + childPort + "\"],"
            + "\"labels\":{\"service\":\"orders\",\"instance\":\"orders-3\"}}]");

        child.process.destroyForcibly();
        child.awaitExit();
      }
      String after = awaitSd(self, body -> !body.contains(":" + childPort + "\""));
      assertThat(after).isEqualToIgnoringWhitespace("["
          + "{\"targets\":[\"127.0.0.1:" + self + "\"],"
          + "\"labels\":{\"service\":\"berth\",\"instance\":\"berth-1\"}}]");
    }
  }

  @Test
  void conflict_whenRequestedPortHeldBySquatter_isCountedAndListedWithItsHolder() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4);
        ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = squatter.getLocalPort();
      AttachClient client = reg.attach();
      client.send(Register.newBuilder().setService("web").setPid(42)
          .addEndpoints(EndpointRequest.newBuilder().setName("http").setPort(port)).build());

      assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(reg.counter("berth.port.conflicts",
          "service", "web", "side", "registry", "cause", "requested_taken")).isEqualTo(1);
      List<PortConflict> conflicts = reg.blocking()
          .conflicts(ConflictsRequest.getDefaultInstance()).getConflictsList();
      assertThat(conflicts).singleElement().satisfies(c -> {
        assertThat(c.getService()).isEqualTo("web");
        assertThat(c.getEndpoint()).isEqualTo("http");
        assertThat(c.getPort()).isEqualTo(port);
        assertThat(c.getCause()).isEqualTo("requested_taken");
        assertThat(c.getHolderPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(c.getHolderCommandLine()).contains("java");
        assertThat(c.getTime().getSeconds()).isPositive();
      });
    }
  }

  @Test
  void http_refusesOtherMethods_andIsOffWhenDisabled() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + "/sd"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
    try (TestRegistry off = TestRegistry.start(dir, TestPools.take(2).first(), 2,
        b -> b.metricsEndpoint(false))) {
      assertThat(off.registry.metricsPort()).isEqualTo(-1);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String awaitSd(int port, java.util.function.Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String body = get(port, "/sd").body();
    while (!done.test(body) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      body = get(port, "/sd").body();
    }
    return body;
  }
}
