package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's sign-in over the registry's real HTTP side, with a fake feed and a fake
 * clock: a one-time code that {@code berth dashboard} mints with the token buys a session, a
 * random id kept in the registry's memory for 12 hours.
 */
class DashboardSignInTest {

  private static final String ACTION = "/dashboard/actions/restart?namespace=shop&service=orders";

  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    server = DashboardServer.withFakeClock();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void codes_needTheToken() throws Exception {
    RawHttp.Response none = server.post("/v1/dashboard/codes").send();
    RawHttp.Response wrong = server.post("/v1/dashboard/codes").header("berth-token", "nope").send();
    RawHttp.Response get = server.get("/v1/dashboard/codes").header("berth-token", DashboardServer.TOKEN).send();
    RawHttp.Response ok = server.post("/v1/dashboard/codes").header("berth-token", DashboardServer.TOKEN).send();

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).startsWith("missing header berth-token (expected: ").hasLineCount(1);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).startsWith("wrong berth-token (expected: ").hasLineCount(1);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Content-Type")).isEqualTo("application/json");
    assertThat(ok.body()).matches("\\{\"code\": \"[A-Za-z0-9_-]{22}\", \"expiresInSeconds\": 60}\n");
  }

  @Test
  void codes_forAShorterLifetime_sayIt_andExpireThen() throws Exception {
    RawHttp.Response first = server.post("/v1/dashboard/codes?lifetime=10")
        .header("berth-token", DashboardServer.TOKEN).send();
    RawHttp.Response second = server.post("/v1/dashboard/codes?lifetime=10")
        .header("berth-token", DashboardServer.TOKEN).send();
    String inTime = codeOf(first);
    String late = codeOf(second);

    server.clock.forwardTime(9, TimeUnit.SECONDS);
    int ok = server.post("/dashboard/login").form("code=" + inTime).send().status();
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    int expired = server.post("/dashboard/login").form("code=" + late).send().status();

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).matches("\\{\"code\": \"[A-Za-z0-9_-]{22}\", \"expiresInSeconds\": 10}\n");
    assertThat(ok).isEqualTo(303);
    assertThat(expired).isEqualTo(403);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "61", "-1", "1.5", "ten", "", "99999999999999999999"})
  void codes_forALifetimeOutside1To60Seconds_are400NamingIt(String lifetime) throws Exception {
    RawHttp.Response r = server.post("/v1/dashboard/codes?lifetime=" + lifetime)
        .header("berth-token", DashboardServer.TOKEN).send();

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("lifetime: \"" + lifetime + "\" (expected: whole seconds from 1 to 60)\n");
  }

  @Test
  void login_withAFreshCode_opensASessionOnce() throws Exception {
    String code = server.code();

    RawHttp.Response first = server.post("/dashboard/login").form("code=" + code).send();
    RawHttp.Response again = server.post("/dashboard/login").form("code=" + code).send();

    assertThat(first.status()).isEqualTo(303);
    assertThat(first.header("Location")).isEqualTo("/dashboard/");
    assertThat(first.header("Set-Cookie")).matches("berth-dashboard-" + server.port
        + "=[A-Za-z0-9_-]{22}; Max-Age=43200; Path=/dashboard; HttpOnly; SameSite=Strict")
        .doesNotContain(DashboardServer.TOKEN);
    assertThat(again.status()).isEqualTo(403);
    assertThat(again.header("Set-Cookie")).isNull();
    assertThat(again.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(again.body()).contains("Run <code>berth dashboard</code> again");
  }

  @Test
  void login_withAWrongOrMissingCode_is403() throws Exception {
    server.code();

    RawHttp.Response wrong = server.post("/dashboard/login").form("code=AAAAAAAAAAAAAAAAAAAAAA").send();
    RawHttp.Response none = server.post("/dashboard/login").form("").send();

    assertThat(wrong.status()).isEqualTo(403);
    assertThat(none.status()).isEqualTo(403);
    assertThat(wrong.header("Set-Cookie")).isNull();
  }

  @Test
  void login_codeExpiresAfter60Seconds() throws Exception {
    String late = server.code();
    String inTime = server.code();

    server.clock.forwardTime(59, TimeUnit.SECONDS);
    RawHttp.Response ok = server.post("/dashboard/login").form("code=" + inTime).send();
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    RawHttp.Response expired = server.post("/dashboard/login").form("code=" + late).send();

    assertThat(ok.status()).isEqualTo(303);
    assertThat(expired.status()).isEqualTo(403);
  }

  @Test
  void login_byGet_servesTheFormAndKeepsTheCode() throws Exception {
    String code = server.code();

    RawHttp.Response form = server.get("/dashboard/login?code=" + code).send();
    RawHttp.Response post = server.post("/dashboard/login").form("code=" + code).send();

    assertThat(form.status()).isEqualTo(200);
    assertThat(form.body()).isEqualTo("<!doctype html><title>test login</title>\n");
    assertThat(form.header("Set-Cookie")).isNull();
    assertThat(post.status()).isEqualTo(303);
  }

  @Test
  void login_fromAForeignOrigin_is403() throws Exception {
    String code = server.code();

    RawHttp.Response r = server.post("/dashboard/login").header("Origin", "http://evil.example")
        .form("code=" + code).send();

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.header("Set-Cookie")).isNull();
  }

  @Test
  void sessions_areRandomPerSignIn_andEachActs() throws Exception {
    String first = server.signIn();
    String second = server.signIn();

    assertThat(first).isNotEqualTo(second);
    assertThat(act(first)).isEqualTo(204);
    assertThat(act(second)).isEqualTo(204);
    assertThat(act(first.substring(0, first.length() - 1) + (first.endsWith("A") ? "B" : "A")))
        .isEqualTo(401);
  }

  @Test
  void session_endsAfter12Hours() throws Exception {
    String cookie = server.signIn();

    server.clock.forwardTime(12 * 3600 - 1, TimeUnit.SECONDS);
    int late = act(cookie);
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    int expired = act(cookie);

    assertThat(late).isEqualTo(204);
    assertThat(expired).isEqualTo(401);
  }

  @Test
  void the33rdSession_endsTheOldest() throws Exception {
    String oldest = server.signIn();
    String second = server.signIn();
    for (int i = 2; i < OwnerCookie.MAX_SESSIONS; i++) {
      server.signIn();
    }
    assertThat(act(oldest)).isEqualTo(204);

    String newest = server.signIn();

    assertThat(act(oldest)).isEqualTo(401);
    assertThat(act(second)).isEqualTo(204);
    assertThat(act(newest)).isEqualTo(204);
  }

  @Test
  void aRestartedRegistry_knowsNoSession_thoughItHasTheSameToken() throws Exception {
    String cookie = server.signIn();
    String id = cookie.substring(cookie.indexOf('=') + 1);
    server.close();

    try (DashboardServer restarted = DashboardServer.withFakeClock()) {
      int status = restarted.post(ACTION).header("Cookie", "berth-dashboard-" + restarted.port + "=" + id)
          .send().status();

      assertThat(status).isEqualTo(401);
      assertThat(restarted.feed.acts).isEmpty();
    }
  }

  private static String codeOf(RawHttp.Response r) {
    return r.body().replaceFirst("(?s)^\\{\"code\": \"([^\"]+)\".*$", "$1");
  }

  private int act(String cookie) throws Exception {
    return server.post(ACTION).header("Cookie", cookie).send().status();
  }
}
