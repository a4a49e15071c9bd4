package dev.berth.registry.internal;

import dev.berth.local.PortProbe;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;

/**
 * Checks that an instance really listens on a port before the registry believes its
 * {@code ready} or {@code already_bound}, and finds the host it listens on. Thread-safe
 * (stateless); it binds sockets and reads {@code /proc}, so it runs on the Attach pool,
 * never on a transport thread.
 *
 * <p>First the usual case, cheaply: {@code /proc} lists a socket of the registering pid itself
 * listening on the port at 127.0.0.1 or a wildcard, which says all the checks below would (held
 * on 127.0.0.1, by pid). Anything else takes the full checks. The port must be held: a bind on
 * 127.0.0.1 or ::1 fails. Where {@code /proc} can tell,
 * its listening socket must belong to the registering pid or a descendant (a listener found
 * whose owner {@code /proc} cannot show, such as another user's process, does not). An
 * instance that registered with pid 0 cannot be matched, so where {@code /proc} can be read it
 * is refused; without {@code /proc} it is checked only for the port being held, and the host
 * comes from the binds: 127.0.0.1 when its bind failed, else ::1.
 *
 * <p>What {@code /proc} shows of the instance's own sockets also gives the address they are
 * bound to ({@code Endpoint.listen_address}): a wildcard means the port is reachable from other
 * machines; when it has several sockets on the port, a wildcard one wins. The cheap first step
 * settles it from the one socket it finds; the IPv6 table is read first, so a {@code [::]}
 * beside a v4 socket is the one found. Only two sockets in one table (a v4 wildcard beside
 * 127.0.0.1 with SO_REUSEPORT) may show as the loopback one. Without {@code /proc}: "".
 *
 * <p>The {@code debug} endpoint (a debugger agent's) is checked by {@code /proc} alone where it
 * can be read ({@link PortHolders#agentOwnership}): a JDWP agent closes its listening socket
 * while a debugger is attached and holds only the accepted connection, which the bind probe
 * cannot see (it binds with SO_REUSEADDR, and a bind beside an ESTABLISHED socket succeeds), so
 * that connection, held by the pid or a descendant with no foreign listener on the port, counts
 * as listening. Without {@code /proc} it is the bind probe, as for any endpoint; nothing here
 * ever connects to it (the agent would log "handshake failed").
 */
final class ListenCheck {

  /**
   * What a check found: the host to call the endpoint at ("127.0.0.1" or "::1"), and the address
   * its listening socket is bound to ("0.0.0.0", "::", "127.0.0.1", "::1"; "" when unknown).
   */
  record Listening(String host, String listenAddress) {}

  // DebugRuntime.ENDPOINT of the cli (the registry has no cli dependency): the endpoint a
  // debugger agent is given
  static final String DEBUG_ENDPOINT = "debug";

  private final PortProbe probe;
  private final PortHolders holders;

  ListenCheck(PortProbe probe, PortHolders holders) {
    this.probe = probe;
    this.holders = holders;
  }

  /**
   * The host the endpoint is reached on ("127.0.0.1" or "::1"), and what it listens on.
   *
   * @param step what the client sent, for the message ("ready", "already_bound")
   * @throws StatusRuntimeException FAILED_PRECONDITION naming the port and its real holder
   */
  Listening verify(String step, String endpoint, int port, long pid) {
    Optional<ProcessSockets.Listener> own = holders.ownIpv4Listener(port, pid);
    if (own.isPresent()) {
      // the kernel lists pid's own socket on 127.0.0.1 (or a wildcard): the port is held
      // there, and by pid. The usual case, settled without bind probes or whole-table reads
      return new Listening(Hosts.V4, PortHolders.listenAddress(List.of(own.get()), Hosts.V4));
    }
    if (DEBUG_ENDPOINT.equals(endpoint) && pid != 0 && holders.available()) {
      Optional<Listening> agent = verifyAgent(step, endpoint, port, pid);
      if (agent.isPresent()) {
        return agent.get();
      }
    }
    PortProbe.Held held = probe.held(port);
    if (!held.any()) {
      throw precondition("%s: endpoint %s port %d: nothing listens on it (expected: %s)",
          step, Names.quote(endpoint), port, expectation(step, pid));
    }
    if (pid == 0 && holders.available()) {
      // the listener's process is known, and nothing says it is the instance's: a squatter
      // would pass if pid 0 were taken on trust
      throw precondition("%s: endpoint %s port %d: the instance registered pid 0, so the "
              + "listener (%s) cannot be checked as its own (expected: Register.pid set to the "
              + "process id that listens, or its ancestor)", step, Names.quote(endpoint), port,
          holders.find(port).map(PortHolders.Holder::describe).orElse("unknown"));
    }
    if (pid != 0) {
      PortHolders.Ownership o = holders.ownership(port, pid);
      switch (o.kind()) {
        case OWNED:
          return new Listening(o.host(), o.listenAddress());
        case FOREIGN:
          throw precondition("%s: endpoint %s port %d: held by %s, not by pid %d or its "
                  + "descendants (expected: %s)", step, Names.quote(endpoint), port,
              o.other().orElseThrow().describe(), pid, expectation(step, pid));
        case NONE:
          throw precondition("%s: endpoint %s port %d: bound, but nothing listens on it "
              + "(expected: %s)", step, Names.quote(endpoint), port, expectation(step, pid));
        case UNKNOWN:
        default:
          break; // no /proc: what the binds said is all there is
      }
    }
    return new Listening(held.v4() ? Hosts.V4 : Hosts.V6, ""); // no /proc: the binds' word only
  }

  /**
   * The {@code debug} endpoint by {@code /proc} alone: pid or a descendant listens on the port
   * or holds an accepted connection on it, and no foreign process listens there; empty when
   * {@code /proc} could not tell after all (then the usual checks decide).
   */
  private Optional<Listening> verifyAgent(String step, String endpoint, int port, long pid) {
    PortHolders.Ownership o = holders.agentOwnership(port, pid);
    switch (o.kind()) {
      case OWNED:
        return Optional.of(new Listening(o.host(), o.listenAddress()));
      case FOREIGN:
        throw precondition("%s: endpoint %s port %d: held by %s, not by pid %d or its "
                + "descendants (expected: %s)", step, Names.quote(endpoint), port,
            o.other().orElseThrow().describe(), pid, expectation(step, pid));
      case NONE:
        throw precondition("%s: endpoint %s port %d: nothing listens on it and no debugger is "
                + "attached to it (expected: %s)", step, Names.quote(endpoint), port,
            expectation(step, pid));
      case UNKNOWN:
      default:
        return Optional.empty();
    }
  }

  private static String expectation(String step, long pid) {
    String who = pid == 0 ? "the instance" : "pid " + pid + " or a descendant";
    return "ready".equals(step)
        ? "ready once " + who + " listens on every assigned port"
        : "already_bound only for a port " + who + " listens on";
  }

  private static StatusRuntimeException precondition(String format, Object... args) {
    return Status.FAILED_PRECONDITION.withDescription(String.format(format, args))
        .asRuntimeException();
  }
}
