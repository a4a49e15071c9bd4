package dev.berth.samples.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.berth.client.Berth;
import dev.berth.client.Claim;
import dev.berth.samples.SampleProcess;
import dev.berth.samples.catalog.v1.CatalogGrpc;
import dev.berth.samples.orders.v1.OrdersGrpc;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code gateway} service: HTTP+JSON on its {@code http} endpoint (the JDK's
 * {@link HttpServer}), calling {@code orders} and {@code catalog} by name.
 *
 * <p>{@code GET /products}, {@code POST /orders} with {@code {"sku":"tea","quantity":2}}, and
 * {@code GET /stats}: the latency of the gRPC calls it made, per service, from its own meters;
 * the same meters as Prometheus text on its {@code metrics} endpoint. {@code GET /stock/tea}
 * asks {@code inventory} (Spring Boot) by name over HTTP.
 */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    SampleProcess process = SampleProcess.start("gateway");
    // /stats reads client-side percentiles from the simple registry; /metrics serves the
    // Prometheus one (histogram buckets); the composite feeds both
    SimpleMeterRegistry stats = new SimpleMeterRegistry();
    stats.config().meterFilter(percentiles());
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompositeMeterRegistry meters = new CompositeMeterRegistry();
    meters.add(stats);
    meters.add(prometheus);
    Berth berth = process.closeOnStop(
        Berth.builder().serviceName("gateway").meterRegistry(meters).autoStart(true).build());
    ManagedChannel orders = berth.channel("orders");
    process.closeOnStop(orders::shutdownNow);
    ManagedChannel catalog = berth.channel("catalog");
    process.closeOnStop(catalog::shutdownNow);

    // without TCP_NODELAY the JDK server's separate header and body writes meet the
    // client's delayed ACK: ~40 ms per response instead of well under 1 ms
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create();
    ExecutorService workers = Executors.newFixedThreadPool(8, daemonThreads("gateway-http-"));
    process.closeOnStop(workers::shutdownNow);
    http.setExecutor(workers);
    new GatewayRoutes(OrdersGrpc.newBlockingStub(orders), CatalogGrpc.newBlockingStub(catalog),
        stats).install(http);
    new InventoryRoute(berth).install(http);

    // Berth picks the port (the remembered one if free) and retries on a bind conflict.
    Claim claim = process.closeOnStop(berth.claim("gateway")
        .endpoint("http", address -> {
          http.bind(address.inetSocketAddress(), 0);
          http.start();
          return () -> http.stop(0);
        })
        .exposeMetrics() // the Prometheus registry inside `meters`
        .bind());
    process.announce("http", claim.port("http"));
    process.awaitStop();
  }

  /** p50 and p99 on Berth's timers, so {@code /stats} can report them. */
  private static MeterFilter percentiles() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().startsWith("berth.")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentiles(0.5, 0.99)
            .build()
            .merge(config);
      }
    };
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
