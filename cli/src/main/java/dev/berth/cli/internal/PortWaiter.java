package dev.berth.cli.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Waits until a child process accepts TCP connections on a loopback port. */
final class PortWaiter {

  enum Result { LISTENING, EXITED, TIMED_OUT }

  private static final int CONNECT_TIMEOUT_MILLIS = 200;
  private static final long POLL_MILLIS = 25;

  private static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

  private PortWaiter() {}

  private static InetAddress ipv6Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }

  /** Polls 127.0.0.1:port and [::1]:port while {@code child} lives, up to {@code timeout}. */
  static Result await(Process child, int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    // Node's listen(PORT, "localhost") binds ::1 only on a machine that prefers IPv6
    InetSocketAddress v6 = new InetSocketAddress(IPV6_LOOPBACK, port);
    while (true) {
      if (!child.isAlive()) {
        return Result.EXITED;
      }
      if (accepts(v4) || accepts(v6)) {
        return Result.LISTENING;
      }
      if (System.nanoTime() > deadline) {
        return Result.TIMED_OUT;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
