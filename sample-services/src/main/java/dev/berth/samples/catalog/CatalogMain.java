package dev.berth.samples.catalog;

import dev.berth.client.Berth;
import dev.berth.client.BerthServer;
import dev.berth.samples.SampleProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The {@code catalog} service: a gRPC server found by the name {@code catalog}.
 *
 * <p>{@code java -cp berth.jar dev.berth.samples.catalog.CatalogMain}; the registry is found as
 * every Berth client finds it ({@code $BERTH_REGISTRY}, else {@code registry.json} in the state
 * dir), and started in the background if none answers. Its meters are served as Prometheus
 * text on its {@code metrics} endpoint.
 */
public final class CatalogMain {

  private CatalogMain() {}

  public static void main(String[] args) throws Exception {
    SampleProcess process = SampleProcess.start("catalog");
    Berth berth = process.closeOnStop(Berth.builder().serviceName("catalog")
        .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).autoStart(true).build());
    BerthServer server = process.closeOnStop(
        berth.serve("catalog").addService(new CatalogService()).exposeMetrics().start());
    process.announce("", server.port());
    process.awaitStop();
  }
}
