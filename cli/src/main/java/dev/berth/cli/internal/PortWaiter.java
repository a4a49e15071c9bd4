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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until a child process (or one of its descendants) listens on its assigned port. Where
 * the socket table can be read ({@code /proc}), "listens" means the child's process tree owns a
 * LISTEN socket on the port, so a squatter answering on it is not mistaken for the child; where
 * it cannot, the first answer to a connect on 127.0.0.1 or [::1] is taken, and that is said once;
 * {@link #awaitAll} never connects to the {@code debug} endpoint ({@link DebugRuntime#ENDPOINT}):
 * a JDWP agent logs "handshake failed" for every connect that is not a debugger's. For that
 * endpoint an accepted debugger connection on the port, held by the child's tree, counts as
 * listening ({@link PortHolders#agentOwnership}): a JDWP agent closes its listening socket while
 * a debugger is attached, and one may attach before the program's own port listens. Runs on the
 * caller's thread; polls, bounded by the timeout.
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

  /**
   * How a wait for several endpoints ended: {@code result} of the last endpoint waited for (the
   * first that did not listen, or the last of all), that {@code endpoint}, and {@code addresses}
   * where each endpoint waited for so far listens, in the order given.
   */
  public record Waited(Result result, String endpoint, Map<String, Address> addresses) {
    /** Where the first endpoint listens (LISTENING), else null. */
    public Address first() {
      return result.kind() == Kind.LISTENING ? addresses.values().iterator().next() : null;
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
    return await(child, port, timeout, holders, err, false);
  }

  /**
   * {@link #await}; with {@code agent}, the port is a debugger agent's, and the child's tree
   * holding an accepted connection on it counts as listening.
   */
  static Result await(Process child, int port, Duration timeout, PortHolders holders,
      PrintWriter err, boolean agent) throws InterruptedException {
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
      PortHolders.Ownership o = agent
          ? holders.agentOwnership(port, child.pid())
          : holders.ownership(port, child.pid());
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

  /**
   * {@link #await} for each of {@code ports} (endpoint to port, at least one) in turn, within one
   * {@code timeout} for all; stops at the first that does not listen. A program that exits before
   * it listens on all of them, while another process holds one it has not listened on, had that
   * one TAKEN (whichever port it bound first). Without {@code /proc}, the
   * {@code debug} endpoint is not connected to: it is taken as the child's once the others
   * answer (its agent binds as the program starts), and that is said on {@code err}.
   */
  public static Waited awaitAll(Process child, Map<String, Integer> ports, Duration timeout,
      PortHolders holders, PrintWriter err) throws InterruptedException {
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("ports: {} (expected: at least one endpoint)");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean trustDebug = !holders.available() && ports.containsKey(DebugRuntime.ENDPOINT);
    Map<String, Address> found = new HashMap<>();
    Result r = null;
    String endpoint = null;
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      if (trustDebug && e.getKey().equals(DebugRuntime.ENDPOINT)) {
        continue;
      }
      endpoint = e.getKey();
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      r = await(child, e.getValue(), left, holders, err, endpoint.equals(DebugRuntime.ENDPOINT));
      if (r.kind() == Kind.EXITED) {
        // the program may have failed on a port further down ("Address already in use")
        Optional<Waited> taken = takenAmong(ports, found, holders, child.pid());
        if (taken.isPresent()) {
          return taken.get();
        }
      }
      if (r.kind() != Kind.LISTENING) {
        return new Waited(r, endpoint, inOrder(ports, found));
      }
      found.put(endpoint, r.address());
    }
    if (trustDebug) {
      int port = ports.get(DebugRuntime.ENDPOINT);
      err.println("berth: cannot see which process listens on port " + port + " (the debugger's) "
          + "here (no /proc), and nothing but a debugger may connect to it; taking it as the "
          + "child's once the others answer");
      err.flush();
      endpoint = DebugRuntime.ENDPOINT;
      // where DebugRuntime.option has the agent listen
      r = child.isAlive() ? Result.listening(Address.loopback(port)) : Result.of(Kind.EXITED);
      if (r.kind() == Kind.LISTENING) {
        found.put(endpoint, r.address());
      }
    }
    return new Waited(r, endpoint, inOrder(ports, found));
  }

  /** The first of {@code ports} not yet listened on that another process holds, as TAKEN. */
  private static Optional<Waited> takenAmong(Map<String, Integer> ports, Map<String, Address> found,
      PortHolders holders, long pid) {
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      if (found.containsKey(e.getKey())) {
        continue;
      }
      PortHolders.Ownership o = holders.ownership(e.getValue(), pid);
      if (o.kind() == PortHolders.Ownership.Kind.FOREIGN) {
        return Optional.of(new Waited(new Result(Kind.TAKEN, null, o.other()), e.getKey(), inOrder(ports, found)));
      }
    }
    return Optional.empty();
  }

  private static Map<String, Address> inOrder(Map<String, Integer> ports, Map<String, Address> found) {
    Map<String, Address> ordered = new LinkedHashMap<>();
    for (String endpoint : ports.keySet()) {
      if (found.containsKey(endpoint)) {
        ordered.put(endpoint, found.get(endpoint));
      }
    }
    return Collections.unmodifiableMap(ordered);
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
