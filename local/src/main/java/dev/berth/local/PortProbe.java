package dev.berth.local;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a port can be bound on the loopback addresses, by binding and closing: the one
 * probe the registry (before it hands a port out, and to check a {@code ready}) and the client
 * (is a port it was given still held?) share. Thread-safe.
 *
 * <p>Both 127.0.0.1 and ::1 (when the machine has it) are tried: a server bound to
 * {@code [::1]:P} or {@code [::]:P} would make a service's later bind fail just as surely.
 */
public final class PortProbe {

  private static final InetAddress V4 = InetAddress.getLoopbackAddress();

  private final List<InetAddress> addresses;
  private final boolean reuseAddress;

  public PortProbe() {
    InetAddress v6 = ipv6Loopback();
    this.addresses = v6 == null ? List.of(V4) : List.of(V4, v6);
    // SO_REUSEADDR mirrors how the service will bind. The JDK (and so Netty and every Java
    // server) binds with it on Linux, and Linux still refuses any bind over a listening socket
    // with it on; with it off, a port that only has TIME_WAIT connections left (a service
    // that served clients and was just restarted) would look taken for a minute and the
    // service would lose its berth. Elsewhere (BSD, macOS) SO_REUSEADDR lets a bind to
    // 127.0.0.1 succeed next to a wildcard listener, so the probe keeps it off there.
    this.reuseAddress = System.getProperty("os.name", "").toLowerCase().contains("linux");
  }

  /** Empty when the port is free on every loopback address, else what the bind said. */
  public Optional<String> check(int port) {
    for (InetAddress address : addresses) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(reuseAddress);
        socket.bind(new InetSocketAddress(address, port), 1);
      } catch (IOException e) {
        return Optional.of(String.valueOf(e.getMessage()));
      }
    }
    return Optional.empty();
  }

  /**
   * Which loopback addresses a bind of {@code port} fails on: what listens there, as far as
   * binding can tell ({@code v6} is false where the machine has no ::1).
   */
  public record Held(boolean v4, boolean v6) {
    /** True when something listens on either address. */
    public boolean any() {
      return v4 || v6;
    }
  }

  /** Binds {@code port} on 127.0.0.1 and on ::1 (where it exists) and says which failed. */
  public Held held(int port) {
    boolean v4 = !canBind(addresses.get(0), port);
    boolean v6 = addresses.size() > 1 && !canBind(addresses.get(1), port);
    return new Held(v4, v6);
  }

  private boolean canBind(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(reuseAddress);
      socket.bind(new InetSocketAddress(address, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when {@code port} can be bound on every loopback address. */
  public boolean isFree(int port) {
    return check(port).isEmpty();
  }

  private static InetAddress ipv6Loopback() {
    try {
      InetAddress v6 = Inet6Address.getByName("::1");
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(v6, 0), 1);
      }
      return v6;
    } catch (IOException e) {
      return null; // no IPv6 loopback here (disabled, or a container without it)
    }
  }
}
