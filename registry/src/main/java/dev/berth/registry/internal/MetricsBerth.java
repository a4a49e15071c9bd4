package dev.berth.registry.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The registry's own {@code berth/metrics}: {@code /metrics} and {@code /sd} served on a berth
 * remembered like any service's, so a Prometheus pointed at {@code http://127.0.0.1:PORT/sd}
 * keeps working across restarts, and listed in the lease table, so {@code berth resolve
 * berth/metrics} and {@code /sd} find it like any instance. Called once, while the registry
 * starts.
 */
final class MetricsBerth {

  private static final System.Logger LOG = System.getLogger(MetricsBerth.class.getName());

  private MetricsBerth() {}

  /** How often a port a client reserved meanwhile is given up for another before failing. */
  private static final int ATTEMPTS = 4;

  /**
   * Starts the HTTP side on the remembered berth (any port if that is lost), with {@code view}
   * and {@code dashboard} (null: none), and lists it.
   *
   * <p>This runs after the gRPC port answers (DeferredStart), so clients may be reserving ports
   * from the same pool meanwhile: the port is chosen avoiding every port the table holds, and
   * if a client reserved it between the choice and {@code addLive}, the HTTP side lets it go
   * and tries another, so the client's bind never meets the registry's own socket for long.
   * A failure closes what it started.
   */
  static RegistryHttp start(PrometheusMeterRegistry prometheus, LeaseTable table,
      PortAllocator allocator, StickyPorts sticky, WatchHub hub, QueryView view,
      DashboardHttp dashboard) throws IOException {
    Set<Integer> lost = new HashSet<>();
    for (int attempt = 1; ; attempt++) {
      OptionalInt berth = allocator.allocate(RegistryServer.SELF_SERVICE,
          RegistryHttp.METRICS_ENDPOINT, p -> lost.contains(p) || table.holderOf(p).isPresent()).port();
      RegistryHttp http;
      try {
        http = RegistryHttp.start(prometheus, table::list, view, dashboard, berth.orElse(0));
      } catch (IOException taken) {
        // lost a race for the port since the probe: any port beats no metrics
        http = RegistryHttp.start(prometheus, table::list, view, dashboard, 0);
      }
      try {
        table.addLive(new Registration(RegistryServer.SELF_SERVICE,
            List.of(new Registration.EndpointSpec(RegistryHttp.METRICS_ENDPOINT, 0, true)),
            ProcessHandle.current().pid(), Map.of()), http.port());
      } catch (IllegalStateException reservedMeanwhile) {
        http.close();
        lost.add(http.port());
        if (attempt == ATTEMPTS) {
          throw new IOException("no port for /metrics and /sd: clients reserved each of " + lost);
        }
        continue;
      } catch (RuntimeException e) {
        http.close();
        throw e;
      }
      sticky.remember(RegistryServer.SELF_SERVICE, RegistryHttp.METRICS_ENDPOINT, http.port());
      try {
        sticky.persistIfChanged();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot save the remembered ports: {0}", e.toString());
      }
      hub.publish("", RegistryServer.SELF_SERVICE, List.of(RegistryHttp.METRICS_ENDPOINT));
      return http;
    }
  }
}
