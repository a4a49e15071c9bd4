package dev.berth.samples.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.client.Address;
import dev.berth.client.Berth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /stock/{sku}}: passed through to {@code inventory}, the sample's Spring Boot
 * service, over plain HTTP by name: the live addresses of {@code inventory/http} as Berth's
 * watch pushes them, taken in turn. Thread-safe.
 */
final class InventoryRoute {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final AtomicReference<List<Address>> live = new AtomicReference<>(List.of());
  private final AtomicInteger next = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** Starts watching {@code inventory/http}; the watch ends with {@code berth}. */
  InventoryRoute(Berth berth) {
    berth.watch("inventory/http", live::set);
  }

  void install(HttpServer server) {
    server.createContext("/stock/", this::handle);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      List<Address> addresses = live.get();
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "{\"error\":\"method " + exchange.getRequestMethod() + " (expected: GET)\"}");
      } else if (addresses.isEmpty()) {
        send(exchange, 503, "{\"error\":\"no live instance of inventory\",\"status\":\"UNAVAILABLE\"}");
      } else {
        Address to = addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://" + to + exchange.getRequestURI().getRawPath()))
            .timeout(TIMEOUT).GET().build();
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          send(exchange, response.statusCode(), response.body());
        } catch (IOException e) {
          send(exchange, 502, "{\"error\":\"inventory at " + to + ": " + e.getClass().getSimpleName() + "\"}");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          send(exchange, 503, "{\"error\":\"interrupted\"}");
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
