package dev.berth.registry.internal;

import com.sun.net.httpserver.Headers;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The dashboard's owner cookie ({@code docs/dashboard.md}, "The owner"): {@code
 * berth-dashboard-PORT}, valued a random session id (128 bits, base64url) that a sign-in code
 * bought, known to this registry's memory only.
 *
 * <p>Random and short-lived, not derived from the token: a browser sends a cookie to every port
 * of its host (RFC 6265 §8.5), so a server on another port of 127.0.0.1 that the owner opens
 * (another local user's, say) can have the browser send it this cookie by sending the browser on to
 * its own {@code /dashboard/} path. A value derived from the token would be good there until the
 * token is replaced; a session id is good for {@link #LIFETIME} at most (the cookie's {@code
 * Max-Age}, and this class forgets it then too), until {@link #MAX_SESSIONS} newer ones have been
 * opened, and until the registry stops. The page stays readable without it; acting needs {@code
 * berth dashboard} again. The port is in the name because cookies are not kept per port: two
 * registries of two state dirs on one machine must not overwrite each other's.
 *
 * <p>Ids are never logged. They are looked up in a hash map, not compared in constant time:
 * 128 random bits leave a guesser nothing to learn from how long a miss took. Thread-safe (one
 * lock). Time is read from {@code ticker} (nanoseconds).
 */
final class OwnerCookie {

  static final Duration LIFETIME = Duration.ofHours(12);
  static final int MAX_SESSIONS = 32;

  private final String name;
  private final LongSupplier ticker;
  private final SecureRandom random;
  private final Map<String, Long> sessions = new LinkedHashMap<>(); // guarded by this; id to opened, oldest first

  OwnerCookie(int port, LongSupplier ticker, SecureRandom random) {
    this.name = "berth-dashboard-" + port;
    this.ticker = ticker;
    this.random = random;
  }

  String name() {
    return name;
  }

  /**
   * Opens a session, forgetting the oldest beyond {@link #MAX_SESSIONS}, and returns its {@code
   * Set-Cookie} value: a cookie only this host's /dashboard paths see, for {@link #LIFETIME}.
   */
  String open() {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    synchronized (this) {
      long now = ticker.getAsLong();
      dropExpired(now);
      if (sessions.size() >= MAX_SESSIONS) {
        Iterator<String> oldest = sessions.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      sessions.put(id, now);
    }
    return name + "=" + id + "; Max-Age=" + LIFETIME.toSeconds()
        + "; Path=/dashboard; HttpOnly; SameSite=Strict";
  }

  /** True when a {@code Cookie} header of {@code request} carries this cookie with a session still open. */
  boolean presentIn(Headers request) {
    List<String> headers = request.get("Cookie");
    if (headers == null) {
      return false;
    }
    synchronized (this) {
      dropExpired(ticker.getAsLong());
      for (String header : headers) {
        for (String pair : header.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().equals(name)
              && sessions.containsKey(pair.substring(eq + 1).strip())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void dropExpired(long now) { // under this; opened in time order, so the oldest go first
    for (Iterator<Long> it = sessions.values().iterator(); it.hasNext(); ) {
      if (now - it.next() < LIFETIME.toNanos()) {
        return;
      }
      it.remove();
    }
  }
}
