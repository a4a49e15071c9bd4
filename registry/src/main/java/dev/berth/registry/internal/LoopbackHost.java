package dev.berth.registry.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an HTTP {@code Host} header names this machine's loopback: {@code localhost} or a
 * name under {@code .localhost} (RFC 6761 reserves them for loopback), an IPv4 address of
 * 127.0.0.0/8, or {@code [::1]}, each with or without a port. Stateless.
 *
 * <p>This is the dashboard's guard against DNS rebinding: a page on {@code evil.example} that
 * points its name (or {@code 127.0.0.1.nip.io}) at 127.0.0.1 reaches the registry's socket, but
 * its browser sends that name as {@code Host}. Nothing here asks DNS: a name is judged by its
 * text alone, an address only in its literal form.
 */
final class LoopbackHost {

  // host (a name, a dotted quad, or a bracketed IPv6 literal) and an optional port
  private static final Pattern HOST = Pattern.compile(
      "(\\[[0-9A-Fa-f:.]+\\]|[0-9A-Za-z.-]+)(?::([0-9]{1,5}))?");
  private static final Pattern QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private LoopbackHost() {}

  /** True when {@code host}, a {@code Host} header's value, names loopback (null: false). */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    Matcher m = HOST.matcher(host);
    if (!m.matches() || (m.group(2) != null && Integer.parseInt(m.group(2)) > 65535)) {
      return false;
    }
    String name = m.group(1);
    if (name.startsWith("[")) {
      return isLoopbackV6(name);
    }
    Matcher quad = QUAD.matcher(name);
    if (quad.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(quad.group(i)) > 255) {
          return false;
        }
      }
      return quad.group(1).equals("127");
    }
    return isLocalhostName(name.toLowerCase(Locale.ROOT));
  }

  private static boolean isLoopbackV6(String bracketed) {
    if (bracketed.indexOf(':') < 0) {
      return false; // "[7f00.1]" is no IPv6 literal
    }
    try {
      // in brackets, InetAddress parses an IPv6 literal or throws: it never asks DNS
      return InetAddress.getByName(bracketed).isLoopbackAddress();
    } catch (UnknownHostException notALiteral) {
      return false;
    }
  }

  private static boolean isLocalhostName(String name) {
    String[] labels = name.endsWith(".") ? name.substring(0, name.length() - 1).split("\\.", -1)
        : name.split("\\.", -1);
    if (!labels[labels.length - 1].equals("localhost")) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
