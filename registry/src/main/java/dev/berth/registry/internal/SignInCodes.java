package dev.berth.registry.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * The dashboard's one-time sign-in codes: 128 random bits each, kept in memory for {@link
 * #LIFETIME} (or less, when asked), good once. {@code berth dashboard} fetches one with the token
 * ({@code POST /v1/dashboard/codes}) and puts it in the URL it prints; the browser trades it for
 * the owner cookie. A code in a URL may land in a shell's history or a browser's: short-lived and
 * single-use, it is worth nothing there. {@code berth dashboard --open} asks for 10 s, since the
 * URL it hands to the desktop's opener sits in that process's command line, which any local user
 * can read.
 *
 * <p>At most {@link #MAX_OUTSTANDING} unexpired codes are kept; a new one beyond that drops the
 * oldest issued. Thread-safe (one lock). Time is read from {@code ticker} (nanoseconds).
 */
final class SignInCodes {

  static final Duration LIFETIME = Duration.ofSeconds(60);
  static final int MAX_OUTSTANDING = 32;

  private record Code(byte[] text, long expiresNanos) {}

  private final LongSupplier ticker;
  private final SecureRandom random;
  private final Deque<Code> codes = new ArrayDeque<>(); // guarded by this; oldest first

  SignInCodes(LongSupplier ticker, SecureRandom random) {
    this.ticker = ticker;
    this.random = random;
  }

  /** A fresh code good for {@link #LIFETIME}, base64url (22 characters). */
  String issue() {
    return issue(LIFETIME);
  }

  /** A fresh code good for {@code lifetime} (positive, at most {@link #LIFETIME}), base64url. */
  synchronized String issue(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LIFETIME) > 0) {
      throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: > 0 and <= " + LIFETIME + ")");
    }
    long now = ticker.getAsLong();
    dropExpired(now);
    if (codes.size() == MAX_OUTSTANDING) {
      codes.removeFirst();
    }
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    codes.addLast(new Code(text.getBytes(StandardCharsets.US_ASCII), now + lifetime.toNanos()));
    return text;
  }

  /** True, once, for an issued code younger than its lifetime; it is gone afterwards. */
  synchronized boolean redeem(String code) {
    dropExpired(ticker.getAsLong());
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    for (Iterator<Code> it = codes.iterator(); it.hasNext(); ) {
      if (MessageDigest.isEqual(it.next().text(), presented)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  private void dropExpired(long now) { // lifetimes differ: an expired code may follow a live one
    codes.removeIf(c -> now - c.expiresNanos() >= 0);
  }
}
