package dev.berth.registry.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where Berth learns which sockets listen and which process holds them: the one seam between
 * Berth and the operating system's socket table. On Linux it reads {@code /proc}
 * ({@link #system()}); where that cannot be read (macOS, a locked-down container)
 * {@link #unavailable()} answers "cannot tell", and callers say so in one line instead of
 * guessing. Tests use {@link #unavailable()} to run that path on Linux. Implementations are
 * thread-safe.
 *
 * <p>Public, with {@link PortHolders}, because the cli shares it ({@code berth run}'s
 * readiness, {@code berth who} without a registry, and their tests' {@link #unavailable()}).
 * Not an API.
 */
public interface ProcessSockets {

  /**
   * A TCP socket in LISTEN state: where it listens, the uid that owns it, its inode. From
   * {@link #connectedSockets} the same record is an ESTABLISHED socket: {@code address} and
   * {@code port} are its local end.
   */
  record Listener(InetAddress address, int port, int uid, long inode) {

    /** True when a connect to 127.0.0.1 reaches it: a v4 loopback or wildcard, or a dual-stack {@code [::]}. */
    public boolean reachesIpv4Loopback() {
      if (address instanceof Inet4Address) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress();
      }
      // [::] is dual-stack unless the program set IPV6_V6ONLY, which /proc does not show
      return address.isAnyLocalAddress() || isMappedV4(address);
    }

    /**
     * True when it listens on 127.0.0.1 itself, or on a wildcard ({@code 0.0.0.0}, or
     * {@code [::]} taken as dual-stack as {@link #reachesIpv4Loopback} does): then a bind of
     * 127.0.0.1 on its port fails, as the registry's bind probe would find. Other 127.x
     * addresses are loopback too, but a connect to 127.0.0.1 does not reach them.
     */
    public boolean holdsIpv4Loopback() {
      if (address.isAnyLocalAddress()) {
        return true;
      }
      // ::ffff:127.0.0.1 is decoded as the Inet4Address 127.0.0.1
      byte[] b = address.getAddress();
      return b.length == 4 && b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
    }

    /** True when a connect to [::1] reaches it. */
    public boolean reachesIpv6Loopback() {
      return address instanceof Inet6Address
          && (address.isLoopbackAddress() || address.isAnyLocalAddress());
    }

    private static boolean isMappedV4(InetAddress a) {
      byte[] b = a.getAddress();
      // ::ffff:127.x.y.z as Linux shows a v4-mapped bind
      return b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
    }
  }

  /** The {@code /proc} of this machine. */
  static ProcessSockets system() {
    return new ProcSockets(Path.of("/proc"));
  }

  /** A source that can tell nothing: a system without {@code /proc}. */
  static ProcessSockets unavailable() {
    return new ProcessSockets() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public List<Listener> listeners(int port) {
        return List.of();
      }

      @Override
      public Set<Long> socketInodes(long pid) {
        return Set.of();
      }

      @Override
      public OptionalLong ownerOf(long inode) {
        return OptionalLong.empty();
      }

      @Override
      public String commandLine(long pid) {
        return "";
      }
    };
  }

  /** Whether the other methods can answer at all; when false they answer empty. */
  boolean available();

  /**
   * The LISTEN sockets on {@code port}, IPv4 and IPv6; empty when none (or unavailable). Both
   * tables are read: a Java server on 127.0.0.1 is an IPv6 socket, listed in the IPv6 table as
   * {@code ::ffff:127.0.0.1}. Each read walks the kernel's whole TCP hash, however few sockets
   * there are (milliseconds on a machine with much memory).
   */
  List<Listener> listeners(int port);

  /**
   * Like {@link #listeners(int)}, but may answer from tables read a moment ago (100 ms at
   * most): for many checks in a burst (every instance re-attaching after a registry restart).
   * A listener found this way may have closed since, and one bound since is missing; a caller
   * that finds no listener of its own this way asks {@link #listeners(int)}.
   */
  default List<Listener> recentListeners(int port) {
    return listeners(port);
  }

  /**
   * A LISTEN socket on {@code port} that {@code wanted} accepts, found by reading no more of
   * the tables than it takes: for the common check ("the registering process listens here")
   * without the cost of {@link #listeners(int)}. A listener found is one the kernel listed; an
   * empty answer is not proof that there is none (callers ask {@link #listeners(int)} then).
   */
  default Optional<Listener> firstListener(int port, Predicate<Listener> wanted) {
    return listeners(port).stream().filter(wanted).findFirst();
  }

  /** The inodes of the sockets {@code pid} has open; empty when unreadable (another user's, gone). */
  Set<Long> socketInodes(long pid);

  /** Whether {@code pid} has socket {@code inode} open; false when unreadable. */
  default boolean holds(long pid, long inode) {
    return socketInodes(pid).contains(inode);
  }

  /** The process holding socket {@code inode}: a scan of every process; empty when not found. */
  OptionalLong ownerOf(long inode);

  /** The command line of {@code pid}, arguments joined by spaces, control characters escaped; empty when unreadable. */
  String commandLine(long pid);

  /**
   * Every LISTEN socket of both tables, IPv4 first, read now: for {@code berth doctor}, which
   * looks at the whole machine. Empty when unavailable.
   */
  default List<Listener> allListeners() {
    return List.of();
  }

  /**
   * The process holding each of {@code inodes}, found in one scan of every process's
   * descriptors (for many listeners at once, where {@link #ownerOf} would scan once per
   * socket). An inode whose holder cannot be read (another user's process, gone) is missing.
   */
  default Map<Long, Long> ownersOf(Set<Long> inodes) {
    Map<Long, Long> owners = new HashMap<>();
    for (long inode : inodes) {
      ownerOf(inode).ifPresent(pid -> owners.put(inode, pid));
    }
    return owners;
  }

  /**
   * The ESTABLISHED sockets (state 01) of both tables whose LOCAL port is {@code localPort},
   * read now: an accepted debugger connection on a JDWP agent's port, which is all the agent
   * holds there while a debugger is attached (it closes its listening socket then). Empty when
   * none, or unavailable.
   */
  default List<Listener> connectedSockets(int localPort) {
    return List.of();
  }

  /**
   * The environment of {@code pid} ({@code /proc/PID/environ}, as it was when the process
   * started); empty when unreadable (another user's, gone). For recognising a debugger agent
   * started through {@code JAVA_TOOL_OPTIONS} or {@code NODE_OPTIONS}, which the command line
   * does not show.
   */
  default Map<String, String> environment(long pid) {
    return Map.of();
  }
}
