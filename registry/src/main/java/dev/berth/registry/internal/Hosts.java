package dev.berth.registry.internal;

/**
 * The two hosts an instance's endpoint can be called on, and how the registry writes them in
 * {@code host:port} text (its HTTP service discovery). Other Berth processes read an
 * endpoint as a {@code dev.berth.client.Address}, whose text form this matches. Stateless.
 */
final class Hosts {

  /** IPv4 loopback: where an instance listens unless it listens on ::1 only. */
  static final String V4 = "127.0.0.1";
  /** IPv6 loopback, for an instance that listens on ::1 only. */
  static final String V6 = "::1";

  private Hosts() {}

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080}; an empty host is 127.0.0.1 (older registries). */
  static String hostPort(String host, int port) {
    String h = host.isEmpty() ? V4 : host;
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }
}
