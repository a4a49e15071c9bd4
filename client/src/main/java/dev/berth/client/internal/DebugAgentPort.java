package dev.berth.client.internal;

import dev.berth.local.DebugAgents;
import dev.berth.local.PortProbe;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * The port of this JVM's own JDWP agent, to join to a lease as its endpoint {@code debug}, when a
 * supervisor asked for that: {@code berth up} starts a {@code lease: self} service with
 * {@code debug:} with the agent in {@code JAVA_TOOL_OPTIONS} on the service's sticky debug berth
 * and that port in {@code $BERTH_DEBUG_PORT}, since only the program's own lease can carry it.
 *
 * <p>The port is joined only when all of these hold, and otherwise nothing changes: {@code
 * $BERTH_DEBUG_PORT} is a port and {@code $BERTH_SERVICE} is the lease's service (of the leases of
 * a JVM that holds several, those of its own service), the lease asks for no {@code debug} endpoint
 * itself, this JVM was started with a JDWP agent listening ({@code server=y}, not deferred by
 * {@code onthrow}/{@code onuncaught}/{@code launch}) at that port, and the port is held now (a
 * bind of it fails; no connect: a JDWP agent logs "handshake failed" for every connect that is
 * not a debugger's). The agent's own record of its address, {@code sun.jdwp.listenerAddress},
 * is an agent property, not a system property ({@code System.getProperty} gives null on JDK 17),
 * so the JVM's input arguments ({@code JAVA_TOOL_OPTIONS} among them) are read instead, and the
 * registry checks the rest: the endpoint is sent {@code already_bound}, which it grants only to
 * the pid that listens there. The options are read by {@link DebugAgents}, as the CLI reads them.
 *
 * <p>One JVM has one agent, so of several leases of {@code $BERTH_SERVICE} only one carries it
 * (the registry would refuse the same port to a second instance): a process-wide claim, taken
 * by {@link #claim} for the lease's {@code Register} as it is built and released by
 * {@link #release} when that lease's session closes (a re-attach sends the same message, so it
 * keeps the claim); the next lease built after that gets it.
 *
 * <p>Thread-safe: the claim is one atomic reference.
 */
public final class DebugAgentPort {

  /** The endpoint name: {@link DebugAgents#ENDPOINT}. */
  public static final String ENDPOINT = DebugAgents.ENDPOINT;
  /** The lease metadata key and its value for a JDWP agent. */
  public static final String METADATA_KEY = DebugAgents.METADATA_KEY;
  public static final String METADATA_VALUE = DebugAgents.Kind.JDWP.metadataValue();

  static final String PORT_ENV = DebugAgents.PORT_ENV;
  static final String SERVICE_ENV = "BERTH_SERVICE";

  private static final PortProbe PROBE = new PortProbe();
  /** The lease's Register that carries this JVM's agent, null when none does. */
  private static final AtomicReference<Object> CLAIM = new AtomicReference<>();

  private DebugAgentPort() {}

  /** For a lease of {@code service} asking for {@code endpoints}: the agent's port, or empty. */
  public static OptionalInt forLease(String service, Collection<String> endpoints) {
    return forLease(service, endpoints, System::getenv, DebugAgentPort::inputArguments,
        port -> PROBE.held(port).any());
  }

  /** The seam for tests: the environment, the JVM's input arguments and the bind probe given. */
  static OptionalInt forLease(String service, Collection<String> endpoints,
      Function<String, String> env, Supplier<List<String>> jvmArguments, IntPredicate held) {
    String wanted = env.apply(PORT_ENV);
    if (wanted == null || !service.equals(env.apply(SERVICE_ENV)) || endpoints.contains(ENDPOINT)) {
      return OptionalInt.empty();
    }
    int port = port(wanted.trim());
    if (port == 0 || !jvmArguments.get().stream().anyMatch(a -> listensAt(a, port)) || !held.test(port)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(port);
  }

  /**
   * Takes the claim on this JVM's agent for {@code owner} (the lease's {@code Register} that
   * names it): true when no other lease holds it, or {@code owner} does already.
   */
  public static boolean claim(Object owner) {
    return CLAIM.compareAndSet(null, owner) || CLAIM.get() == owner;
  }

  /** Gives up {@code owner}'s claim, if it holds it; a no-op otherwise. Idempotent. */
  public static void release(Object owner) {
    CLAIM.compareAndSet(owner, null);
  }

  /**
   * True for a JDWP agent option ({@code -agentlib:jdwp=...} or {@code -Xrunjdwp:...}, as
   * {@link DebugAgents} reads it) with {@code server=y} on {@code dt_socket} and an {@code
   * address} of {@code port} ({@code 5005}, {@code 127.0.0.1:5005}, {@code *:5005}), that
   * listens from the start (not deferred by {@code onthrow}, {@code onuncaught}, {@code launch}).
   */
  static boolean listensAt(String argument, int port) {
    return DebugAgents.jdwp(List.of("java", argument), Map.of()).stream()
        .anyMatch(a -> a.listens() && !a.deferred() && a.port() == port);
  }

  /** 1..65535, or 0. */
  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      return port >= 1 && port <= 65535 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static List<String> inputArguments() {
    try {
      return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    } catch (LinkageError | SecurityException e) {
      return List.of(); // a runtime without java.management: no agent is assumed
    }
  }
}
