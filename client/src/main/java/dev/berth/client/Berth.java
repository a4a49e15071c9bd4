package dev.berth.client;

import dev.berth.client.internal.BerthTarget;
import dev.berth.client.internal.Channels;
import dev.berth.client.internal.Connector;
import dev.berth.client.internal.Discovery;
import dev.berth.client.internal.Lookups;
import dev.berth.client.internal.Names;
import dev.berth.client.internal.RegistryConnection;
import dev.berth.client.internal.RegistryDiscovery;
import dev.berth.client.internal.RegistryLocator;
import dev.berth.client.internal.TargetName;
import dev.berth.client.internal.Tracker;
import dev.berth.local.Namespace;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The entry point: a connection to the local Berth registry, to serve services by name and
 * call them by name.
 *
 * <pre>{@code
 * try (Berth berth = Berth.connect()) {
 *   BerthServer server = berth.serve("orders").addService(new OrdersImpl()).start();
 *   ManagedChannel catalog = berth.channel("catalog");      // berth:///catalog, round-robin
 *   CatalogGrpc.newBlockingStub(catalog).list(request);
 *   Address gateway = berth.resolve("gateway/http");       // 127.0.0.1:61002
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>A {@code Berth} lives in one namespace ({@link Builder#namespace}): its leases register
 * there, and its resolves, watches and channels find the instances of a name there when any is
 * live, else those of the default namespace (services started outside every stack), never
 * another namespace's. A process that {@code berth up} starts learns its stack's namespace from
 * {@code $BERTH_NAMESPACE}. One that it starts with {@code debug:} (a JDWP agent in
 * {@code JAVA_TOOL_OPTIONS} at {@code $BERTH_DEBUG_PORT}) gets that port on its lease of
 * {@code $BERTH_SERVICE} as the endpoint {@code debug}, so the same instance shows its debugger's
 * sticky port ({@link Lease.Builder#attach}).
 *
 * <p>Servers, claims, leases, watches and channels made through a {@code Berth} are closed
 * with it. It owns one registry channel and one scheduler thread, and never adds shutdown
 * hooks or touches global meter registries. Thread-safe.
 */
public final class Berth implements AutoCloseable {
  private final RegistryConnection connection;
  private final MeterRegistry meters;
  private final String serviceName;
  private final boolean unixSockets;
  private final String namespace;
  private final AtomicReference<String> served = new AtomicReference<>(); // first service served
  private final Tracker tracker = new Tracker();
  private final Set<ManagedChannel> channels = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));
  private final AtomicBoolean closed = new AtomicBoolean();

  private Berth(RegistryConnection connection, MeterRegistry meters, String serviceName,
      boolean unixSockets, String namespace) {
    this.connection = connection;
    this.namespace = namespace;
    this.meters = meters;
    this.serviceName = serviceName;
    this.unixSockets = unixSockets;
  }

  /** {@code Berth.builder().build()}: the registry found by the default rule, no auto-start. */
  public static Berth connect() {
    return builder().build();
  }

  /** A builder for explicit settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Serves gRPC services as {@code service}; finish with {@link BerthServer.Builder#start}. */
  public BerthServer.Builder serve(String service) {
    return new BerthServer.Builder(claim(service), meters, unixSockets ? stateDir() : null);
  }

  /** Claims ports for {@code service} bound by your own code; finish with {@link Claim.Builder#bind}. */
  public Claim.Builder claim(String service) {
    served.compareAndSet(null, Names.checkLabel("service", service));
    return new Claim.Builder(lease(service), tracker, meters);
  }

  /**
   * Claims one endpoint, bound by {@code binder}, and returns once it is visible:
   * {@code claim("gateway/http", binder)}; a {@code name} without an endpoint means {@code main}.
   */
  public Claim claim(String name, PortBinder binder) throws IOException {
    BerthTarget target = TargetName.parse(name);
    return claim(target.service()).endpoint(target.endpoint(), binder).bind();
  }

  /** A raw lease, for a process whose ports someone else binds; finish with {@link Lease.Builder#attach}. */
  public Lease.Builder lease(String service) {
    checkOpen();
    return new Lease.Builder(connection, tracker, service, namespace);
  }

  /**
   * A channel to {@code berth:///name} ({@code "catalog"}, or {@code "gateway/grpc"} for an
   * endpoint other than {@code main}), following its instances as they come and go:
   * round-robin, calls timed. With none live, calls fail fast with {@code UNAVAILABLE};
   * wait-for-ready calls wait for one. Shut it down when done (closing this {@code Berth}
   * does it too). An instance that also listens on a Unix socket of this user's own (every
   * {@link BerthServer} does, on Linux) is called over it, and over its port when the socket
   * does not answer; see {@link Builder#unixSockets}.
   */
  public ManagedChannel channel(String name) {
    BerthTarget target = TargetName.parse(name);
    checkOpen();
    ManagedChannel channel = Channels.create(connection, target.inNamespace(namespace), meters,
        this::callerName, unixSockets);
    channels.add(channel);
    return channel;
  }

  /**
   * The first live instance's address of {@code name} ({@code "catalog"} or
   * {@code "gateway/http"}); {@link BerthException} NOT_FOUND if none is live.
   */
  public Address resolve(String name) {
    List<Address> all = resolveAll(name);
    if (all.isEmpty()) {
      throw new BerthException(Status.NOT_FOUND.withDescription("no live instance of '" + name + "'"));
    }
    return all.get(0);
  }

  /** Every live instance's address of {@code name}, oldest first; empty if none. Blocks for one call. */
  public List<Address> resolveAll(String name) {
    BerthTarget target = TargetName.parse(name);
    checkOpen();
    return Lookups.resolveAll(RegistryDiscovery.of(connection), target.inNamespace(namespace));
  }

  /**
   * Calls {@code listener} with the live addresses of {@code name} ({@code "catalog"} or
   * {@code "gateway/http"}) at once and on every change (an empty list when none is live).
   * While the registry is away, nothing is called: the last list stands. The listener runs
   * on a gRPC thread (the builder's executor, if set), one call at a time; it must not
   * block. Close the handle to stop.
   */
  public BerthWatch watch(String name, Consumer<List<Address>> listener) {
    BerthTarget target = TargetName.parse(name);
    checkOpen();
    Discovery.Watch subscription =
        Lookups.watch(RegistryDiscovery.of(connection), target.inNamespace(namespace), listener);
    BerthWatch[] handle = new BerthWatch[1];
    handle[0] = new BerthWatch(name, () -> {
      subscription.close();
      tracker.remove(handle[0]);
    });
    if (!tracker.add(handle[0])) {
      subscription.close();
      throw new IllegalStateException("Berth is closed");
    }
    return handle[0];
  }

  /** For {@link InternalBerth#registryStub}: the client API hands out no generated type. */
  RegistryGrpc.RegistryBlockingStub registryStub() {
    return RegistryGrpc.newBlockingStub(connection.channel());
  }

  /** The meter registry the interceptors record into. */
  public MeterRegistry meterRegistry() {
    return meters;
  }

  /** The state dir the registry was looked for in. */
  public Path stateDir() {
    return connection.locator().stateDir();
  }

  /**
   * The namespace this {@code Berth} registers and looks names up in: {@code ""} for the
   * default namespace, else a DNS label; see {@link Builder#namespace}.
   */
  public String namespace() {
    return namespace;
  }

  /** Who is calling, as given to {@link Builder#serviceName}; null if not given. */
  public String serviceName() {
    return serviceName;
  }

  /**
   * The {@code caller} tag of {@code berth.client.call.duration}: {@link #serviceName()} if
   * given, else the first service this {@code Berth} serves or claims, else {@code unknown}.
   * Read at each call, so a channel made before {@link #serve} is tagged once it serves.
   */
  public String callerName() {
    if (serviceName != null) {
      return serviceName;
    }
    String first = served.get();
    return first != null ? first : "unknown";
  }

  /**
   * Closes every server, claim, lease and watch made through this {@code Berth} (newest
   * first: their instances disappear at once), shuts its channels down and disconnects.
   * Idempotent; bounded by the servers' shutdown grace.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tracker.closeAll();
    List<ManagedChannel> open;
    synchronized (channels) {
      open = new ArrayList<>(channels);
      channels.clear();
    }
    open.forEach(ManagedChannel::shutdownNow);
    connection.close();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Berth is closed");
    }
  }


  /** Settings for {@link Berth}. Not thread-safe; use from one thread, then {@link #build}. */
  public static final class Builder {
    /** {@code -Dberth.unix-sockets=false} turns the Unix socket path off; see {@link #unixSockets}. */
    public static final String UNIX_SOCKETS_PROPERTY = "berth.unix-sockets";
    /** {@code BERTH_UNIX_SOCKETS=off} turns it off where the property is not set. */
    public static final String UNIX_SOCKETS_ENV = "BERTH_UNIX_SOCKETS";

    private String registry;
    private Path stateDir;
    private MeterRegistry meters;
    private String serviceName;
    private boolean autoStart;
    private Executor executor;
    private Boolean unixSockets;
    private String namespace;

    private Builder() {}

    /**
     * The registry's {@code host:port}, fixed. Default: system property
     * {@code berth.registry}, else {@code $BERTH_REGISTRY}, else {@code registry.json} in
     * the state dir, read again on every reconnect.
     */
    public Builder registry(String hostPort) {
      this.registry = hostPort;
      return this;
    }

    /**
     * Where {@code registry.json} and {@code token} are. Default, first match wins: the
     * system property {@code berth.home}, {@code $BERTH_HOME}, {@code $XDG_RUNTIME_DIR/berth},
     * {@code ~/.berth} (the rule every Berth process shares).
     */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Where call timers and conflict counters go; default a new {@code SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    /** The name of the service using this {@code Berth}, as a caller. */
    public Builder serviceName(String name) {
      this.serviceName = Names.checkLabel("serviceName", name);
      return this;
    }

    /**
     * If no registry answers when connecting, start one in the background (needs
     * {@code dev.berth:berth-registry} on the class path; not with an explicit {@link #registry}
     * address). The registry is a process of its own: it outlives this program and serves every
     * other service until {@code berth registry stop}. Checked once, at {@link #build}: a registry
     * stopped later is not restarted, so {@code berth registry stop} means down. Default false.
     */
    public Builder autoStart(boolean autoStart) {
      this.autoStart = autoStart;
      return this;
    }

    /**
     * Whether servers also listen on a Unix socket in {@code <state dir>/sock/} (mode 0700) and
     * {@code berth:} channels prefer the Unix sockets of this user's instances over their ports
     * (a by-name call is then faster than one by port); each falls back to TCP on its own.
     * Other users, tools and {@code berth resolve} see the ports either way. Default true on
     * Linux; false when the system property {@value #UNIX_SOCKETS_PROPERTY} is {@code false}, or
     * else {@code $BERTH_UNIX_SOCKETS} is {@code 0}, {@code false}, {@code off} or {@code no}.
     */
    public Builder unixSockets(boolean unixSockets) {
      this.unixSockets = unixSockets;
      return this;
    }

    /**
     * The namespace to register and look names up in: {@code ""} (or the word
     * {@code "default"}) for the default namespace of services started outside every stack,
     * else a DNS label such as a stack's {@code shop-3fa2c1}. A lookup in a namespace finds its
     * instances when any is live, else the default namespace's, never another's. Default: the
     * system property {@code berth.namespace}, else {@code $BERTH_NAMESPACE} (which
     * {@code berth up} sets for each process it starts), else {@code ""}; a blank value counts as
     * unset.
     *
     * @throws IllegalArgumentException naming the value, if it is neither
     */
    public Builder namespace(String namespace) {
      this.namespace = Namespace.check("namespace", namespace);
      return this;
    }

    /** Runs registry callbacks (watch listeners among them); default gRPC's shared executor. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Connects: checks that a registry answers (starting one if {@link #autoStart} says so).
     * Throws {@link BerthException} {@code UNAVAILABLE} naming where it looked if none does, and
     * {@link IllegalArgumentException} naming a bad {@code -Dberth.namespace} or
     * {@code $BERTH_NAMESPACE} (before connecting).
     */
    public Berth build() {
      String inNamespace = namespace != null ? namespace : Namespace.fromEnvironment();
      RegistryLocator locator = RegistryLocator.of(
          stateDir != null ? stateDir : StateDir.defaultPath(), registry);
      RegistryConnection connection = Connector.connect(locator, executor, autoStart);
      return new Berth(connection, meters != null ? meters : new SimpleMeterRegistry(), serviceName,
          unixSockets != null ? unixSockets
              : unixSocketsByDefault(System.getProperty(UNIX_SOCKETS_PROPERTY), System.getenv(UNIX_SOCKETS_ENV)),
          inNamespace);
    }

    /** The default of {@link #unixSockets}: the property if set, else the variable, else on. */
    static boolean unixSocketsByDefault(String property, String env) {
      String setting = property != null && !property.isBlank() ? property : env;
      return setting == null
          || !Set.of("0", "false", "off", "no").contains(setting.strip().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
