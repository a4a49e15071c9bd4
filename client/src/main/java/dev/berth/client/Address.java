package dev.berth.client;

import dev.berth.local.UnixSocketPaths;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an endpoint listens: a loopback TCP host and port ({@code 127.0.0.1:61001},
 * {@code [::1]:61001}) or a Unix domain socket path ({@code unix:/run/user/1000/berth/orders.sock}).
 * Berth hands out nothing else: every address it gives is one a process on this machine
 * really listens on.
 *
 * <pre>{@code
 * Address orders = berth.resolve("orders");
 * URI uri = URI.create("http://" + orders + "/");   // http://127.0.0.1:61001/
 * int port = orders.port();                         // 61001; IllegalStateException for a Unix socket
 * }</pre>
 *
 * <p>{@link #toString} is the text form {@link #parse} reads and {@code berth resolve} prints:
 * {@code host:port} with an IPv6 host in brackets, or {@code unix:} and an absolute path.
 * Immutable and thread-safe; equal when kind, host and port (or path) are.
 */
public final class Address {
  /**
   * The longest Unix socket path Linux accepts ({@code sun_path} is 108 bytes with its NUL);
   * the registry refuses a longer one by the same rule.
   */
  public static final int MAX_UNIX_PATH_BYTES = UnixSocketPaths.MAX_BYTES;

  private static final String UNIX_PREFIX = "unix:";

  private final String host; // null for a Unix socket
  private final int port;
  private final Path path; // null for TCP

  private Address(String host, int port, Path path) {
    this.host = host;
    this.port = port;
    this.path = path;
  }

  /**
   * A loopback TCP address. {@code host} is {@code 127.0.0.1}, {@code ::1} (with or without
   * brackets), or another IPv4 loopback literal ({@code 127.x.y.z}).
   *
   * @throws IllegalArgumentException host is not a loopback IP literal, or port is not 1..65535
   */
  public static Address tcp(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    return new Address(loopbackLiteral(host), port, null);
  }

  /** {@code 127.0.0.1:port}. */
  public static Address loopback(int port) {
    return tcp("127.0.0.1", port);
  }

  /**
   * A Unix domain socket.
   *
   * @throws IllegalArgumentException the path is not absolute, or longer than
   *     {@value #MAX_UNIX_PATH_BYTES} bytes
   */
  public static Address unix(Path path) {
    Objects.requireNonNull(path, "path");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("unix socket path: '" + path + "' (expected: an absolute path)");
    }
    Path normal = path.normalize();
    int bytes = normal.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_UNIX_PATH_BYTES) {
      throw new IllegalArgumentException("unix socket path: '" + path + "' is " + bytes
          + " bytes (expected: at most " + MAX_UNIX_PATH_BYTES + ")");
    }
    return new Address(null, 0, normal);
  }

  /**
   * Reads the text form: {@code 127.0.0.1:61001}, {@code [::1]:61001} or {@code unix:/abs/path}.
   *
   * @throws IllegalArgumentException naming the text and the forms expected
   */
  public static Address parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.startsWith(UNIX_PREFIX)) {
      return unix(Path.of(text.substring(UNIX_PREFIX.length())));
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw badText(text, null);
    }
    String host = text.substring(0, colon);
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    if (host.contains(":") && !bracketed) {
      throw badText(text, null); // "::1:80" is ambiguous; IPv6 needs brackets
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw badText(text, null);
    }
    try {
      return tcp(host, port);
    } catch (IllegalArgumentException e) {
      throw badText(text, e.getMessage());
    }
  }

  /** True for a TCP host and port. */
  public boolean isTcp() {
    return path == null;
  }

  /** True for a Unix domain socket path. */
  public boolean isUnix() {
    return path != null;
  }

  /** The IP literal, {@code 127.0.0.1} or {@code ::1} (no brackets). */
  public String host() {
    requireTcp("host()");
    return host;
  }

  /** The TCP port. */
  public int port() {
    requireTcp("port()");
    return port;
  }

  /** The socket file of a Unix domain socket address. */
  public Path path() {
    if (path == null) {
      throw new IllegalStateException("path() of " + this + " (expected: a unix: address)");
    }
    return path;
  }

  /** An {@link InetSocketAddress} (resolved, no DNS) or a {@link UnixDomainSocketAddress}. */
  public SocketAddress socketAddress() {
    return path != null ? UnixDomainSocketAddress.of(path) : inetSocketAddress();
  }

  /** The TCP address as an {@link InetSocketAddress}, resolved without DNS. */
  public InetSocketAddress inetSocketAddress() {
    requireTcp("inetSocketAddress()");
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("checked literal " + host, e);
    }
  }

  /** {@code 127.0.0.1:61001}, {@code [::1]:61001} or {@code unix:/path}: what {@link #parse} reads. */
  @Override
  public String toString() {
    if (path != null) {
      return UNIX_PREFIX + path;
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && port == a.port && Objects.equals(host, a.host)
        && Objects.equals(path, a.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, path);
  }

  private void requireTcp(String what) {
    if (path != null) {
      throw new IllegalStateException(what + " of " + this + " (expected: a TCP address; use path())");
    }
  }

  private static String loopbackLiteral(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1")) {
      return "::1";
    }
    if (isIpv4Loopback(bare)) {
      return bare;
    }
    throw new IllegalArgumentException(
        "host: '" + host + "' (expected: a loopback IP literal, 127.0.0.1 or ::1)");
  }

  private static boolean isIpv4Loopback(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException badText(String text, String why) {
    if (why != null) {
      return new IllegalArgumentException("address: '" + text + "': " + why);
    }
    return new IllegalArgumentException("address: '" + text
        + "' (expected: 127.0.0.1:PORT, [::1]:PORT or unix:/absolute/path)");
  }
}
