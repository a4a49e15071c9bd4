package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's guard, files and actions over the registry's real HTTP side, with a fake feed
 * and a fake clock (sign-in: {@link DashboardSignInTest}). Raw sockets: {@code java.net.http} will not send a foreign
 * {@code Host}.
 */
class DashboardHttpTest {

  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    server = DashboardServer.withFakeClock();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example:PORT", "127.0.0.1.nip.io:PORT", "evil.example"})
  void foreignHost_is403NamingItAndTheUrlToOpen(String host) throws Exception {
    String sent = host.replace("PORT", String.valueOf(server.port));

    RawHttp.Response page = server.get("/dashboard/").host(sent).send();
    RawHttp.Response events = server.get("/dashboard/events").host(sent).send();
    RawHttp.Response code = server.post("/v1/dashboard/codes").host(sent)
        .header("berth-token", DashboardServer.TOKEN).send();

    for (RawHttp.Response r : List.of(page, events, code)) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("forbidden: Host \"" + sent + "\" (expected: a loopback name or "
          + "address; open http://127.0.0.1:" + server.port + "/dashboard/)\n");
    }
    assertThat(code.body()).doesNotContain("\"code\"");
  }

  @Test
  void missingHost_is403() throws Exception {
    RawHttp.Response r = server.get("/dashboard/").host(null).send();

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).startsWith("forbidden: no Host header (expected: a loopback name")
        .hasLineCount(1);
  }

  @Test
  void twoHostHeaders_are403() throws Exception {
    RawHttp.Response r = server.get("/dashboard/").header("Host", "evil.example").send();

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).startsWith("forbidden: 2 Host headers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:PORT", "127.0.0.1:PORT", "[::1]:PORT", "app.localhost:PORT",
      "127.0.0.1"})
  void loopbackHost_isAnswered(String host) throws Exception {
    RawHttp.Response r = server.get("/dashboard/").host(host.replace("PORT", "" + server.port)).send();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("<!doctype html><title>test index</title>\n");
  }

  @Test
  void everyResponse_carriesTheCspAndNosniffHeaders() throws Exception {
    List<RawHttp.Response> responses = List.of(
        server.get("/dashboard/").send(),
        server.get("/dashboard").send(),
        server.get("/dashboard/nothing").send(),
        server.post("/dashboard/app.js").send(),
        server.get("/dashboard/").host("evil.example").send(),
        server.post("/dashboard/login").form("code=wrong").send(),
        server.post("/dashboard/actions/stop?service=orders").send(),
        server.post("/v1/dashboard/codes").send(),
        server.post("/v1/dashboard/codes").header("berth-token", DashboardServer.TOKEN).send());
    RawHttp.EventStream stream = server.get("/dashboard/events").stream();
    stream.close();

    assertThat(responses).extracting(RawHttp.Response::status)
        .containsExactly(200, 308, 404, 405, 403, 403, 401, 401, 200);
    for (RawHttp.Response r : concat(responses, stream.response)) {
      assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'none'; "
          + "script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Referrer-Policy")).isEqualTo("same-origin");
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }
  }

  @Test
  void files_areServedWithTheirType_onlyByGet_andOthersAre404() throws Exception {
    RawHttp.Response index = server.get("/dashboard/").send();
    RawHttp.Response js = server.get("/dashboard/app.js").send();
    RawHttp.Response css = server.get("/dashboard/app.css").send();
    RawHttp.Response svg = server.get("/dashboard/favicon.svg").send();
    RawHttp.Response absent = server.get("/dashboard/login.js").send(); // not in the test folder
    RawHttp.Response unknown = server.get("/dashboard/berth.yaml").send();
    RawHttp.Response escape = server.get("/dashboard/..%2Fapp.js").send();
    RawHttp.Response prefix = server.get("/dashboardx").send();
    RawHttp.Response post = server.post("/dashboard/app.js").send();
    RawHttp.Response redirect = server.get("/dashboard").send();

    assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.body()).isEqualTo("// test app.js\n");
    assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(svg.header("Content-Type")).isEqualTo("image/svg+xml");
    assertThat(List.of(absent, unknown, escape, prefix)).extracting(RawHttp.Response::status)
        .containsOnly(404);
    assertThat(unknown.body()).isEqualTo("no such page: \"/dashboard/berth.yaml\" (expected: /dashboard/)\n");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET");
    assertThat(redirect.status()).isEqualTo(308);
    assertThat(redirect.header("Location")).isEqualTo("/dashboard/");
  }

  @Test
  void action_withoutTheCookie_is401_andDoesNothing() throws Exception {
    RawHttp.Response none = server.post("/dashboard/actions/restart?namespace=shop&service=orders").send();
    RawHttp.Response bad = server.post("/dashboard/actions/restart?namespace=shop&service=orders")
        .header("Cookie", "berth-dashboard-" + server.port + "=forged").send();
    RawHttp.Response otherPort = server.post("/dashboard/actions/restart?namespace=shop&service=orders")
        .header("Cookie", server.ownerCookie().replace("berth-dashboard-" + server.port + "=",
            "berth-dashboard-1=")).send(); // a signed-in session's id, under another port's name

    assertThat(List.of(none, bad, otherPort)).extracting(RawHttp.Response::status).containsOnly(401);
    assertThat(none.body()).isEqualTo("unauthorized: no valid cookie berth-dashboard-" + server.port
        + " (expected: sign in through the URL berth dashboard prints)\n");
    assertThat(server.feed.acts).isEmpty();
  }

  @Test
  void action_fromAForeignOrigin_is403_andDoesNothing() throws Exception {
    RawHttp.Response r = server.post("/dashboard/actions/stop?namespace=shop&service=orders")
        .header("Cookie", server.ownerCookie()).header("Origin", "http://evil.example").send();
    RawHttp.Response otherPort = server.post("/dashboard/actions/stop?namespace=shop&service=orders")
        .header("Cookie", server.ownerCookie()).header("Origin", "http://127.0.0.1:1").send();

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("forbidden: Origin \"http://evil.example\" (expected: http://127.0.0.1:"
        + server.port + ", this page's own)\n");
    assertThat(otherPort.status()).isEqualTo(403);
    assertThat(server.feed.acts).isEmpty();
  }

  @Test
  void action_ofTheOwner_is204_andAsksTheFeed() throws Exception {
    RawHttp.Response restart = server.post("/dashboard/actions/restart?namespace=shop-1a2b&service=orders")
        .header("Cookie", "other=1; " + server.ownerCookie())
        .header("Origin", "http://127.0.0.1:" + server.port).send();
    RawHttp.Response stop = server.post("/dashboard/actions/stop?service=web&namespace=shop-1a2b")
        .host("localhost:" + server.port).header("Cookie", server.ownerCookie()).send();

    assertThat(restart.status()).isEqualTo(204);
    assertThat(restart.body()).isEmpty();
    assertThat(stop.status()).isEqualTo(204);
    assertThat(server.feed.acts).containsExactly("restart shop-1a2b/orders", "stop shop-1a2b/web");
  }

  @Test
  void action_failures_areOneLineWithTheirStatus() throws Exception {
    RawHttp.Response[] r = new RawHttp.Response[3];
    RuntimeException[] failures = {
        new NoSuchElementException("no running stack \"shop\""),
        new IllegalArgumentException("service: \"Bad_Name\" (expected: a DNS label)"),
        new IllegalStateException("the supervisor of \"shop\" refused:\nit is stopping")};
    for (int i = 0; i < failures.length; i++) {
      server.feed.failure = failures[i];
      r[i] = server.post("/dashboard/actions/stop?namespace=shop&service=orders")
          .header("Cookie", server.ownerCookie()).send();
    }

    assertThat(r[0].status()).isEqualTo(404);
    assertThat(r[0].body()).isEqualTo("no running stack \"shop\"\n");
    assertThat(r[1].status()).isEqualTo(400);
    assertThat(r[1].body()).isEqualTo("service: \"Bad_Name\" (expected: a DNS label)\n");
    assertThat(r[2].status()).isEqualTo(409);
    assertThat(r[2].body()).isEqualTo("the supervisor of \"shop\" refused: it is stopping\n");
    assertThat(r[2].header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void get_changesNothing_andOnAnActionIs405() throws Exception {
    RawHttp.Response get = server.get("/dashboard/actions/restart?namespace=shop&service=orders")
        .header("Cookie", server.ownerCookie()).send();
    RawHttp.Response unknown = server.post("/dashboard/actions/delete?service=orders")
        .header("Cookie", server.ownerCookie()).send();

    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(get.body()).isEqualTo("method: \"GET\" (expected: POST)\n");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(server.feed.acts).isEmpty();
  }

  private static List<RawHttp.Response> concat(List<RawHttp.Response> list, RawHttp.Response one) {
    List<RawHttp.Response> all = new java.util.ArrayList<>(list);
    all.add(one);
    return all;
  }
}
