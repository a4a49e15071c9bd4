package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceSpec.ReadyCheck;
import dev.berth.client.Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A service's {@code ready} check, tried until it passes or its timeout ends: HTTP GET of the
 * path answers 2xx or 3xx, or a TCP connect succeeds. The lease being live says the process
 * listens; this says it also answers. Runs on the instance's thread; tries every 100 ms.
 */
final class ReadyProbe {

  private static final Duration TRY_EVERY = Duration.ofMillis(100);
  private static final Duration ONE_TRY = Duration.ofSeconds(2);

  private ReadyProbe() {}

  /**
   * Empty string when {@code check} passed against {@code address} within its timeout, else one
   * line saying what it saw last. Gives up early when {@code process} exits.
   */
  static String await(ReadyCheck check, Address address, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + check.timeout().toNanos();
    String last = "no answer";
    HttpClient http = check.kind() == ReadyCheck.Kind.HTTP
        ? HttpClient.newBuilder().connectTimeout(ONE_TRY).followRedirects(HttpClient.Redirect.NEVER).build()
        : null;
    while (true) {
      if (process != null && !process.isAlive()) {
        return "it exited before its ready check passed (" + last + ")";
      }
      last = http != null ? http(http, address, check.path()) : tcp(address);
      if (last.isEmpty()) {
        return "";
      }
      if (System.nanoTime() > deadline) {
        return "ready check " + describe(check, address) + " did not pass within "
            + check.timeout().toSeconds() + " s (" + last + ")";
      }
      Thread.sleep(TRY_EVERY.toMillis());
    }
  }

  static String describe(ReadyCheck check, Address address) {
    return check.kind() == ReadyCheck.Kind.HTTP ? "GET " + url(address, check.path()) : "tcp " + address;
  }

  private static String url(Address address, String path) {
    String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
    return "http://" + host + ":" + address.port() + (path.startsWith("/") ? path : "/" + path);
  }

  private static String http(HttpClient http, Address address, String path) throws InterruptedException {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url(address, path)))
          .timeout(ONE_TRY).GET().build(), HttpResponse.BodyHandlers.discarding());
      int code = response.statusCode();
      return code >= 200 && code < 400 ? "" : "HTTP " + code;
    } catch (IOException e) {
      return String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static String tcp(Address address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), (int) ONE_TRY.toMillis());
      return "";
    } catch (IOException e) {
      return "connect: " + e.getMessage();
    }
  }
}
