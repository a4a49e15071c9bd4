package dev.berth.client.internal;

/** A "host:port" pair as written in {@code registry.json} and {@code $BERTH_REGISTRY}. */
public record HostPort(String host, int port) {

  /** Parses "host:port" (IPv6 hosts in brackets); {@link IllegalArgumentException} naming it otherwise. */
  public static HostPort parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw bad(value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw bad(value);
    }
    if (port < 1 || port > 65535) {
      throw bad(value);
    }
    return new HostPort(host, port);
  }

  private static IllegalArgumentException bad(String value) {
    return new IllegalArgumentException(
        "registry address: '" + value + "' (expected: host:port, e.g. 127.0.0.1:62893)");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
