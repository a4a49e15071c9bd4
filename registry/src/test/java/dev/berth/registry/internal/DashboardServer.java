package dev.berth.registry.internal;

import dev.berth.testing.FakeClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;

/**
 * The registry's real HTTP side ({@link RegistryHttp}: one request thread, {@code /metrics}
 * beside the dashboard) on 127.0.0.1 port 0, its dashboard reading a {@link FakeDashboardFeed},
 * with time and the ticker on a {@link FakeClock} or real ones.
 */
final class DashboardServer implements AutoCloseable {

  static final String TOKEN = "test-token-0123456789abcdef";
  static final String TEST_FILES = "dev/berth/registry/dashboard-test/";

  final FakeDashboardFeed feed = new FakeDashboardFeed();
  final FakeClock clock; // null: real time
  final DashboardHttp dashboard;
  final RegistryHttp http;
  final int port;

  private DashboardServer(FakeClock clock, DashboardHttp.Options options) throws IOException {
    this.clock = clock;
    this.dashboard = new DashboardHttp(feed, TOKEN, options);
    this.http = RegistryHttp.start(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List::of,
        null, dashboard, 0);
    this.port = http.port();
  }

  /**
   * Time and the ticker on a fake clock: a test moves them; edges scraped on the ticker's call
   * itself; the page's files from {@link #TEST_FILES}.
   */
  static DashboardServer withFakeClock() throws IOException {
    FakeClock clock = new FakeClock();
    return new DashboardServer(clock, new DashboardHttp.Options(clock.ticker(), clock.scheduler(),
        Runnable::run, DashboardStreams.Timing.DEFAULT, TEST_FILES));
  }

  /** As the registry runs it: real time, the ticker's own thread, the registry's page files. */
  static DashboardServer asRun() throws IOException {
    return new DashboardServer(null, DashboardHttp.Options.DEFAULT);
  }

  private String ownerCookie; // guarded by this; the first sign-in's

  /** The {@code Cookie} header of a signed-in browser (the first call signs in, the others reuse it). */
  synchronized String ownerCookie() throws IOException {
    if (ownerCookie == null) {
      ownerCookie = signIn();
    }
    return ownerCookie;
  }

  /** Signs in with a fresh code, as a browser does: the {@code Cookie} header it sends afterwards. */
  String signIn() throws IOException {
    RawHttp.Response r = post("/dashboard/login").form("code=" + code()).send();
    String set = r.header("Set-Cookie");
    if (r.status() != 303 || set == null) {
      throw new AssertionError("login: " + r);
    }
    return set.substring(0, set.indexOf(';'));
  }

  RawHttp get(String path) {
    return RawHttp.get(port, path);
  }

  RawHttp post(String path) {
    return RawHttp.post(port, path);
  }

  /** A fresh sign-in code, as {@code berth dashboard} asks for one. */
  String code() throws IOException {
    RawHttp.Response r = post("/v1/dashboard/codes").header("berth-token", TOKEN).send();
    if (r.status() != 200) {
      throw new AssertionError("codes: " + r);
    }
    return r.body().replaceFirst("(?s)^\\{\"code\": \"([^\"]+)\".*$", "$1");
  }

  @Override
  public void close() {
    http.close();
  }
}
