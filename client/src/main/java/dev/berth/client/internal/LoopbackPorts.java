package dev.berth.client.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Whether something listens on a loopback port, found by binding it on 127.0.0.1 and ::1 as the
 * registry's probe does (a program listening on ::1 only holds the port too). Thread-safe
 * (stateless).
 */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /** True when a bind of {@code port} on 127.0.0.1 or ::1 is refused. */
  static boolean isHeld(int port) {
    return refused(InetAddress.getLoopbackAddress(), port) || refused(ipv6Loopback(), port);
  }

  private static boolean refused(InetAddress address, int port) {
    if (address == null) {
      return false;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as servers bind: TIME_WAIT leftovers do not hold a port
      socket.bind(new InetSocketAddress(address, port), 1);
      return false;
    } catch (BindException e) {
      return true;
    } catch (IOException e) {
      return false; // no such address here (IPv6 off): nothing can listen on it
    }
  }

  private static InetAddress ipv6Loopback() {
    try {
      return Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
