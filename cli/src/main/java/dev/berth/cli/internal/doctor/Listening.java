package dev.berth.cli.internal.doctor;

import dev.berth.cli.internal.ListenerKinds;
import dev.berth.cli.internal.ListenerKinds.Kind;
import dev.berth.cli.internal.ListenerKinds.ListenerKind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One TCP socket in LISTEN state as doctor reports it: where it listens, the uid the socket
 * table names, and the process holding it ({@code pid} 0 and an empty command line when it
 * cannot be read: another user's process, one that exited), and what that process recognisably
 * is on THIS port ({@link ListenerKinds#of}: port-accurate, so a JVM whose JDWP agent is on 5005
 * is an agent on 5005 only, not on its application's 8080). Immutable.
 */
record Listening(InetAddress address, int port, int uid, long pid, String commandLine,
    Optional<ListenerKind> kind) {

  /** A listener nothing more is known of than its socket and holder. */
  Listening(InetAddress address, int port, int uid, long pid, String commandLine) {
    this(address, port, uid, pid, commandLine, Optional.empty());
  }

  /**
   * Surely a debugger agent (a JDWP agent, a Node inspector) configured for this port: whoever
   * can connect to it can run code as its user, and debuggers attach to it by address.
   */
  boolean debugAgent() {
    return kind.filter(k -> k.certain() && k.kind() != Kind.BERTH_REGISTRY).isPresent();
  }

  /** Perhaps a debugger agent that chose its own port: this port may be the agent's or the application's. */
  boolean perhapsDebugAgent() {
    return kind.filter(k -> !k.certain() && k.kind() != Kind.BERTH_REGISTRY).isPresent();
  }

  /** A Berth registry's socket, of this state dir or of another (Berth dials it by address). */
  boolean berthRegistry() {
    return kind.filter(k -> k.kind() == Kind.BERTH_REGISTRY).isPresent();
  }

  /** {@code 0.0.0.0} or {@code ::}: reachable from other machines. */
  boolean wildcard() {
    return address.isAnyLocalAddress();
  }

  /** Exactly 127.0.0.1 (a v4-mapped {@code ::ffff:127.0.0.1} is decoded as that too). */
  boolean ipv4Loopback() {
    byte[] b = address.getAddress();
    return b.length == 4 && b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
  }

  /** Exactly ::1. */
  boolean ipv6Loopback() {
    return address instanceof Inet6Address && address.isLoopbackAddress();
  }

  /** {@code 0.0.0.0:8080}, {@code [::1]:8080}. */
  String hostPort() {
    return host() + ":" + port;
  }

  /** {@code 0.0.0.0}, {@code [::]}, {@code [::1]}. */
  String host() {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      host = address.isAnyLocalAddress() ? "::" : address.isLoopbackAddress() ? "::1" : host;
      return "[" + host + "]";
    }
    return host;
  }

  /**
   * {@code pid 4242 (python3 -m http.server)}, or what can be said without a pid. A long
   * command line is cut (the whole one is the finding's {@code command_line}), so that the
   * line stays one a person reads.
   */
  String holder() {
    if (pid == 0) {
      return "a process that cannot be identified (uid " + uid + ")";
    }
    if (commandLine.isEmpty()) {
      return "pid " + pid;
    }
    String shown = commandLine.length() <= MAX_SHOWN ? commandLine : commandLine.substring(0, MAX_SHOWN - 3) + "...";
    return "pid " + pid + " (" + shown + ")";
  }

  private static final int MAX_SHOWN = 100;
}
