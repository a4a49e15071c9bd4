package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard on one HTTP server: every path of {@code docs/dashboard.md} routed to what
 * answers it. Each request is checked by {@link DashboardGuard} first and every response
 * carries its headers. Requests arrive on the HTTP side's one thread and are answered there,
 * except an event stream ({@link DashboardStreams}) and an action ({@link DashboardActions}),
 * which are handed to threads of their own so that they never hold up {@code /metrics}.
 * Thread-safe.
 */
final class DashboardSite implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DashboardSite.class.getName());

  static final String TEXT = "text/plain; charset=utf-8";
  private static final String HTML = "text/html; charset=utf-8";
  private static final int MAX_FORM = 4096;
  private static final String SIGN_IN_AGAIN = "<!doctype html>\n<html lang=\"en\"><head>"
      + "<meta charset=\"utf-8\"><title>Berth dashboard: sign-in failed</title></head><body>\n"
      + "<p>This sign-in code is unknown, used or expired (a code is good once, for a minute at most).\n"
      + "Run <code>berth dashboard</code> again and open the URL it prints.</p>\n</body></html>\n";

  private final byte[] token;
  private final DashboardGuard guard;
  private final OwnerCookie cookie;
  private final SignInCodes codes;
  private final DashboardFiles files;
  private final DashboardStreams streams;
  private final DashboardActions actions;
  private final ScheduledThreadPoolExecutor ownTicker; // null: the options' scheduler
  private final ThreadPoolExecutor ownScrapes; // null: the options' executor

  DashboardSite(DashboardFeed feed, String token, int port, DashboardHttp.Options options) {
    String threads = "berth-dashboard-" + port + "-";
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.guard = new DashboardGuard(port);
    SecureRandom random = new SecureRandom();
    this.cookie = new OwnerCookie(port, options.ticker(), random);
    this.codes = new SignInCodes(options.ticker(), random);
    this.files = new DashboardFiles(options.files());
    this.ownTicker = options.scheduler() == null ? ticker(threads + "ticker") : null;
    ScheduledExecutorService ticker = ownTicker != null ? ownTicker : options.scheduler();
    this.ownScrapes = options.scrapes() == null ? scrapes(threads + "edges") : null;
    Executor scrapes = ownScrapes != null ? ownScrapes : options.scrapes();
    this.streams = new DashboardStreams(feed, ticker, scrapes, options.ticker(), options.timing(),
        threads);
    this.actions = new DashboardActions(feed, threads);
  }

  /** One thread that exists only while it has tasks, i.e. while a stream is open. */
  private static ScheduledThreadPoolExecutor ticker(String name) {
    ScheduledThreadPoolExecutor ticker = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    ticker.setKeepAliveTime(1, TimeUnit.SECONDS);
    ticker.allowCoreThreadTimeOut(true);
    ticker.setRemoveOnCancelPolicy(true); // the last stream's end cancels the periodic tasks
    ticker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return ticker;
  }

  /** One thread for the edges scrapes, which exists only while it has one to do (and a second after). */
  private static ThreadPoolExecutor scrapes(String name) {
    ThreadPoolExecutor scrapes = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
    scrapes.allowCoreThreadTimeOut(true);
    return scrapes;
  }

  /** After a change of the lease table or the conflicts. Quick; never blocks. */
  void stateChanged() {
    streams.stateChanged();
  }

  int openStreams() {
    return streams.openCount();
  }

  /** Everything under {@code /dashboard}. */
  void handle(HttpExchange exchange) throws IOException {
    boolean handedOver = false;
    try {
      DashboardGuard.secure(exchange.getResponseHeaders());
      String refusal = guard.refusal(exchange);
      if (refusal != null) {
        text(exchange, 403, refusal);
      } else {
        handedOver = route(exchange);
      }
    } finally {
      if (!handedOver) {
        exchange.close();
      }
    }
  }

  /** True when the exchange was handed to another thread, which answers and closes it. */
  private boolean route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/dashboard")) {
      if (allowed(exchange, "GET")) {
        exchange.getResponseHeaders().set("Location", "/dashboard/");
        exchange.sendResponseHeaders(308, -1);
      }
      return false;
    }
    String name = path.startsWith("/dashboard/") ? path.substring("/dashboard/".length()) : null;
    if (name == null) { // a context answers every path it prefixes: /dashboardx is not ours
      text(exchange, 404, "no such page: " + Names.quote(path) + " (expected: /dashboard/)");
    } else if (name.equals("events")) {
      if (allowed(exchange, "GET")) {
        String busy = streams.open(exchange, cookie.presentIn(exchange.getRequestHeaders()));
        if (busy == null) {
          return true;
        }
        text(exchange, 503, busy);
      }
    } else if (name.equals("login")) {
      if (allowed(exchange, "GET", "POST")) {
        if (method.equals("GET")) {
          file(exchange, "login.html"); // a GET changes nothing: login.js posts the code
        } else {
          login(exchange);
        }
      }
    } else if (name.startsWith("actions/")) {
      String verb = name.substring("actions/".length());
      if (!verb.equals("restart") && !verb.equals("stop")) {
        text(exchange, 404, "no such action: " + Names.quote(verb) + " (expected: restart or stop)");
      } else if (allowed(exchange, "POST")) {
        return act(exchange, verb);
      }
    } else if (name.isEmpty() || DashboardFiles.isPageFile(name)) {
      if (allowed(exchange, "GET")) {
        file(exchange, name.isEmpty() ? "index.html" : name);
      }
    } else {
      text(exchange, 404, "no such page: " + Names.quote(path) + " (expected: /dashboard/)");
    }
    return false;
  }

  private boolean act(HttpExchange exchange, String verb) throws IOException {
    String foreign = DashboardGuard.foreignOrigin(exchange.getRequestHeaders());
    if (foreign != null) {
      text(exchange, 403, foreign);
      return false;
    }
    if (!cookie.presentIn(exchange.getRequestHeaders())) {
      text(exchange, 401, "unauthorized: no valid cookie " + cookie.name()
          + " (expected: sign in through the URL berth dashboard prints)");
      return false;
    }
    Map<String, String> query;
    try {
      query = QueryView.query(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) { // a bad %-escape
      text(exchange, 400, "query: " + e.getMessage());
      return false;
    }
    if (actions.submit(exchange, verb, query.getOrDefault("namespace", ""),
        query.getOrDefault("service", ""))) {
      return true;
    }
    text(exchange, 503, "unavailable: " + DashboardActions.QUEUE
        + " actions are waiting already (expected: fewer; try again)");
    return false;
  }

  private void login(HttpExchange exchange) throws IOException {
    String foreign = DashboardGuard.foreignOrigin(exchange.getRequestHeaders());
    if (foreign != null) {
      text(exchange, 403, foreign);
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM + 1);
    }
    if (body.length > MAX_FORM) {
      text(exchange, 413, "body: " + MAX_FORM + "+ bytes (expected: the form code=C)");
      return;
    }
    String code;
    try {
      code = QueryView.query(new String(body, StandardCharsets.US_ASCII)).get("code");
    } catch (IllegalArgumentException e) { // a bad %-escape
      text(exchange, 400, "form: " + e.getMessage());
      return;
    }
    if (code == null || !codes.redeem(code)) {
      RegistryHttp.send(exchange, 403, SIGN_IN_AGAIN, HTML);
      return;
    }
    exchange.getResponseHeaders().add("Set-Cookie", cookie.open());
    exchange.getResponseHeaders().set("Location", "/dashboard/");
    exchange.sendResponseHeaders(303, -1);
    LOG.log(Level.DEBUG, "the dashboard's owner signed in");
  }

  /**
   * {@code POST /v1/dashboard/codes[?lifetime=SECONDS]}: a fresh sign-in code for the holder of
   * the token.
   */
  void codes(HttpExchange exchange) throws IOException {
    try (exchange) {
      DashboardGuard.secure(exchange.getResponseHeaders());
      String refusal = guard.refusal(exchange);
      String presented = exchange.getRequestHeaders().getFirst(QueryView.TOKEN_HEADER);
      if (refusal != null) {
        text(exchange, 403, refusal);
      } else if (!exchange.getRequestURI().getRawPath().equals("/v1/dashboard/codes")) {
        text(exchange, 404, "no such view: " + Names.quote(exchange.getRequestURI().getRawPath())
            + " (expected: /v1/dashboard/codes)");
      } else if (allowed(exchange, "POST")) {
        if (presented == null) {
          text(exchange, 401, "missing header " + QueryView.TOKEN_HEADER
              + " (expected: the state dir's token, as berth dashboard sends it)");
        } else if (!MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.US_ASCII))) {
          text(exchange, 401, "wrong " + QueryView.TOKEN_HEADER
              + " (expected: the state dir's token, as berth dashboard sends it)");
        } else {
          issue(exchange);
        }
      }
    }
  }

  /** A code for {@code ?lifetime=SECONDS} (1 to 60; 60 when absent), or 400 naming a bad one. */
  private void issue(HttpExchange exchange) throws IOException {
    String asked;
    try {
      asked = QueryView.query(exchange.getRequestURI().getRawQuery()).get("lifetime");
    } catch (IllegalArgumentException e) { // a bad %-escape
      text(exchange, 400, "query: " + e.getMessage());
      return;
    }
    long seconds = SignInCodes.LIFETIME.toSeconds();
    if (asked != null) {
      seconds = asked.matches("[0-9]{1,3}") ? Long.parseLong(asked) : 0;
      if (seconds < 1 || seconds > SignInCodes.LIFETIME.toSeconds()) {
        text(exchange, 400, "lifetime: " + Names.quote(asked) + " (expected: whole seconds from 1 to "
            + SignInCodes.LIFETIME.toSeconds() + ")");
        return;
      }
    }
    String code = codes.issue(Duration.ofSeconds(seconds));
    RegistryHttp.send(exchange, 200, "{\"code\": \"" + code + "\", \"expiresInSeconds\": " + seconds
        + "}\n", "application/json");
  }

  private void file(HttpExchange exchange, String name) throws IOException {
    Optional<DashboardFiles.File> file = files.get(name);
    if (file.isEmpty()) {
      text(exchange, 404, "no such file: " + Names.quote(name) + " (this registry's jar lacks it)");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", file.get().type());
    exchange.sendResponseHeaders(200, file.get().bytes().length);
    exchange.getResponseBody().write(file.get().bytes());
  }

  /** True when the request's method is one of {@code methods}; else answers 405 with {@code Allow}. */
  private static boolean allowed(HttpExchange exchange, String... methods) throws IOException {
    for (String m : methods) {
      if (m.equals(exchange.getRequestMethod())) {
        return true;
      }
    }
    String allow = String.join(", ", methods);
    exchange.getResponseHeaders().set("Allow", allow);
    text(exchange, 405, "method: " + Names.quote(exchange.getRequestMethod()) + " (expected: " + allow + ")");
    return false;
  }

  private static void text(HttpExchange exchange, int status, String line) throws IOException {
    RegistryHttp.send(exchange, status, line + "\n", TEXT);
  }

  /** Ends the streams (bounded), then the actions, then the ticker and the scrapes. Idempotent. */
  @Override
  public void close() {
    streams.close();
    actions.close();
    if (ownTicker != null) {
      ownTicker.shutdownNow();
    }
    if (ownScrapes != null) {
      ownScrapes.shutdownNow(); // a scrape under way ends within its own 500 ms bound
    }
  }
}
