package dev.berth.cli.internal;

import dev.berth.client.Address;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Timed HTTP/1.1 calls to the gateway sample's loopback port: what {@code berth demo} sends
 * and measures. Thread-safe (the JDK's {@link HttpClient} is): the demo's traffic thread and
 * its story share one.
 */
final class GatewayHttp {

  /** The body of every order the demo places. */
  static final String ORDER = "{\"sku\":\"tea\",\"quantity\":2}";

  /** One answer: status, body (stripped) and how long the call took. */
  record Reply(int status, String body, long nanos) {
    double millis() {
      return nanos / 1e6;
    }
  }

  private final Address gateway;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  /** Calls {@code gateway} ({@code 127.0.0.1:P} or {@code [::1]:P}). */
  GatewayHttp(Address gateway) {
    this.gateway = gateway;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  /** POSTs {@code json} to {@code path}. */
  Reply post(String path, String json) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .method("POST", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** POST /orders of {@link #ORDER}: gateway calls orders, which calls catalog. */
  Reply placeOrder() throws IOException, InterruptedException {
    return post("/orders", ORDER);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://" + gateway + path))
        .timeout(Duration.ofSeconds(5));
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body().strip(), System.nanoTime() - t0);
  }
}
