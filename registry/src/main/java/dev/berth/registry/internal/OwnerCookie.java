package dev.berth.registry.internal;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's owner cookie ({@code docs/dashboard.md}, "The owner"): {@code
 * berth-dashboard-PORT}, valued base64url(HMAC-SHA256(token, "berth dashboard owner v1")).
 *
 * <p>Derived, not stored: it survives a registry restart (same token, same remembered port) and
 * dies when the token is replaced, and the token itself never reaches the browser. The port is
 * in the name because browsers keep cookies per host, not per port: two registries of two state
 * dirs on one machine must not overwrite each other's. Thread-safe (immutable).
 */
final class OwnerCookie {

  static final String LABEL = "berth dashboard owner v1";

  private final String name;
  private final byte[] value;

  OwnerCookie(String token, int port) {
    this.name = "berth-dashboard-" + port;
    this.value = derive(token).getBytes(StandardCharsets.US_ASCII);
  }

  /** base64url, unpadded, of HMAC-SHA256 keyed with {@code token} over {@link #LABEL}. */
  static String derive(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(LABEL.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e); // every JDK has it
    }
  }

  String name() {
    return name;
  }

  /** The {@code Set-Cookie} value: a session cookie only this origin's /dashboard paths see. */
  String setCookie() {
    return name + "=" + new String(value, StandardCharsets.US_ASCII)
        + "; Path=/dashboard; HttpOnly; SameSite=Strict";
  }

  /** True when a {@code Cookie} header of {@code request} carries this cookie, compared in constant time. */
  boolean presentIn(Headers request) {
    List<String> headers = request.get("Cookie");
    if (headers == null) {
      return false;
    }
    boolean found = false;
    for (String header : headers) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
          // constant time: the comparison must not tell a guesser how many leading bytes matched
          found |= MessageDigest.isEqual(value,
              pair.substring(eq + 1).strip().getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    return found;
  }
}
