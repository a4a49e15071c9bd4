package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard on a real registry's HTTP berth: the page answers, a sign-in code needs the token. */
class DashboardOnRegistryTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build(); // follows no redirects

  @TempDir Path dir;
  private TestRegistry reg;

  @BeforeEach
  void start() throws Exception {
    reg = TestRegistry.start(dir, 4);
  }

  @AfterEach
  void stop() {
    reg.close();
  }

  @Test
  void dashboard_isServedOnTheMetricsPort_withItsHeaders() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(url("/dashboard/")).GET());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).startsWith("default-src 'none'; script-src 'self';"));
    assertThat(page.body()).containsIgnoringCase("<html");
  }

  @Test
  void codes_needTheToken_andACodeSignsIn() throws Exception {
    HttpResponse<String> refused = send(HttpRequest.newBuilder(url("/v1/dashboard/codes"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> issued = send(HttpRequest.newBuilder(url("/v1/dashboard/codes"))
        .header("berth-token", reg.token()).POST(HttpRequest.BodyPublishers.noBody()));
    String code = issued.body().replaceFirst("(?s)^\\{\"code\": \"([^\"]+)\".*$", "$1");
    HttpResponse<String> login = send(HttpRequest.newBuilder(url("/dashboard/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("code=" + code)));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(code).matches("[A-Za-z0-9_-]{22}");
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
        .startsWith("berth-dashboard-" + reg.registry.metricsPort() + "=")
        .endsWith("; Max-Age=43200; Path=/dashboard; HttpOnly; SameSite=Strict"));
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
