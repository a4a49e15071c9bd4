package dev.berth.registry.internal;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Who listens on a TCP port, from a {@link ProcessSockets} ({@code /proc} on Linux): the
 * holder of a port, and whether a process or one of its descendants owns its listening
 * sockets. Thread-safe (stateless).
 *
 * <p>What cannot be read (another user's process, a system without {@code /proc}) gives
 * pid 0 and an empty command line, never an error; {@link #ownership} says
 * {@link Ownership.Kind#UNKNOWN} when it cannot tell at all.
 *
 * <p>Public because the cli shares it: {@code berth run}'s readiness and {@code berth who}
 * without a registry ask the registry's questions of the same socket table. It stays here
 * rather than in berth-local, whose rules every Berth process must agree on, because only
 * these two read {@code /proc}. Not an API.
 */
public final class PortHolders {

  /** The v4 wildcard as {@code Endpoint.listen_address} writes it. */
  public static final String WILDCARD_V4 = "0.0.0.0";
  /** The v6 wildcard as {@code Endpoint.listen_address} writes it. */
  public static final String WILDCARD_V6 = "::";

  private final ProcessSockets sockets;

  public PortHolders(ProcessSockets sockets) {
    this.sockets = sockets;
  }

  /** A fake or foreign {@code /proc} tree rooted at {@code proc} (tests). */
  PortHolders(Path proc) {
    this(new ProcSockets(proc));
  }

  /** This machine's {@code /proc}. */
  public static PortHolders system() {
    return new PortHolders(ProcessSockets.system());
  }

  /** A process holding a port; {@code pid} 0 when the socket was found but not its owner. */
  public record Holder(long pid, String commandLine) {
    /** For messages: {@code pid 4242 (java -jar orders.jar)}. */
    public String describe() {
      if (pid == 0) {
        return "a process that cannot be identified (another user's?)";
      }
      return commandLine.isEmpty() ? "pid " + pid : "pid " + pid + " (" + commandLine + ")";
    }
  }

  /**
   * Who owns the listening sockets of a port, seen from one process tree: {@code ours} are
   * LISTEN sockets that the process or a descendant holds (when one of the process's own
   * reaches 127.0.0.1, that one only: the host is settled), {@code other} a holder outside it
   * (present only when {@code ours} is empty). From {@link #agentOwnership}, {@code ours} may
   * be the accepted connections of a debugger agent that does not listen while one is attached.
   */
  public record Ownership(Kind kind, List<ProcessSockets.Listener> ours, Optional<Holder> other) {

    /** What the socket table said. */
    public enum Kind {
      /** No socket table here (no {@code /proc}): cannot tell. */
      UNKNOWN,
      /** Nothing listens on the port. */
      NONE,
      /** The process or a descendant listens on it ({@code ours}). */
      OWNED,
      /** Someone else listens on it, and the process tree does not ({@code other}). */
      FOREIGN
    }

    /**
     * The host to call {@code ours} on: "127.0.0.1" when a v4 loopback or wildcard (or a
     * dual-stack {@code [::]}) socket is among them, "::1" when they listen on ::1 only.
     */
    public String host() {
      for (ProcessSockets.Listener l : ours) {
        if (l.reachesIpv4Loopback()) {
          return Hosts.V4;
        }
      }
      for (ProcessSockets.Listener l : ours) {
        if (l.reachesIpv6Loopback()) {
          return Hosts.V6;
        }
      }
      return Hosts.V4; // a non-loopback address only: loopback callers will not reach it anyway
    }

    /**
     * The address {@code ours} listen on, as {@code Endpoint.listen_address} says it: a
     * wildcard among them if any ("0.0.0.0", or "::"), else {@link #host()}; "" when the socket
     * table cannot tell (not {@link Kind#OWNED}).
     */
    public String listenAddress() {
      return kind == Kind.OWNED ? PortHolders.listenAddress(ours, host()) : "";
    }
  }

  /**
   * "0.0.0.0" or "::" for the first wildcard among {@code listeners} (a v4-mapped
   * {@code ::ffff:0.0.0.0} is read as v4), else {@code host}: the socket on the loopback address
   * it is called at.
   */
  public static String listenAddress(List<ProcessSockets.Listener> listeners, String host) {
    for (ProcessSockets.Listener l : listeners) {
      if (l.address().isAnyLocalAddress()) {
        return l.address() instanceof Inet4Address ? WILDCARD_V4 : WILDCARD_V6;
      }
    }
    return host;
  }

  /** Whether the socket table can be read at all, i.e. whether {@link #find} can answer. */
  public boolean available() {
    return sockets.available();
  }

  /** The holder of a listening socket on {@code port}, or empty when nothing listens on it. */
  public Optional<Holder> find(int port) {
    List<ProcessSockets.Listener> listeners = sockets.listeners(port);
    if (listeners.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(holderOf(listeners));
  }

  /** The command line of {@code pid}, arguments joined by spaces; empty when unreadable. */
  public String commandLine(long pid) {
    return sockets.commandLine(pid);
  }

  /**
   * Whether {@code pid} or one of its descendants listens on {@code port}, and if not, who
   * does. Looks for pid's own listener first, reading the socket tables only as far as it
   * takes (the registry's {@code ready} check: a whole read walks the kernel's whole TCP hash,
   * milliseconds); reads the tree's open sockets next, and scans every process only to name
   * a foreign holder.
   */
  public Ownership ownership(int port, long pid) {
    if (!sockets.available()) {
      return new Ownership(Ownership.Kind.UNKNOWN, List.of(), Optional.empty());
    }
    // the usual answer first, and cheaply: pid itself listens where 127.0.0.1 reaches. Any
    // other answer (a descendant's socket, ::1 only, a squatter, nothing) is worked out from
    // whole tables below, so no refusal and no host rests on a partial read
    Optional<ProcessSockets.Listener> own = ownIpv4Listener(port, pid);
    if (own.isPresent()) {
      return new Ownership(Ownership.Kind.OWNED, List.of(own.get()), Optional.empty());
    }
    // a burst of checks (every instance re-attaching at once) shares one read of the tables;
    // only "it is yours" is believed from a kept read, anything else is read again
    List<ProcessSockets.Listener> recent = ours(sockets.recentListeners(port), pid);
    if (!recent.isEmpty()) {
      return new Ownership(Ownership.Kind.OWNED, recent, Optional.empty());
    }
    List<ProcessSockets.Listener> listeners = sockets.listeners(port);
    if (listeners.isEmpty()) {
      return new Ownership(Ownership.Kind.NONE, List.of(), Optional.empty());
    }
    List<ProcessSockets.Listener> ours = ours(listeners, pid);
    if (!ours.isEmpty()) {
      return new Ownership(Ownership.Kind.OWNED, ours, Optional.empty());
    }
    return new Ownership(Ownership.Kind.FOREIGN, List.of(), Optional.of(holderOf(listeners)));
  }

  /**
   * {@link #ownership}, for a debugger agent's port (the {@code debug} endpoint): where no
   * process listens on {@code port}, an ESTABLISHED socket whose local port it is, held by
   * {@code pid} or a descendant, counts as owning it ({@link Ownership.Kind#OWNED}, {@code ours}
   * those connections, the host and address their local end). A JDWP agent closes its listening
   * socket while it serves a debugger and holds only the accepted connection, so without this a
   * debugged program would look as if its agent were gone. A foreign listener on the port is
   * still {@link Ownership.Kind#FOREIGN}. Looks at established sockets only when no listener is
   * found: one more whole read of both tables.
   */
  public Ownership agentOwnership(int port, long pid) {
    Ownership o = ownership(port, pid);
    if (o.kind() != Ownership.Kind.NONE) {
      return o;
    }
    List<ProcessSockets.Listener> connected = ours(sockets.connectedSockets(port), pid);
    if (connected.isEmpty()) {
      return o;
    }
    // the debugger may have detached and another process bound the port in between: the
    // connection counts only while nobody else listens
    if (!sockets.listeners(port).isEmpty()) {
      return ownership(port, pid);
    }
    return new Ownership(Ownership.Kind.OWNED, connected, Optional.empty());
  }

  /**
   * A LISTEN socket of {@code pid} itself on {@code port} at 127.0.0.1 or a wildcard, found
   * reading the tables only as far as it takes ({@link ProcessSockets#firstListener}); empty
   * does not mean there is none. Found, it settles what a bind probe of 127.0.0.1 would say
   * (the port is held there) and whose the socket is.
   */
  public Optional<ProcessSockets.Listener> ownIpv4Listener(int port, long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return sockets.firstListener(port, l -> l.holdsIpv4Loopback() && sockets.holds(pid, l.inode()));
  }

  /** Those of {@code listeners} that {@code pid} or a descendant holds open. */
  private List<ProcessSockets.Listener> ours(List<ProcessSockets.Listener> listeners, long pid) {
    if (listeners.isEmpty()) {
      return List.of();
    }
    Set<Long> inodes = new HashSet<>(sockets.socketInodes(pid));
    List<ProcessSockets.Listener> ours = owned(listeners, inodes);
    if (ours.isEmpty()) {
      // the listening socket may be a descendant's (a shell that forked its server)
      for (long child : descendants(pid)) {
        inodes.addAll(sockets.socketInodes(child));
      }
      ours = owned(listeners, inodes);
    }
    return List.copyOf(ours);
  }

  private Holder holderOf(List<ProcessSockets.Listener> listeners) {
    for (ProcessSockets.Listener l : listeners) {
      OptionalLong owner = sockets.ownerOf(l.inode());
      if (owner.isPresent()) {
        return new Holder(owner.getAsLong(), sockets.commandLine(owner.getAsLong()));
      }
    }
    return new Holder(0, "");
  }

  private static List<ProcessSockets.Listener> owned(List<ProcessSockets.Listener> listeners,
      Set<Long> inodes) {
    List<ProcessSockets.Listener> ours = new ArrayList<>();
    for (ProcessSockets.Listener l : listeners) {
      if (inodes.contains(l.inode())) {
        ours.add(l);
      }
    }
    return ours;
  }

  private static List<Long> descendants(long pid) {
    return ProcessHandle.of(pid)
        .map(p -> p.descendants().map(ProcessHandle::pid).toList())
        .orElse(List.of());
  }
}
