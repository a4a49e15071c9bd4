package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The registry's read-only HTTP side on 127.0.0.1: {@code GET /metrics} (its meters as
 * Prometheus text) and {@code GET /sd} (a Prometheus {@code http_sd_config} document listing
 * the {@code metrics} endpoint of every live instance, the registry's own included, except
 * those on a Unix domain socket, which Prometheus cannot scrape).
 *
 * <p>No token: both are read-only and answer loopback peers only (others get 403), like the
 * rest of Berth, and only requests whose {@code Host} is a loopback name or address ({@link
 * DashboardGuard#refusal}, the DNS-rebinding guard; 403 otherwise), as every path here does. The token-protected JSON view of the query verbs ({@link QueryView}) is served
 * beside them, and the dashboard ({@link DashboardHttp}). Thread-safe; requests run on one
 * daemon thread (the dashboard's event streams and actions are answered on threads of their
 * own, so they never hold up a scrape: {@link DashboardStreams}).
 */
final class RegistryHttp implements AutoCloseable {

  /** The endpoint name that Prometheus discovery looks for. */
  static final String METRICS_ENDPOINT = "metrics";

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final DashboardHttp dashboard; // null: none

  private RegistryHttp(HttpServer server, ExecutorService executor, DashboardHttp dashboard) {
    this.server = server;
    this.executor = executor;
    this.dashboard = dashboard;
  }

  /** Binds {@code port} on loopback (0: any) and serves; {@code instances} is read per request. */
  static RegistryHttp start(PrometheusMeterRegistry meters, Supplier<List<Instance>> instances,
      int port) throws IOException {
    return start(meters, instances, null, null, port);
  }

  /**
   * As {@link #start(PrometheusMeterRegistry, Supplier, int)}, with {@code view} and {@code
   * dashboard} too (null: none).
   */
  static RegistryHttp start(PrometheusMeterRegistry meters, Supplier<List<Instance>> instances,
      QueryView view, DashboardHttp dashboard, int port) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService executor = Executors.newSingleThreadExecutor(daemon());
    server.setExecutor(executor);
    int bound = server.getAddress().getPort();
    server.createContext("/metrics", get(new DashboardGuard(bound, "/metrics"), () -> meters.scrape(),
        PROMETHEUS_TEXT));
    server.createContext("/sd", get(new DashboardGuard(bound, "/sd"),
        () -> serviceDiscovery(instances.get()), "application/json"));
    if (view != null) {
      view.register(server);
    }
    if (dashboard != null) {
      dashboard.register(server);
    }
    server.start();
    return new RegistryHttp(server, executor, dashboard);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * The {@code http_sd_config} JSON: one target group per instance with a {@code metrics}
   * endpoint, labelled {@code service} and {@code instance}, and {@code namespace} for an
   * instance of a namespace other than the default one (two stacks' "orders" are two
   * series). Names are DNS labels and instance ids are {@code service-N}, so nothing here
   * needs JSON escaping.
   */
  static String serviceDiscovery(List<Instance> instances) {
    StringBuilder json = new StringBuilder("[");
    for (Instance instance : instances) {
      for (Endpoint e : instance.getEndpointsList()) {
        if (!e.getName().equals(METRICS_ENDPOINT) || !e.getUnixPath().isEmpty()) {
          continue; // Prometheus scrapes host:port targets only: a Unix socket is not one
        }
        json.append(json.length() > 1 ? ",\n " : "\n ")
            .append("{\"targets\":[\"").append(Hosts.hostPort(e.getHost(), e.getPort()))
            .append("\"],\"labels\":{\"service\":\"").append(instance.getService())
            .append("\",\"instance\":\"").append(instance.getInstanceId());
        if (!instance.getNamespace().isEmpty()) {
          json.append("\",\"namespace\":\"").append(instance.getNamespace());
        }
        json.append("\"}}");
      }
    }
    return json.append(json.length() > 1 ? "\n]\n" : "]\n").toString();
  }

  private static HttpHandler get(DashboardGuard guard, Supplier<String> body, String contentType) {
    return exchange -> {
      try (exchange) {
        String refusal = guard.refusal(exchange);
        if (refusal != null) {
          send(exchange, 403, refusal + "\n", "text/plain; charset=utf-8");
        } else if (!exchange.getRequestMethod().equals("GET")) {
          exchange.getResponseHeaders().set("Allow", "GET");
          send(exchange, 405, "method: " + exchange.getRequestMethod() + " (expected: GET)\n",
              "text/plain; charset=utf-8");
        } else {
          send(exchange, 200, body.get(), contentType);
        }
      }
    };
  }

  static void send(HttpExchange exchange, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "berth-registry-http");
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops at once: scrapes are short and retried by the scraper. Idempotent. */
  @Override
  public void close() {
    if (dashboard != null) {
      dashboard.close(); // its open event streams first: stop(0) would wait for none of them
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
