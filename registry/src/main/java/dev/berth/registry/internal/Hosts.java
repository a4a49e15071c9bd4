package dev.berth.registry.internal;

/**
 * The two hosts an instance's endpoint can be called on, and how they are written in
 * {@code host:port} text. Public because the cli shares it until the shared module of
 * issue 10 exists.
 */
public final class Hosts {

  /** IPv4 loopback: where an instance listens unless it listens on ::1 only. */
  public static final String V4 = "127.0.0.1";
  /** IPv6 loopback, for an instance that listens on ::1 only. */
  public static final String V6 = "::1";

  private Hosts() {}

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080}; an empty host is 127.0.0.1 (older registries). */
  public static String hostPort(String host, int port) {
    String h = host.isEmpty() ? V4 : host;
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }
}
