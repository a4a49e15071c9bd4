package dev.berth.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the sample gateway on a thread of its own until closed: {@code POST /orders} (gateway →
 * orders → catalog) and {@code GET /products} (gateway → catalog), about 25 of each a second,
 * so every edge of the chain has calls in each interval the dashboard reports. Counts the
 * answers that were 200. Thread-safe.
 */
final class GatewayTraffic implements AutoCloseable {

  private static final Duration PAUSE = Duration.ofMillis(40);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI orders;
  private final URI products;
  private final AtomicInteger ok = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  private GatewayTraffic(int port) {
    this.orders = URI.create("http://127.0.0.1:" + port + "/orders");
    this.products = URI.create("http://127.0.0.1:" + port + "/products");
    this.thread = new Thread(this::run, "gateway-traffic");
    thread.setDaemon(true);
  }

  /** Starts calling the gateway's {@code http} endpoint on {@code port}. */
  static GatewayTraffic start(int port) {
    GatewayTraffic traffic = new GatewayTraffic(port);
    traffic.thread.start();
    return traffic;
  }

  /** How many calls were answered 200 so far. */
  int ok() {
    return ok.get();
  }

  private void run() {
    HttpRequest order = HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(3))
        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"tea\",\"quantity\":1}")).build();
    HttpRequest list = HttpRequest.newBuilder(products).timeout(Duration.ofSeconds(3)).GET().build();
    while (running) {
      for (HttpRequest request : new HttpRequest[] {order, list}) {
        try {
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            ok.incrementAndGet();
          }
        } catch (java.io.IOException e) {
          // a service restarting (the kill and restart tests): the next call finds it again
        } catch (InterruptedException e) {
          return;
        }
      }
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops calling; waits for the call in flight (bounded). Idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }
}
