package dev.berth.client;

import dev.berth.client.internal.DebugAgentPort;
import dev.berth.client.internal.LeaseHandshake;
import dev.berth.client.internal.Names;
import dev.berth.client.internal.RegistryConnection;
import dev.berth.client.internal.Tracker;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Register;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A lease on the registry: the addresses (ports, or Unix sockets asked for) of one instance
 * of a service, held as long as the lease is open. This is the raw form, for a process that binds nothing itself
 * ({@code berth run} starts a child that does); {@link Berth#serve} and {@link Berth#claim}
 * bind and make ready for you.
 *
 * <pre>{@code
 * Lease lease = berth.lease("web").endpoint("http").pid(child.pid()).attach();
 * Address http = lease.address("http"); // 127.0.0.1:61001, reserved, not yet visible to resolvers
 * // ... the child binds it ...
 * lease.ready();                        // now resolvers see it
 * lease.close();                        // gone, at once
 * }</pre>
 *
 * <p>Once ready, the lease survives registry restarts: it re-attaches on its own, in its
 * namespace, with the same ports. Thread-safe.
 */
public final class Lease implements AutoCloseable {
  private final LeaseHandshake session;
  private final Tracker tracker;

  Lease(LeaseHandshake session, Tracker tracker) {
    this.session = session;
    this.tracker = tracker;
  }

  /** The service this lease is for. */
  public String service() {
    return session.service();
  }

  /**
   * Where {@code endpoint} listens: {@code 127.0.0.1:P}, or {@code unix:/path} for an endpoint
   * asked for with {@link Builder#unixSocket}; {@link IllegalArgumentException} if the lease
   * has no such endpoint.
   */
  public Address address(String endpoint) {
    Map<String, Address> addresses = session.addresses();
    Address address = addresses.get(endpoint);
    if (address == null) {
      throw new IllegalArgumentException(
          "endpoint: '" + endpoint + "' (expected one of " + addresses.keySet() + ")");
    }
    return address;
  }

  /**
   * The address of the endpoint {@code main}, or of the only endpoint, not counting a debugger
   * agent's {@code debug} (which the library may add: see {@link Builder#attach}).
   */
  public Address address() {
    Map<String, Address> addresses = new LinkedHashMap<>(session.addresses());
    if (addresses.size() > 1) {
      addresses.remove(DebugAgentPort.ENDPOINT);
    }
    if (addresses.containsKey(Names.MAIN) || addresses.size() != 1) {
      return address(Names.MAIN);
    }
    return addresses.values().iterator().next();
  }

  /** Endpoint name to address, in the order the endpoints were asked for. */
  public Map<String, Address> addresses() {
    return session.addresses();
  }

  /** {@code address(endpoint).port()}: {@link IllegalStateException} for a Unix socket endpoint. */
  public int port(String endpoint) {
    return address(endpoint).port();
  }

  /** {@code address().port()}: {@link IllegalStateException} for a Unix socket endpoint. */
  public int port() {
    return address().port();
  }

  /** For {@link InternalLeases}. */
  String instanceId() {
    return session.instanceId();
  }

  /** For {@link InternalLeases}. */
  boolean isLive() {
    return session.isLive();
  }

  /** For {@link InternalLeases}. */
  int bindFailed(String endpoint, String error) {
    return session.bindFailed(endpoint, error);
  }

  /** Every port is bound: blocks (bounded) until the registry shows the instance. */
  public void ready() {
    session.ready();
  }

  /** Ends the lease: the instance disappears from resolvers at once. Idempotent, bounded. */
  @Override
  public void close() {
    session.close();
    tracker.remove(this);
  }

  @Override
  public String toString() {
    return "Lease{" + service() + " " + addresses() + "}";
  }

  /**
   * Describes the lease to ask for. Not thread-safe; use from one thread, then
   * {@link #attach}.
   */
  public static final class Builder {
    private static final Duration MAX_RESERVATION = Duration.ofMinutes(10);

    private final RegistryConnection connection;
    private final Tracker tracker;
    private final String service;
    private final String namespace;
    private final Map<String, Integer> endpoints = new LinkedHashMap<>();
    private final Map<String, Address> unixSockets = new HashMap<>();
    private final Map<String, Address> alsoUnixSockets = new HashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private long pid = ProcessHandle.current().pid();
    private Duration reservation = Duration.ZERO;

    Builder(RegistryConnection connection, Tracker tracker, String service, String namespace) {
      this.connection = connection;
      this.tracker = tracker;
      this.service = Names.checkLabel("service", service);
      this.namespace = namespace;
    }

    /** Asks for a port for {@code name}; without any, the lease has one endpoint, {@code main}. */
    public Builder endpoint(String name) {
      endpoints.putIfAbsent(Names.checkLabel("endpoint", name), 0);
      return this;
    }

    /** Asks for exactly {@code port} for {@code endpoint} (added if new); fails if someone holds it. */
    public Builder requestPort(String endpoint, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
      String name = Names.checkLabel("endpoint", endpoint);
      if (unixSockets.containsKey(name)) {
        throw new IllegalArgumentException("endpoint: '" + name + "' is a Unix socket (expected: a port for a TCP endpoint)");
      }
      endpoints.put(name, port);
      return this;
    }

    /**
     * Asks for {@code endpoint} (added if new) to be a Unix domain socket at {@code path}, which
     * the program behind the lease binds: the registry assigns no port, checks at
     * {@link Lease#ready} that a socket listens there, and resolvers get {@code unix:path}.
     * Put it in a directory only you can enter (the state dir, say). {@code resolve},
     * {@code resolveAll} and {@code watch} give the {@code unix:} address; a {@code berth:}
     * channel dials TCP only for now, so it leaves such an instance out, and fails calls fast
     * with {@code UNAVAILABLE} ("berth:///web: its live instances listen on Unix sockets only
     * ...") when every live instance is on one: dial the path yourself meanwhile.
     *
     * @throws IllegalArgumentException the path is not absolute or too long for a socket
     */
    public Builder unixSocket(String endpoint, Path path) {
      Address address = Address.unix(path);
      String name = Names.checkLabel("endpoint", endpoint);
      endpoints.put(name, 0);
      unixSockets.put(name, address);
      return this;
    }

    /**
     * Registers {@code path} as a second address of the TCP endpoint {@code endpoint}: a Unix
     * socket serving the same, bound before {@link #attach} (the registry checks it at
     * {@link Lease#ready}), for same-user {@code berth:} channels. {@link BerthServer} uses it.
     */
    Builder alsoUnixSocket(String endpoint, Path path) {
      String name = Names.checkLabel("endpoint", endpoint);
      if (unixSockets.containsKey(name)) {
        throw new IllegalArgumentException("endpoint: '" + name + "' is a Unix socket (expected: a TCP endpoint)");
      }
      alsoUnixSockets.put(name, Address.unix(path));
      return this;
    }

    /** The process that will listen, for {@code berth ls} and {@code berth who}; default: this one. */
    public Builder pid(long pid) {
      if (pid < 0) {
        throw new IllegalArgumentException("pid: " + pid + " (expected: >= 0)");
      }
      this.pid = pid;
      return this;
    }

    /**
     * How long the registry keeps the assigned ports for this lease before {@link Lease#ready}:
     * for a program that takes long to start listening. Default: the registry's (30 s); at
     * most 10 minutes.
     */
    public Builder reservation(Duration reservation) {
      if (reservation.compareTo(Duration.ofMillis(1)) < 0 || reservation.compareTo(MAX_RESERVATION) > 0) {
        throw new IllegalArgumentException(
            "reservation: " + reservation + " (expected: 1 ms to " + MAX_RESERVATION + ")");
      }
      this.reservation = reservation;
      return this;
    }

    /** A label shown by {@code berth ls}, e.g. {@code metadata("version", "1.4")}. */
    public Builder metadata(String key, String value) {
      metadata.put(Names.checkLabel("metadata key", key), value);
      return this;
    }

    /**
     * Registers and returns once ports are assigned (reserved for this instance, not yet
     * visible). Throws {@link BerthException} if the registry refuses or cannot be reached.
     *
     * <p>In a JVM that {@code berth up} started with {@code debug:} ({@code $BERTH_DEBUG_PORT}
     * set, and {@code $BERTH_SERVICE} this lease's service), whose own JDWP agent listens at
     * that port, the lease gets one more endpoint, {@code debug}, at that port (already bound:
     * the registry checks this JVM holds it), and metadata {@code debug=jdwp}, unless it asks
     * for a {@code debug} endpoint itself; the same holds for {@link Claim.Builder#bind} and
     * {@link BerthServer.Builder#start}. Otherwise nothing changes.
     */
    public Lease attach() {
      Lease lease = new Lease(LeaseHandshake.open(connection, register()), tracker);
      if (!tracker.add(lease)) {
        lease.close();
        throw new IllegalStateException("Berth is closed");
      }
      return lease;
    }

    String service() {
      return service;
    }

    RegistryConnection connection() {
      return connection;
    }

    List<String> endpointNames() {
      return new ArrayList<>(endpoints.keySet());
    }

    Register register() {
      Register.Builder register = Register.newBuilder()
          .setService(service)
          .setNamespace(namespace) // a re-attach sends this register again: the namespace stays
          .setPid(pid)
          .setReservationMillis((int) reservation.toMillis())
          .putAllMetadata(metadata);
      Map<String, Integer> wanted = endpoints.isEmpty() ? Map.of(Names.MAIN, 0) : endpoints;
      wanted.forEach((name, port) -> {
        Address unix = unixSockets.get(name);
        Address also = alsoUnixSockets.get(name);
        register.addEndpoints(unix != null
            ? EndpointRequest.newBuilder().setName(name).setUnixPath(unix.path().toString())
            : EndpointRequest.newBuilder().setName(name).setPort(port)
                .setAlsoUnixPath(also != null ? also.path().toString() : ""));
      });
      OptionalInt debugPort = DebugAgentPort.forLease(service, wanted.keySet());
      if (debugPort.isEmpty()) {
        return register.build();
      }
      Register without = register.build();
      // last, so that $PORT's endpoint stays the first; a re-attach sends it already_bound too
      Register with = register.addEndpoints(EndpointRequest.newBuilder().setName(DebugAgentPort.ENDPOINT)
              .setPort(debugPort.getAsInt()).setAlreadyBound(true))
          .putMetadata(DebugAgentPort.METADATA_KEY, DebugAgentPort.METADATA_VALUE)
          .build();
      // one lease per JVM carries the agent; the session releases the claim as it closes
      return DebugAgentPort.claim(with) ? with : without;
    }
  }
}
