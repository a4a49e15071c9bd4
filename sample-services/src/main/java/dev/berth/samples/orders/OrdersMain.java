package dev.berth.samples.orders;

import dev.berth.client.Berth;
import dev.berth.client.BerthServer;
import dev.berth.samples.SampleProcess;
import dev.berth.samples.catalog.v1.CatalogGrpc;
import io.grpc.ManagedChannel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The {@code orders} service: a gRPC server found by the name {@code orders}; prices each order
 * by calling {@code catalog} by name. Its meters are served as Prometheus text on its
 * {@code metrics} endpoint.
 */
public final class OrdersMain {

  private OrdersMain() {}

  public static void main(String[] args) throws Exception {
    SampleProcess process = SampleProcess.start("orders");
    Berth berth = process.closeOnStop(Berth.builder().serviceName("orders")
        .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).autoStart(true).build());
    ManagedChannel catalog = berth.channel("catalog");
    process.closeOnStop(catalog::shutdownNow);
    BerthServer server = process.closeOnStop(berth.serve("orders")
        .addService(new OrdersService(CatalogGrpc.newBlockingStub(catalog)))
        .exposeMetrics()
        .start());
    process.announce("", server.port());
    process.awaitStop();
  }
}
