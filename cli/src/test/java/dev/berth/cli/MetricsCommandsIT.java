package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Berth;
import dev.berth.client.BerthException;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth top} and {@code berth conflicts}, run as the real jar against a registry child
 * process. A small chain is served from this JVM with the client library, each link its own
 * {@code Berth} with a Prometheus registry and a metrics endpoint: front calls orders, orders
 * calls catalog (their standard health service, which every BerthServer serves).
 */
class MetricsCommandsIT {

  @TempDir
  static Path temp;

  static BerthJar berth;
  static final List<AutoCloseable> closing = new ArrayList<>();
  static String address;

  @BeforeAll
  static void registry() throws Exception {
    berth = new BerthJar(temp);
    address = berth.startRegistry();
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (berth != null) {
      berth.close();
    }
  }

  private static Berth service(String name) {
    Berth b = Berth.builder().stateDir(berth.home()).registry(address).autoStart(false)
        .serviceName(name).meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .build();
    closing.add(b);
    return b;
  }

  @Test
  void topOnce_withAChainOfRealServices_showsOneRowPerEdge() throws Exception {
    Berth catalog = service("catalog");
    catalog.serve("catalog").exposeMetrics().start();
    Berth orders = service("orders");
    orders.serve("orders").exposeMetrics().start();
    Berth front = service("front");
    front.claim("front").endpoint("main", address -> BerthJar.listen(address.port())).exposeMetrics().bind();
    ManagedChannel ordersToCatalog = orders.channel("catalog");
    ManagedChannel frontToOrders = front.channel("orders");
    AtomicBoolean done = new AtomicBoolean();
    Thread traffic = new Thread(() -> {
      while (!done.get()) {
        HealthGrpc.newBlockingStub(frontToOrders).withDeadlineAfter(2, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
        HealthGrpc.newBlockingStub(ordersToCatalog).withDeadlineAfter(2, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
      }
    }, "traffic");
    traffic.start();
    BerthJar.Result top;
    try {
      top = berth.run("top", "--once", "--interval", "1");
    } finally {
      done.set(true);
      traffic.join(5000);
    }

    assertThat(top.exitCode).as(top.toString()).isZero();
    List<String> lines = top.out.lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("CALLER", "CALLEE", "METHOD", "CALLS/S", "ERR%", "P50", "P99");
    assertThat(lines).anySatisfy(l -> assertRow(l, "front", "orders"));
    assertThat(lines).anySatisfy(l -> assertRow(l, "orders", "catalog"));
  }

  private static void assertRow(String line, String caller, String callee) {
    String[] cells = line.split("\\s{2,}");
    assertThat(cells).hasSize(7);
    assertThat(cells[0]).isEqualTo(caller);
    assertThat(cells[1]).isEqualTo(callee);
    assertThat(cells[2]).isEqualTo("Check");
    assertThat(Double.parseDouble(cells[3])).isPositive();
    assertThat(cells[4]).isEqualTo("0.0");
    assertThat(cells[5]).endsWith("ms");
    assertThat(cells[6]).endsWith("ms");
  }

  @Test
  void conflicts_afterASquatterHeldARequestedPort_listsItWithTheHolder() throws Exception {
    Berth web = service("web");
    try (ServerSocket squatter = BerthJar.listen(0)) {
      int port = squatter.getLocalPort();
      assertThatThrownBy(() -> web.lease("web").endpoint("http").requestPort("http", port).attach())
          .isInstanceOf(BerthException.class)
          .hasMessageContaining(String.valueOf(port));

      BerthJar.Result table = berth.run("conflicts");
      BerthJar.Result json = berth.run("conflicts", "--json");

      assertThat(table.exitCode).as(table.toString()).isZero();
      assertThat(table.out).contains("SERVICE", "CAUSE", "HOLDER")
          .containsPattern("web\\s+http\\s+" + port + "\\s+requested_taken\\s+pid "
              + ProcessHandle.current().pid());
      assertThat(json.exitCode).as(json.toString()).isZero();
      assertThat(json.out).contains("\"service\": \"web\"", "\"port\": " + port,
          "\"cause\": \"requested_taken\"", "\"holderPid\": " + ProcessHandle.current().pid());
    }
  }

}
