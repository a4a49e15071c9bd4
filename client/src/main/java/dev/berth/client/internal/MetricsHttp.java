package dev.berth.client.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.client.PortBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An instance's {@code metrics} endpoint: {@code GET /metrics} answers Prometheus text from a
 * {@link PrometheusMeterRegistry}, with the JDK's HTTP server on 127.0.0.1, read-only, loopback
 * peers only (others get 403). Stateless; each bound server has one daemon thread.
 */
public final class MetricsHttp {
  /** The endpoint name that {@code /sd} and {@code berth top} look for. */
  public static final String ENDPOINT = "metrics";

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsHttp() {}

  /** A binder serving {@code meters} on the TCP address Berth assigns. */
  public static PortBinder binder(PrometheusMeterRegistry meters) {
    return address -> {
      HttpServer server = HttpServer.create(address.inetSocketAddress(), 0);
      ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-metrics-http-" + address.port());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.createContext("/metrics", exchange -> {
        try (exchange) {
          answer(exchange, meters);
        }
      });
      server.start();
      return () -> {
        server.stop(0);
        executor.shutdownNow();
      };
    };
  }

  /** The Prometheus registry in {@code meters}, or an error naming what was found instead. */
  public static PrometheusMeterRegistry require(MeterRegistry meters) {
    return find(meters).orElseThrow(() -> new IllegalStateException(
        "meterRegistry: " + meters.getClass().getSimpleName() + " (expected: a "
            + "PrometheusMeterRegistry, or a composite holding one, given to "
            + "Berth.builder().meterRegistry(...), to expose metrics)"));
  }

  /** {@code meters} itself, or the first Prometheus registry inside a composite. */
  public static Optional<PrometheusMeterRegistry> find(MeterRegistry meters) {
    if (meters instanceof PrometheusMeterRegistry) {
      return Optional.of((PrometheusMeterRegistry) meters);
    }
    if (meters instanceof CompositeMeterRegistry) {
      for (MeterRegistry child : ((CompositeMeterRegistry) meters).getRegistries()) {
        Optional<PrometheusMeterRegistry> found = find(child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry meters) throws IOException {
    int status;
    String body;
    String type = "text/plain; charset=utf-8";
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      status = 403;
      body = "forbidden: " + exchange.getRemoteAddress().getAddress() + " is not a loopback address\n";
    } else if (!exchange.getRequestMethod().equals("GET")) {
      status = 405;
      body = "method: " + exchange.getRequestMethod() + " (expected: GET)\n";
    } else {
      status = 200;
      body = meters.scrape();
      type = PROMETHEUS_TEXT;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
