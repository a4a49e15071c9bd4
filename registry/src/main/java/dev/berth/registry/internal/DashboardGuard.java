package dev.berth.registry.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;

/**
 * Who may reach the dashboard ({@code docs/dashboard.md}, "Paths"): a loopback peer whose
 * {@code Host} header is a loopback name or address ({@link LoopbackHost}, the DNS-rebinding
 * guard), and for a state change an {@code Origin}, when the browser sends one, of this very
 * host. Also the headers every dashboard response carries.
 *
 * <p>{@link #refusal} guards every path of the registry's HTTP side, not the dashboard's only:
 * a page that rebinds its own name to 127.0.0.1 could otherwise read {@code /sd}'s service map
 * or {@code /metrics} (no token needed). Prometheus, {@code curl} and the CLI send {@code Host:
 * 127.0.0.1:PORT}, which passes. Thread-safe (immutable).
 */
final class DashboardGuard {

  /** The page loads its own files only; no inline script or style, no frames, no forms elsewhere. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final String url;

  /** {@code port}: the HTTP side's, for the URL a refusal names ({@code /dashboard/} on it). */
  DashboardGuard(int port) {
    this(port, "/dashboard/");
  }

  /** A refusal names {@code path} on {@code port} as the URL to open instead. */
  DashboardGuard(int port, String path) {
    this.url = "http://127.0.0.1:" + port + path;
  }

  /**
   * Adds the headers of every response: CSP, nosniff, a referrer for this origin only, no
   * caching. Not {@code no-referrer}: under it a browser sends {@code Origin: null} on the
   * page's own form posts and fetches (the Fetch standard's "serializing a request origin"),
   * and the Origin check would refuse the sign-in and every action. {@code same-origin} keeps
   * the sign-in URL, code and all, from any other site just as well.
   */
  static void secure(Headers response) {
    response.set("Content-Security-Policy", CSP);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "same-origin");
    response.set("Cache-Control", "no-store");
  }

  /** Null when {@code exchange} may be answered; else the one-line reason for its 403. */
  String refusal(HttpExchange exchange) {
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      return "forbidden: " + exchange.getRemoteAddress().getAddress() + " is not a loopback address";
    }
    List<String> hosts = exchange.getRequestHeaders().get("Host");
    if (hosts == null || hosts.isEmpty()) {
      return "forbidden: no Host header (expected: a loopback name or address; open " + url + ")";
    }
    if (hosts.size() > 1) {
      return "forbidden: " + hosts.size() + " Host headers (expected: one; open " + url + ")";
    }
    if (!LoopbackHost.isLoopback(hosts.get(0))) {
      return "forbidden: Host " + Names.quote(hosts.get(0))
          + " (expected: a loopback name or address; open " + url + ")";
    }
    return null;
  }

  /**
   * Null when {@code request} may change state: no {@code Origin} (a client other than a
   * browser), or {@code http://} + its {@code Host}; else the one-line reason for its 403.
   * Call after {@link #refusal}, which checked the {@code Host}.
   */
  static String foreignOrigin(Headers request) {
    List<String> origins = request.get("Origin");
    if (origins == null) {
      return null;
    }
    String expected = "http://" + request.getFirst("Host");
    if (origins.size() == 1 && origins.get(0).equalsIgnoreCase(expected)) {
      return null;
    }
    return "forbidden: Origin " + Names.quote(String.join(", ", origins)) + " (expected: " + expected
        + ", this page's own)";
  }
}
