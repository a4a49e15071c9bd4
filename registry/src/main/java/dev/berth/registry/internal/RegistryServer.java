package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.RegistryInfo;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running registry: the gRPC server on 127.0.0.1 and everything behind it. The engine of
 * {@code dev.berth.registry.BerthRegistry}, which is the supported way to start one.
 * Thread-safe.
 */
public final class RegistryServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;
  private static final Duration GRACE = Duration.ofSeconds(2);
  /** The registry pings a connection that was quiet this long... */
  static final Duration KEEPALIVE = Duration.ofSeconds(10);
  /** ...and closes it, ending its leases, when the ack is this late: ~15 s for a frozen peer. */
  static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
  /** The shortest interval between a client's pings that the registry accepts. */
  static final Duration PERMIT_KEEPALIVE = Duration.ofSeconds(1);

  /**
   * What to start. {@code pool} null means the default pool outside the ephemeral range.
   * Immutable.
   */
  public record Config(Path stateDir, int port, boolean fallbackToEphemeral, PortPool pool,
      MeterRegistry meterRegistry, Clock clock, Duration reservationTimeout, int maxInstances,
      boolean metricsEndpoint, Duration registerTimeout) {}

  /** The service name the registry's own {@code metrics} endpoint is registered under. */
  public static final String SELF_SERVICE = "berth";

  private final StateFiles files;
  private final StateDirLock dirLock;
  private final MeterRegistry meterRegistry;
  private final ExecutorService executor;
  private final ScheduledThreadPoolExecutor timer;
  private final HealthStatusManager health = new HealthStatusManager();
  private final RegistryMetrics metrics;
  private final WatchHub hub;
  private final RegistryService service;
  private final Server server;
  private final RegistryInfo info;
  private final RegistryHttp http; // null when the metrics endpoint is off
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private RegistryServer(Config config) throws IOException {
    files = new StateFiles(config.stateDir());
    meterRegistry = config.meterRegistry();
    // the caller's registry gets every meter; the private Prometheus one feeds /metrics
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompositeMeterRegistry meters = new CompositeMeterRegistry(meterRegistry.config().clock(),
        List.of(meterRegistry, prometheus));
    files.createDir();
    dirLock = StateDirLock.acquire(files);
    try {
      String token = files.loadOrCreateToken();
      StickyPorts sticky = StickyPorts.load(files.berthsJson(), config.clock());
      PortProbe probe = new PortProbe();
      PortPool pool = config.pool() != null
          ? config.pool() : PortPool.outsideEphemeral(PortPool.LINUX_EPHEMERAL_RANGE);
      AtomicInteger ownPort = new AtomicInteger(-1);
      PortAllocator allocator = new PortAllocator(pool, probe, sticky, ownPort::get);
      LeaseTable table = new LeaseTable(allocator,
          probe, config.maxInstances(), config.clock());
      hub = new WatchHub(table::snapshot);
      metrics = new RegistryMetrics(meters, table::liveCount);
      PortHolders holders = PortHolders.system();
      executor = Executors.newCachedThreadPool(threads("berth-registry-call-"));
      timer = new ScheduledThreadPoolExecutor(1, threads("berth-registry-timer-"));
      timer.setRemoveOnCancelPolicy(true); // reservations are cancelled far more often than they expire
      ConflictLog conflictLog = new ConflictLog(config.clock());
      service = new RegistryService(new RegistryParts(table, sticky, hub, metrics,
          new ConflictReporter(metrics, holders, conflictLog), conflictLog, holders, timer,
          config.reservationTimeout(), config.registerTimeout()), probe, ownPort::get, executor);
      TokenAuth auth = new TokenAuth(token, files.tokenFile());
      Server started;
      try {
        started = bind(config.port(), auth, config.maxInstances());
      } catch (IOException e) {
        if (!config.fallbackToEphemeral() || !isBindFailure(e)) {
          shutdownExecutors();
          metrics.close();
          throw bindError(config.port(), e, holders);
        }
        LOG.log(Level.INFO, "port {0} is taken; listening on another", String.valueOf(config.port()));
        try {
          started = bind(0, auth, config.maxInstances());
        } catch (IOException e2) {
          shutdownExecutors();
          metrics.close();
          throw e2;
        }
      }
      server = started;
      ownPort.set(server.getPort());
      try { // from here on, a failure stops what already runs: close() knows how
        RegistryHttp httpStarted = null;
        if (config.metricsEndpoint()) {
          try {
            httpStarted = startHttp(prometheus, table, allocator, sticky);
          } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot serve /metrics and /sd: {0}", e.toString());
          }
        }
        http = httpStarted;
        if (http != null) {
          // in its own table, so `berth resolve berth/metrics` and /sd find it like any instance
          table.addLive(new Registration(SELF_SERVICE,
              List.of(new Registration.EndpointSpec(RegistryHttp.METRICS_ENDPOINT, 0, true)),
              ProcessHandle.current().pid(), Map.of()), http.port());
          hub.publish(SELF_SERVICE, List.of(RegistryHttp.METRICS_ENDPOINT));
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(RegistryGrpc.SERVICE_NAME, ServingStatus.SERVING);
        Instant now = config.clock().instant();
        info = RegistryInfo.newBuilder()
            .setAddress(LeaseTable.HOST + ":" + server.getPort())
            .setPid(ProcessHandle.current().pid())
            .setStarted(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .build();
        // written last: a client that finds the file finds a registry that answers
        files.writeRegistryInfo(info);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    } catch (IOException | RuntimeException | Error e) {
      dirLock.close(); // a registry that failed to start must not block the next one
      throw e;
    }
  }

  /**
   * Serves /metrics and /sd on a berth of the registry's own, remembered like any service's:
   * a Prometheus pointed at {@code http://127.0.0.1:PORT/sd} keeps working across restarts.
   */
  private static RegistryHttp startHttp(PrometheusMeterRegistry prometheus, LeaseTable table,
      PortAllocator allocator, StickyPorts sticky) throws IOException {
    java.util.OptionalInt berth =
        allocator.allocate(SELF_SERVICE, RegistryHttp.METRICS_ENDPOINT, p -> false).port();
    RegistryHttp http;
    try {
      http = RegistryHttp.start(prometheus, table::list, berth.orElse(0));
    } catch (IOException taken) {
      // lost a race for the port since the probe: any port beats no metrics
      http = RegistryHttp.start(prometheus, table::list, 0);
    }
    sticky.remember(SELF_SERVICE, RegistryHttp.METRICS_ENDPOINT, http.port());
    try {
      sticky.persistIfChanged();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot save the remembered ports: {0}", e.toString());
    }
    return http;
  }

  /** Binds, writes the state files and serves; the registry is fully up when this returns. */
  public static RegistryServer start(Config config) throws IOException {
    return new RegistryServer(config);
  }

  public int port() {
    return server.getPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
  }

  public Path stateDir() {
    return files.dir();
  }

  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** The port of {@code /metrics} and {@code /sd}, or -1 when they are off. */
  public int metricsPort() {
    return http != null ? http.port() : -1;
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /**
   * Ends every lease and watch with UNAVAILABLE (clients re-attach to the next registry),
   * stops the server within a few seconds, removes {@code registry.json}. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        terminated.await(2 * GRACE.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      health.enterTerminalState();
      Status draining = Status.UNAVAILABLE.withDescription("the Berth registry is shutting down");
      // watches first: ending leases would otherwise publish an empty snapshot to every
      // watcher just before the registry goes, and clients would drop the addresses they
      // should keep while a new registry comes up
      hub.close(draining);
      service.close(draining);
      if (http != null) {
        http.close();
      }
      server.shutdown();
      try {
        if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
          server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
      shutdownExecutors();
      try {
        if (info != null) { // null when start failed before the file was written
          files.removeRegistryInfo(info);
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot remove {0}: {1}", files.registryJson(), e.toString());
      }
      metrics.close();
    } finally {
      dirLock.close(); // last: the next registry may start once this one is gone
      terminated.countDown();
    }
  }

  private Server bind(int port, TokenAuth auth, int maxInstances) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    NotHttp2Peers.install();
    MalformedMessageLog malformed = new MalformedMessageLog(System::nanoTime);
    MetadataLimit metadataLimit = new MetadataLimit();
    return NettyServerBuilder.forAddress(address)
        // handlers run on the transport threads; RegistryService moves what may block to
        // `executor`. Saves two thread hand-offs per call (Resolve p50 -30 %, throughput +60 %)
        .directExecutor()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        // the real limit is per call, in MetadataLimit: at the transport's limit Netty resets
        // the stream, and above 1.25 times it closes the connection with every lease on it
        .maxInboundMetadataSize(MetadataLimit.TRANSPORT_MAX_BYTES)
        // a client multiplexes all its leases and watches over one connection (the bench holds
        // 1,000 leases on one): room for every lease the registry takes, a watch for each, and
        // more. Streams that never register end after registerTimeout, so this only bounds a burst
        .maxConcurrentCallsPerConnection(maxCallsPerConnection(maxInstances))
        // Berth's client pings every 10 s; other gRPC clients are often set to ping every few
        // seconds, and a peer pinging more often than this loses its connection (GOAWAY
        // "too_many_pings") and with it its lease
        .permitKeepAliveTime(PERMIT_KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        // a peer that vanished without a reset (suspended laptop, pulled cable on a VM)
        // is noticed within ~15 s (10 s quiet, then 5 s without a ping ack), and its lease ends
        .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .addTransportFilter(malformed)
        .addService(guarded(ServerInterceptors.intercept(service, auth), malformed, metadataLimit))
        .addService(guarded(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), auth),
            malformed, metadataLimit))
        .addService(guarded(ServerInterceptors.intercept(reflectionV1Alpha(), auth),
            malformed, metadataLimit))
        .addService(guarded(ServerInterceptors.intercept(health.getHealthService(), auth),
            malformed, metadataLimit))
        .build()
        .start();
  }

  /** The most concurrent calls on one connection (HTTP/2 MAX_CONCURRENT_STREAMS). */
  static int maxCallsPerConnection(int maxInstances) {
    return 2 * maxInstances + 1024;
  }

  /** Oversized metadata and malformed requests fail their own call; the metadata check first. */
  private static ServerServiceDefinition guarded(ServerServiceDefinition service,
      MalformedMessageLog malformed, MetadataLimit metadataLimit) {
    return MalformedMessages.guard(ServerInterceptors.intercept(service, metadataLimit), malformed);
  }

  /** Reflection v1alpha: what grpcurl before 1.8.8 and other older tools still ask. */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }

  private void shutdownExecutors() {
    timer.shutdownNow();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // with epoll, Netty reports EADDRINUSE as its own NativeIoException, not a BindException
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static IOException bindError(int port, IOException e, PortHolders holders) {
    if (!isBindFailure(e)) {
      return e;
    }
    String holder = holders.find(port).map(PortHolders.Holder::describe).orElse("another process");
    return new IOException(String.format("cannot listen on %s:%d: the port is held by %s",
        LeaseTable.HOST, port, holder), e);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true); // a registry left open must not keep its host JVM alive
      return t;
    };
  }
}
