package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link DashboardSignIn#mint} asks a registry's codes endpoint, against a recording server. */
class DashboardMintTest {

  HttpServer server;
  final List<String> asked = new CopyOnWriteArrayList<>();
  volatile String granted = "60";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/dashboard/codes", exchange -> {
      asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("berth-token"));
      byte[] body = ("{\"code\": \"abcdefghijklmnop\", \"expiresInSeconds\": " + granted + "}")
          .getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void mint_forOpen_asksForTenSeconds_andSaysWhatTheRegistryGranted() {
    granted = "10";
    DashboardSignIn.Code code = DashboardSignIn.mint(server.getAddress(), "t0ken", Path.of("/home"),
        DashboardCommand.OPEN_LIFETIME_SECONDS);

    assertThat(asked).containsExactly("POST /v1/dashboard/codes?lifetime=10 t0ken");
    assertThat(code).isEqualTo(new DashboardSignIn.Code("abcdefghijklmnop", 10));
  }

  @Test
  void mint_default_asksForNoLifetime_andAnOlderRegistrysSixtyIsWhatIsPrinted() {
    DashboardSignIn.Code plain = DashboardSignIn.mint(server.getAddress(), "t0ken", Path.of("/home"));
    // a registry older than ?lifetime= ignores it and grants its 60 s: the URL says so
    DashboardSignIn.Code old = DashboardSignIn.mint(server.getAddress(), "t0ken", Path.of("/home"), 10);

    assertThat(asked).containsExactly("POST /v1/dashboard/codes t0ken",
        "POST /v1/dashboard/codes?lifetime=10 t0ken");
    assertThat(plain.expiresInSeconds()).isEqualTo(60);
    assertThat(old.expiresInSeconds()).isEqualTo(60);
  }
}
