package dev.berth.registry;

import dev.berth.local.RegistryLauncher;
import dev.berth.registry.internal.PortPool;
import dev.berth.registry.internal.RegistryServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Berth registry daemon as a library object: a gRPC server on 127.0.0.1 that hands out
 * loopback ports, holds leases as open streams and tells watchers about every change.
 *
 * <pre>{@code
 * try (BerthRegistry registry = BerthRegistry.builder()
 *     .stateDir(Path.of("/tmp/berth"))
 *     .port(0)
 *     .build()
 *     .start()) {
 *   System.out.println("listening on " + registry.address());
 *   registry.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Lifecycle: NEW after {@link Builder#build()}, RUNNING after {@link #start()}, TERMINATED
 * after {@link #close()}. A registry is started at most once.
 *
 * <p>Thread-safe. It adds no JVM shutdown hook and touches no global meter registry; the
 * foreground daemon ({@link RegistryDaemon}) does the former.
 */
public final class BerthRegistry implements AutoCloseable {

  /** The port a registry listens on unless told otherwise: {@link RegistryLauncher#DEFAULT_PORT}. */
  public static final int DEFAULT_PORT = RegistryLauncher.DEFAULT_PORT;

  private final RegistryServer.Config config;
  private final Object lock = new Object();
  private RegistryServer server; // guarded by lock
  private boolean closed; // guarded by lock

  private BerthRegistry(RegistryServer.Config config) {
    this.config = config;
  }

  /** A builder; {@link Builder#stateDir(Path)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds 127.0.0.1, creates or reuses the token, writes {@code registry.json} and starts
   * serving. When the port was left at {@link #DEFAULT_PORT} and that is taken, listens on
   * another (ephemeral) port; an explicitly chosen port that is taken is an error naming it.
   *
   * @return this
   * @throws IOException the port cannot be bound, or the state dir cannot be written
   * @throws IllegalStateException started twice, or after close
   */
  public BerthRegistry start() throws IOException {
    synchronized (lock) {
      if (server != null || closed) {
        throw new IllegalStateException("registry: " + (closed ? "closed" : "already started")
            + " (expected: start() once on a new registry)");
      }
      server = RegistryServer.start(config);
      return this;
    }
  }

  /** The port the registry listens on (the real one when 0 or a fallback was used). */
  public int port() {
    return running().port();
  }

  /** {@code 127.0.0.1:port()}. */
  public InetSocketAddress address() {
    return running().address();
  }

  /** The state dir (absolute) holding {@code token}, {@code registry.json}, {@code berths.json}. */
  public Path stateDir() {
    return config.stateDir().toAbsolutePath();
  }

  /** Where the registry's meters are. */
  public MeterRegistry meterRegistry() {
    return config.meterRegistry();
  }

  /**
   * The loopback port of the read-only HTTP side: {@code /metrics} (the registry's meters,
   * Prometheus text) and {@code /sd} (Prometheus HTTP service discovery of every instance's
   * {@code metrics} endpoint). Registered as {@code berth/metrics}. -1 when off.
   */
  public int metricsPort() {
    return running().metricsPort();
  }

  /** Blocks until the registry is closed. */
  public void awaitTermination() throws InterruptedException {
    running().awaitTermination();
  }

  /** Blocks until the registry is closed or the timeout passes; true if it is closed. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return running().awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Ends every lease and watch (clients see UNAVAILABLE and re-attach to the next registry),
   * stops the server within a few seconds, and removes {@code registry.json}. Idempotent;
   * a registry never started just becomes unusable.
   */
  @Override
  public void close() {
    RegistryServer s;
    synchronized (lock) {
      closed = true;
      s = server;
    }
    if (s != null) {
      s.close();
    }
  }

  private RegistryServer running() {
    synchronized (lock) {
      if (server == null) {
        throw new IllegalStateException("registry: not started (expected: start() first)");
      }
      return server;
    }
  }

  /** Configures a {@link BerthRegistry}. Not thread-safe: use it from one thread. */
  public static final class Builder {
    private Path stateDir;
    private int port = DEFAULT_PORT;
    private boolean portIsDefault = true;
    private PortPool pool;
    private MeterRegistry meterRegistry;
    private Clock clock = Clock.systemUTC();
    private Duration reservationTimeout = Duration.ofSeconds(30);
    private Duration registerTimeout = Duration.ofSeconds(10);
    private int maxInstances = 4096;
    private boolean metricsEndpoint = true;

    private Builder() {}

    /** The state dir; created (mode 0700) if missing. Required. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
      return this;
    }

    /** The port on 127.0.0.1; 0 for an ephemeral one. Default {@link #DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      this.portIsDefault = false;
      return this;
    }

    /**
     * The ports handed out as berths, {@code first..last}. Default: the span outside the OS's
     * ephemeral range (on Linux with 32768-60999: 61000-65535).
     */
    public Builder ports(int first, int last) {
      this.pool = PortPool.of(first, last);
      return this;
    }

    /** Where the registry's meters go. Default: a new {@code SimpleMeterRegistry} of its own. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /** The clock for timestamps (live_since, started, last_used). Default: the system's, UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long assigned ports stay reserved without {@code ready}. Default 30 s. */
    public Builder reservationTimeout(Duration reservationTimeout) {
      if (reservationTimeout.isNegative() || reservationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "reservationTimeout: " + reservationTimeout + " (expected: > 0)");
      }
      this.reservationTimeout = reservationTimeout;
      return this;
    }

    /**
     * How long an Attach stream may stay open without sending {@code register}; then it ends
     * with DEADLINE_EXCEEDED, so that streams nobody uses cannot pile up. Default 10 s.
     */
    public Builder registerTimeout(Duration registerTimeout) {
      if (registerTimeout.isNegative() || registerTimeout.isZero()) {
        throw new IllegalArgumentException(
            "registerTimeout: " + registerTimeout + " (expected: > 0)");
      }
      this.registerTimeout = registerTimeout;
      return this;
    }

    /** The most instances (reserved or live) at once. Default 4096. */
    public Builder maxInstances(int maxInstances) {
      if (maxInstances < 1) {
        throw new IllegalArgumentException("maxInstances: " + maxInstances + " (expected: > 0)");
      }
      this.maxInstances = maxInstances;
      return this;
    }

    /**
     * Whether to serve {@code /metrics} and {@code /sd} on a loopback HTTP port registered as
     * {@code berth/metrics} (a berth of its own from the pool, remembered across restarts). Default true.
     */
    public Builder metricsEndpoint(boolean on) {
      this.metricsEndpoint = on;
      return this;
    }

    /**
     * Replaces the default port for this registry, keeping the fallback that only the default
     * port has: tests use it (through the hidden {@code --default-port} of {@link Main} and of
     * {@code berth registry}) to exercise the fallback without touching the real 62893.
     */
    public Builder defaultPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("defaultPort: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      this.portIsDefault = true;
      return this;
    }

    /** The pool set so far as {@code A-B}, or null for the default: for tests. */
    String poolSetting() {
      return pool == null ? null : pool.toString();
    }

    /** A registry, not yet started. */
    public BerthRegistry build() {
      if (stateDir == null) {
        throw new IllegalStateException("stateDir: not set (expected: builder().stateDir(dir))");
      }
      return new BerthRegistry(new RegistryServer.Config(stateDir, port, portIsDefault && port != 0,
          pool, meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(), clock,
          reservationTimeout, maxInstances, metricsEndpoint, registerTimeout));
    }
  }
}
