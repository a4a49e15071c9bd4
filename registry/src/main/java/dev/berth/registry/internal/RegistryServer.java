package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.RegistryInfo;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.util.MutableHandlerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running registry: the gRPC server on 127.0.0.1 and everything behind it. The engine of
 * {@code dev.berth.registry.BerthRegistry}, which is the supported way to start one.
 * Thread-safe.
 *
 * <p>Start order: the state dir, its lock, the token and {@code berths.json} (the Prometheus
 * registry loads on a second thread meanwhile), then the gRPC port with {@code berth.v1.Registry}
 * and health, then {@code registry.json} (so a client that finds it finds a registry that
 * answers), then, on {@link DeferredStart}'s thread, what no first call needs: the HTTP side and
 * {@code berth/metrics}, server reflection, and {@code registry.json} again if the HTTP side
 * changed what it says. {@link #start} returns once all of it ran.
 */
public final class RegistryServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
  private static final Duration GRACE = Duration.ofSeconds(2);
  /** The longest {@link #start} waits for the deferred start (local work: it takes < 1 s). */
  private static final Duration START_WAIT = Duration.ofSeconds(30);
  /** The longest the dashboard's {@code edges} waits for the services' {@code /metrics}. */
  private static final Duration SCRAPE_BOUND = Duration.ofMillis(500);

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
  private final RegistryThreads threads = new RegistryThreads(GRACE);
  private final HealthStatusManager health = new HealthStatusManager();
  private final RegistryMetrics metrics;
  private final WatchHub hub;
  private final RegistryService service;
  private final Server server;
  private Timestamp startedAt;
  private volatile RegistryInfo info; // written by the constructor, then by deferred's thread
  private final DeferredStart deferred;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private RegistryServer(Config config) throws IOException {
    files = new StateFiles(config.stateDir());
    meterRegistry = config.meterRegistry();
    // the private Prometheus registry that feeds /metrics loads on another core meanwhile
    // (~0.1-0.2 s in a cold JVM): every meter must be on it from the first recording
    CompletableFuture<PrometheusMeterRegistry> loading = CompletableFuture.supplyAsync(
        () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), RegistryServer::prometheusThread);
    files.createDir();
    dirLock = StateDirLock.acquire(files);
    try {
      // ours now: what registry.json says is a dead registry's (kill -9, a reboot), and clients
      // believe it while a registry holds the lock, so it goes before anything slow
      files.removeDeadRegistryInfo();
      String token = files.loadOrCreateToken();
      StickyPorts sticky = StickyPorts.load(files.berthsJson(), config.clock());
      PortProbe probe = new PortProbe();
      PortPool pool = config.pool() != null
          ? config.pool() : PortPool.outsideEphemeral(PortPool.LINUX_EPHEMERAL_RANGE);
      AtomicInteger ownPort = new AtomicInteger(-1);
      PortAllocator allocator = new PortAllocator(pool, PortCheck.of(probe), sticky, ownPort::get);
      LeaseTable table = new LeaseTable(allocator,
          PortCheck.of(probe), config.maxInstances(), config.clock());
      hub = new WatchHub(table::snapshot);
      // the caller's registry gets every meter; the private Prometheus one feeds /metrics
      PrometheusMeterRegistry prometheus = join(loading);
      CompositeMeterRegistry meters = new CompositeMeterRegistry(meterRegistry.config().clock(),
          List.of(meterRegistry, prometheus));
      metrics = new RegistryMetrics(meters, table::liveCount);
      PortHolders holders = PortHolders.system();
      ConflictLog conflictLog = new ConflictLog(config.clock());
      service = new RegistryService(new RegistryParts(table, sticky, hub, metrics,
          new ConflictReporter(metrics, holders, conflictLog), conflictLog, holders, pool, threads.timer(),
          System::nanoTime, config.reservationTimeout(), config.registerTimeout()), probe,
          ownPort::get, threads.calls());
      RegistryGrpcServer.Guard guard = RegistryGrpcServer.Guard.of(new TokenAuth(token, files.tokenFile()));
      MutableHandlerRegistry late = new MutableHandlerRegistry();
      Server started;
      try {
        started = RegistryGrpcServer.bind(config.port(), service, health, guard,
            config.maxInstances(), late);
      } catch (IOException e) {
        if (!config.fallbackToEphemeral() || !RegistryGrpcServer.isBindFailure(e)) {
          threads.close();
          metrics.close();
          throw RegistryGrpcServer.bindError(config.port(), e, holders);
        }
        LOG.log(Level.INFO, "port {0} is taken; listening on another", String.valueOf(config.port()));
        try {
          started = RegistryGrpcServer.bind(0, service, health, guard, config.maxInstances(), late);
        } catch (IOException e2) {
          threads.close();
          metrics.close();
          throw e2;
        }
      }
      server = started;
      ownPort.set(server.getPort());
      try { // from here on, a failure stops what already runs: close() knows how
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(RegistryGrpc.SERVICE_NAME, ServingStatus.SERVING);
        Instant now = config.clock().instant();
        startedAt = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        info = registryInfo(null);
        // a client that finds the file finds a registry that answers
        files.writeRegistryInfo(info);
        deferred = new DeferredStart(new DeferredStart.Steps() {
          @Override
          public RegistryHttp startHttp() throws IOException {
            return config.metricsEndpoint()
                ? MetricsBerth.start(prometheus, table, allocator, sticky, hub,
                    new QueryView(table, token, files.tokenFile(), metrics.resolveTimer(),
                        () -> RegistryService.berths(sticky, pool)),
                    new DashboardHttp(new DashboardFeeds(
                        new DashboardState(table, conflictLog, () -> info, files.dir(), config.clock()),
                        new DashboardEdges(table::list, System::nanoTime, SCRAPE_BOUND),
                        new DashboardStacks(files.dir())), token))
                : null;
          }

          @Override
          public void addReflection() {
            RegistryGrpcServer.addReflection(late, guard);
          }

          @Override
          public void started(RegistryHttp http) throws IOException {
            RegistryInfo full = registryInfo(http);
            if (!full.equals(info)) {
              files.writeRegistryInfo(full);
              info = full;
            }
          }
        });
        deferred.start();
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    } catch (IOException | RuntimeException | Error e) {
      threads.close(); // idempotent: a failure before the server bound leaves them to us
      dirLock.close(); // a registry that failed to start must not block the next one
      throw e;
    }
  }

  /**
   * Binds, writes the state files and serves; the registry is fully up when this returns,
   * though it answered calls and wrote {@code registry.json} before its deferred start ran.
   */
  public static RegistryServer start(Config config) throws IOException {
    RegistryServer server = new RegistryServer(config);
    try {
      server.deferred.await(START_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new IOException("interrupted while the registry started", e);
    }
    return server;
  }

  private static void prometheusThread(Runnable load) {
    Thread t = new Thread(load, "berth-registry-start-metrics");
    t.setDaemon(true);
    t.start();
  }

  private static PrometheusMeterRegistry join(CompletableFuture<PrometheusMeterRegistry> loading) {
    try {
      return loading.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the registry started", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /**
   * What {@code registry.json} says: the gRPC address, pid and start time, and what the HTTP
   * side adds once it is up ({@code http} null before, or when it is off). The one place that
   * builds it, written when the gRPC port answers and again when the HTTP side changed it.
   */
  private RegistryInfo registryInfo(RegistryHttp http) {
    RegistryInfo.Builder builder = RegistryInfo.newBuilder();
    if (http != null) { // where the CLI's query verbs read without a gRPC stack (QueryView)
      builder.setHttpAddress(LeaseTable.HOST + ":" + http.port());
    }
    return builder
        .setAddress(LeaseTable.HOST + ":" + server.getPort())
        .setPid(ProcessHandle.current().pid())
        .setStarted(startedAt)
        .build();
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
    RegistryHttp http = deferred.http();
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
      if (deferred != null) { // null when start failed before the file was written
        deferred.close(); // waits for it: nothing starts, and registry.json is not written, after this
      }
      Status draining = Status.UNAVAILABLE.withDescription("the Berth registry is shutting down");
      // watches first: ending leases would otherwise publish an empty snapshot to every
      // watcher just before the registry goes, and clients would drop the addresses they
      // should keep while a new registry comes up
      hub.close(draining);
      service.close(draining);
      RegistryGrpcServer.stop(server, GRACE);
      threads.close();
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

}
