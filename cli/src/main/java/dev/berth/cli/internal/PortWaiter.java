package dev.berth.cli.internal;

import dev.berth.client.Address;
import dev.berth.registry.internal.PortHolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits until a child process (or one of its descendants) listens on its assigned port. Where
 * the socket table can be read ({@code /proc}), "listens" means the child's process tree owns a
 * LISTEN socket on the port, so a squatter answering on it is not mistaken for the child; where
 * it cannot, the first answer to a connect on 127.0.0.1 or [::1] is taken, and that is said once.
 * Runs on the caller's thread; polls, bounded by the timeout.
 */
public final class PortWaiter {

  public enum Kind { LISTENING, EXITED, TIMED_OUT, TAKEN }

  /**
   * How the wait ended: {@code address} where the child listens (LISTENING; null otherwise),
   * {@code holder} who took the port while the child did not hold it (TAKEN).
   */
  public record Result(Kind kind, Address address, Optional<PortHolders.Holder> holder) {
    static Result of(Kind kind) {
      return new Result(kind, null, Optional.empty());
    }

    static Result listening(Address address) {
      return new Result(Kind.LISTENING, address, Optional.empty());
    }
  }

  private static final int CONNECT_TIMEOUT_MILLIS = 200;
  private static final long POLL_MILLIS = 25;
  // each look in /proc reads net/tcp and net/tcp6, a walk of the kernel's whole TCP hash
  // (milliseconds): after the first second a slow starter is looked at 5 times a second, not 40
  private static final long SLOW_POLL_MILLIS = 200;
  private static final long FAST_POLL_NANOS = Duration.ofSeconds(1).toNanos();
  // a foreign holder this long while the child still does not listen: the child is not going
  // to get the port (most servers exit on "Address already in use"; this covers those that don't)
  private static final long TAKEN_AFTER_NANOS = Duration.ofSeconds(2).toNanos();

  private static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

  private PortWaiter() {}

  private static InetAddress ipv6Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }

  /**
   * Polls while {@code child} lives, up to {@code timeout}.
   *
   * @param err where the one line goes when {@code holders} cannot see owners (no /proc)
   */
  public static Result await(Process child, int port, Duration timeout, PortHolders holders, PrintWriter err)
      throws InterruptedException {
    if (!holders.available()) {
      err.println("berth: cannot see which process listens on port " + port + " here (no /proc); "
          + "taking the first answer on 127.0.0.1 or [::1] as the child's");
      err.flush();
      return awaitConnect(child, port, timeout);
    }
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long foreignSince = 0;
    Optional<PortHolders.Holder> foreign = Optional.empty();
    while (true) {
      boolean alive = child.isAlive();
      PortHolders.Ownership o = holders.ownership(port, child.pid());
      switch (o.kind()) {
        case OWNED:
          return Result.listening(Address.tcp(o.host(), port));
        case FOREIGN:
          if (foreign.isEmpty()) {
            foreignSince = System.nanoTime();
          }
          foreign = o.other();
          break;
        default:
          foreign = Optional.empty();
          break;
      }
      if (!alive) {
        // exited while someone else held its port: most likely "Address already in use"
        return foreign.isPresent() ? new Result(Kind.TAKEN, null, foreign) : Result.of(Kind.EXITED);
      }
      if (foreign.isPresent() && System.nanoTime() - foreignSince > TAKEN_AFTER_NANOS) {
        return new Result(Kind.TAKEN, null, foreign);
      }
      if (System.nanoTime() > deadline) {
        return Result.of(Kind.TIMED_OUT);
      }
      boolean fast = foreign.isPresent() || System.nanoTime() - started < FAST_POLL_NANOS;
      Thread.sleep(fast ? POLL_MILLIS : SLOW_POLL_MILLIS);
    }
  }

  private static Result awaitConnect(Process child, int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    // Node's listen(PORT, "localhost") binds ::1 only on a machine that prefers IPv6
    InetSocketAddress v6 = new InetSocketAddress(IPV6_LOOPBACK, port);
    while (true) {
      if (!child.isAlive()) {
        return Result.of(Kind.EXITED);
      }
      if (accepts(v4)) {
        return Result.listening(Address.loopback(port));
      }
      if (accepts(v6)) {
        return Result.listening(Address.tcp("::1", port));
      }
      if (System.nanoTime() > deadline) {
        return Result.of(Kind.TIMED_OUT);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  public static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
