package dev.berth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The child of {@code berth run} in the tests: an HTTP server on {@code $PORT}. {@code GET /env}
 * answers the variables berth set; {@code GET /exit?code=N} answers, then exits with code N.
 */
public final class TinyHttpServer {

  private TinyHttpServer() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv("PORT"));
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    http.createContext("/env", exchange -> reply(exchange, "PORT=" + System.getenv("PORT")
        + " BERTH_PORT_HTTP=" + System.getenv("BERTH_PORT_HTTP")
        + " BERTH_REGISTRY=" + System.getenv("BERTH_REGISTRY")));
    http.createContext("/exit", exchange -> {
      int code = Integer.parseInt(exchange.getRequestURI().getQuery().replace("code=", ""));
      reply(exchange, "bye");
      new Thread(() -> {
        http.stop(0);
        System.exit(code);
      }).start();
    });
    http.start();
  }

  private static void reply(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
