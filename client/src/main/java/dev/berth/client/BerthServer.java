package dev.berth.client;

import dev.berth.client.internal.MetricsHttp;
import dev.berth.client.internal.Names;
import dev.berth.client.internal.ServerMetricsInterceptor;
import dev.berth.client.internal.UnixSocketServer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A gRPC server serving by name: it listens at the address its lease was given
 * ({@code 127.0.0.1} and the port Berth assigned, another one if that is taken), serves {@code grpc.health.v1} and times every call
 * ({@code berth.server.call.duration}), and holds the lease that makes it visible to
 * {@code berth:///name} callers.
 *
 * <p>Where the native epoll transport loads (Linux), it also serves the same services on a
 * Unix socket in {@code <state dir>/sock/}, a directory only its user can enter, registered as
 * a second address of the same endpoint: {@code berth:} channels of the same user prefer it,
 * everyone else sees the port. Off with {@link Berth.Builder#unixSockets}.
 *
 * <pre>{@code
 * Berth berth = Berth.connect();
 * BerthServer server = berth.serve("orders").addService(new OrdersImpl()).start();
 * server.awaitTermination();
 * }</pre>
 *
 * <p>{@link #close} ends the lease first (callers stop picking this instance), marks health
 * NOT_SERVING, then shuts the server down, waiting at most the shutdown grace for calls in
 * flight. Thread-safe.
 */
public final class BerthServer implements AutoCloseable {
  private final Claim claim;
  private final Server server;
  private final UnixSocketServer unix; // null when serving TCP only
  private final String endpoint;

  private BerthServer(Claim claim, Server server, UnixSocketServer unix, String endpoint) {
    this.claim = claim;
    this.server = server;
    this.unix = unix;
    this.endpoint = endpoint;
  }

  /** The service served. */
  public String service() {
    return claim.service();
  }

  /** Where the gRPC server listens: {@code 127.0.0.1:P}. */
  public Address address() {
    return claim.address(endpoint);
  }

  /**
   * The Unix socket the gRPC server also listens on ({@code unix:<state dir>/sock/...}), which
   * same-user {@code berth:} channels prefer; empty when it serves TCP only.
   */
  public Optional<Address> unixAddress() {
    return unix == null ? Optional.empty() : Optional.of(Address.unix(unix.path()));
  }

  /** The address of {@code endpoint} (the gRPC one, or one added with {@link Builder#endpoint}). */
  public Address address(String endpoint) {
    return claim.address(endpoint);
  }

  /** {@code address().port()}: the port the gRPC server listens on. */
  public int port() {
    return claim.port(endpoint);
  }

  /** {@code address(endpoint).port()}. */
  public int port(String endpoint) {
    return claim.port(endpoint);
  }

  /** The lease that keeps this instance visible. */
  public Lease lease() {
    return claim.lease();
  }

  /** Blocks until the server has terminated (after {@link #close}). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
    if (unix != null) {
      unix.server().awaitTermination();
    }
  }

  /** Blocks until the server has terminated or {@code timeout} passed; true if terminated. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    return server.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)
        && (unix == null || unix.server().awaitTermination(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
  }

  /** Leaves Berth, then stops serving. Idempotent; bounded by the shutdown grace plus a second. */
  @Override
  public void close() {
    claim.close();
  }

  @Override
  public String toString() {
    return "BerthServer{" + service() + " " + claim.addresses()
        + unixAddress().map(a -> " also " + a).orElse("") + "}";
  }

  /** Describes the server. Not thread-safe; use from one thread, then {@link #start}. */
  public static final class Builder {
    private final Claim.Builder claim;
    private final MeterRegistry meters;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final List<Map.Entry<String, PortBinder>> extraEndpoints = new ArrayList<>();
    private Consumer<? super ServerBuilder<?>> configurer = b -> { };
    private String endpoint = Names.MAIN;
    private int requestedPort;
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private final Path unixStateDir; // null: TCP only

    /** {@code unixStateDir}: the state dir whose {@code sock/} gets the Unix socket, or null for TCP only. */
    Builder(Claim.Builder claim, MeterRegistry meters, Path unixStateDir) {
      this.claim = claim;
      this.meters = meters;
      this.unixStateDir = unixStateDir;
    }

    /** Serves {@code service}. */
    public Builder addService(BindableService service) {
      return addService(service.bindService());
    }

    /** Serves {@code service}. */
    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /** Runs {@code interceptor} on every call (inside the metrics interceptor). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    /** The endpoint the gRPC server is registered as; default {@code main}. */
    public Builder endpoint(String name) {
      this.endpoint = Names.checkLabel("endpoint", name);
      return this;
    }

    /** Another endpoint of the same instance (say an HTTP {@code metrics} port), bound after the server. */
    public Builder endpoint(String name, PortBinder binder) {
      extraEndpoints.add(Map.entry(Names.checkLabel("endpoint", name), binder));
      return this;
    }

    /** Asks for exactly {@code port} for the gRPC endpoint. */
    public Builder requestPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
      this.requestedPort = port;
      return this;
    }

    /**
     * Serves the meters of the {@code Berth} this came from as Prometheus text at
     * {@code /metrics} on another endpoint of this instance, named {@code metrics} (a port
     * Berth assigns, on 127.0.0.1): {@code berth top} and Prometheus ({@code /sd} of the
     * registry) find it by name. That meter registry must be a {@code PrometheusMeterRegistry},
     * or a composite holding one; see {@link Berth.Builder#meterRegistry}.
     *
     * @throws IllegalStateException it holds no {@code PrometheusMeterRegistry}
     */
    public Builder exposeMetrics() {
      return endpoint(MetricsHttp.ENDPOINT, MetricsHttp.binder(MetricsHttp.require(meters)));
    }

    /** A label shown by {@code berth ls}. */
    public Builder metadata(String key, String value) {
      claim.metadata(key, value);
      return this;
    }

    /**
     * Tunes the gRPC server (executor, message sizes, ...); called once per bind attempt, and
     * once more for the Unix-socket server beside it (the same services over another
     * transport), so it must not choose a transport (channel type, event loops) and should
     * hand both the same executor rather than create one per call.
     */
    public Builder configure(Consumer<? super ServerBuilder<?>> configurer) {
      this.configurer = configurer;
      return this;
    }

    /** How long {@link BerthServer#close} lets calls in flight finish; default 5 s. */
    public Builder shutdownGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: >= 0)");
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Attaches, binds (retrying conflicts on new ports), starts serving and makes the
     * instance visible; returns once callers can resolve it.
     */
    public BerthServer start() throws IOException {
      String service = claim.service();
      HealthStatusManager health = new HealthStatusManager();
      UnixSocketServer unix = startUnix(service, health);
      Server[] started = new Server[1];
      claim.endpoint(endpoint, address -> {
        Server server = build(NettyServerBuilder.forAddress(address.socketAddress()), health, service);
        try {
          server.start();
        } catch (IOException | RuntimeException e) {
          server.shutdownNow();
          throw e;
        }
        started[0] = server;
        return () -> stop(server, unix, health);
      });
      if (requestedPort != 0) {
        claim.requestPort(endpoint, requestedPort);
      }
      for (Map.Entry<String, PortBinder> extra : extraEndpoints) {
        claim.endpoint(extra.getKey(), extra.getValue());
      }
      Claim bound;
      try {
        bound = claim.bind();
      } catch (IOException | RuntimeException | Error e) {
        if (unix != null) {
          unix.stop(Duration.ZERO); // if the TCP closer has not already
        }
        throw e;
      }
      return new BerthServer(bound, started[0], unix, endpoint);
    }

    /** Serves on a Unix socket of this user's own, before {@code register} names it; null: TCP only. */
    private UnixSocketServer startUnix(String service, HealthStatusManager health) {
      if (unixStateDir == null) {
        return null;
      }
      UnixSocketServer unix = UnixSocketServer.start(unixStateDir, service, endpoint,
          builder -> build(builder, health, service)).orElse(null);
      if (unix != null) {
        claim.alsoUnixSocket(endpoint, unix.path());
      }
      return unix;
    }

    private Server build(NettyServerBuilder builder, HealthStatusManager health, String service) {
      for (ServerServiceDefinition definition : services) {
        builder.addService(definition);
        health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
      }
      builder.addService(health.getHealthService());
      configurer.accept(builder);
      interceptors.forEach(builder::intercept);
      // added last, so it runs first and times everything the other interceptors do
      builder.intercept(new ServerMetricsInterceptor(meters, service));
      return builder.build();
    }

    /** Both listeners stop together: the socket file first, so new callers go by TCP at once. */
    private void stop(Server server, UnixSocketServer unix, HealthStatusManager health) {
      health.enterTerminalState();
      if (unix != null) {
        unix.shutdown();
      }
      server.shutdown();
      // one grace for both: calls in flight on either get it, not one after the other
      long deadline = System.nanoTime() + shutdownGrace.toNanos();
      try {
        if (!server.awaitTermination(shutdownGrace.toNanos(), TimeUnit.NANOSECONDS)) {
          server.shutdownNow();
          server.awaitTermination(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
      if (unix != null) {
        unix.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    }
  }
}
