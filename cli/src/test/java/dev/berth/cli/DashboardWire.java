package dev.berth.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The registry's dashboard paths (docs/dashboard.md) as the tests reach them without a browser:
 * plain requests, a request with a {@code Host} of the test's choosing (a raw socket:
 * java.net.http sets {@code Host} itself), a one-time sign-in code, the first {@code state}
 * event of the stream. Thread-safe.
 */
final class DashboardWire {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String httpAddress;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** {@code httpAddress}: the registry's HTTP side, {@code 127.0.0.1:PORT}. */
  DashboardWire(String httpAddress) {
    this.httpAddress = httpAddress;
  }

  int port() {
    return Integer.parseInt(httpAddress.substring(httpAddress.lastIndexOf(':') + 1));
  }

  /** {@code http://127.0.0.1:PORT/dashboard/}. */
  String pageUrl() {
    return "http://" + httpAddress + "/dashboard/";
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://" + httpAddress + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A fresh one-time code from {@code POST /v1/dashboard/codes}, as {@code berth dashboard} gets it. */
  String mintCode(String token) throws IOException, InterruptedException {
    HttpResponse<String> minted = http.send(HttpRequest.newBuilder(uri("/v1/dashboard/codes"))
        .timeout(TIMEOUT).header("berth-token", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (minted.statusCode() != 200) {
      throw new AssertionError("POST /v1/dashboard/codes: " + minted.statusCode() + " " + minted.body());
    }
    JsonObject body = JsonParser.parseString(minted.body()).getAsJsonObject();
    if (body.get("expiresInSeconds").getAsInt() != 60) {
      throw new AssertionError("expiresInSeconds (expected: 60): " + minted.body());
    }
    return body.get("code").getAsString();
  }

  /**
   * Sends {@code GET path} with {@code Host: host} over a raw socket and returns the status line
   * and headers (the body is not read past them).
   */
  String rawGet(String path, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      for (String line; (line = reader.readLine()) != null && !line.isEmpty(); ) {
        head.append(line).append('\n');
      }
      return head.toString();
    }
  }

  /** The {@code data} of the stream's first {@code state} event (it is sent at once), within 5 s. */
  JsonObject firstState() throws Exception {
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/dashboard/events"))
        .timeout(TIMEOUT).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = stream.body();
    if (stream.statusCode() != 200) {
      body.close();
      throw new AssertionError("GET /dashboard/events: " + stream.statusCode());
    }
    // the stream never ends by itself: read it on a thread of its own, bounded, then close it
    java.util.concurrent.FutureTask<JsonObject> read = new java.util.concurrent.FutureTask<>(() -> {
      BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String event = "";
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:") && event.equals("state")) {
          return JsonParser.parseString(line.substring("data:".length()).trim()).getAsJsonObject();
        } else if (line.isEmpty()) {
          event = "";
        }
      }
      throw new AssertionError("the event stream ended before a state event");
    });
    Thread reader = new Thread(read, "dashboard-events-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      return read.get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no state event within " + TIMEOUT + " of opening /dashboard/events");
    } finally {
      body.close();
      reader.interrupt();
    }
  }

  /** The instance of {@code service} in {@code namespace} that {@code which} picks, from a fresh state event. */
  Optional<JsonObject> instance(String namespace, String service, Predicate<JsonObject> which) throws Exception {
    for (JsonElement e : firstState().getAsJsonArray("instances")) {
      JsonObject i = e.getAsJsonObject();
      if (i.get("service").getAsString().equals(service) && i.get("namespace").getAsString().equals(namespace)
          && which.test(i)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The port of {@code instance}'s {@code endpoint} (a {@code state} event's instance). */
  static int portOf(JsonObject instance, String endpoint) {
    for (JsonElement e : instance.getAsJsonArray("endpoints")) {
      JsonObject ep = e.getAsJsonObject();
      if (ep.get("name").getAsString().equals(endpoint)) {
        String address = ep.get("address").getAsString();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError("no endpoint " + endpoint + " in " + instance);
  }
}
