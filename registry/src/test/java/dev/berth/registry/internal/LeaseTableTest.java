package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.PortProbe;
import dev.berth.proto.v1.Snapshot;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease table's lock against slow port probes. */
class LeaseTableTest {

  private static final long WAIT_SECONDS = 10;

  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch probing = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private PortRange pool;
  private LeaseTable table;

  /** A real probe, except that the first probe of the pool's first port waits for the test. */
  private final PortCheck slowFirstProbe = new PortCheck() {
    private final PortProbe real = new PortProbe();

    @Override
    public Optional<String> check(int port) {
      if (port == pool.first() && probing.getCount() > 0) {
        probing.countDown();
        try {
          release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.check(port);
    }
  };

  @BeforeEach
  void setUp() throws Exception {
    pool = TestPools.take(3);
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    PortAllocator allocator = new PortAllocator(PortPool.of(pool.first(), pool.last()),
        slowFirstProbe, sticky, () -> -1);
    table = new LeaseTable(allocator, slowFirstProbe, 10, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    threads.shutdownNow();
  }

  private static Registration registration(String service, int requestedPort) {
    return new Registration(service,
        List.of(new Registration.EndpointSpec("main", requestedPort, requestedPort != 0)),
        ProcessHandle.current().pid(), Map.of());
  }

  private Future<LeaseTable.Reservation> reserveInBackground(String service) throws Exception {
    Future<LeaseTable.Reservation> reserving =
        threads.submit(() -> table.reserve(registration(service, 0), new ArrayList<>()));
    assertThat(probing.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the probe started").isTrue();
    return reserving;
  }

  @Test
  void reserve_whileAProbeIsSlow_resolveAndListStillAnswer() throws Exception {
    Future<LeaseTable.Reservation> reserving = reserveInBackground("orders");

    // what Resolve, Watch and List do on the transport threads, while the bind is in progress
    CompletableFuture<Snapshot> resolved =
        CompletableFuture.supplyAsync(() -> table.snapshot("orders", "main"), threads);
    assertThat(resolved.get(WAIT_SECONDS, TimeUnit.SECONDS).getTargetsCount()).isZero();
    assertThat(CompletableFuture.supplyAsync(table::list, threads)
        .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    assertThat(reserving.isDone()).isFalse();

    release.countDown();
    assertThat(reserving.get(WAIT_SECONDS, TimeUnit.SECONDS).endpoints().get(0).getPort())
        .isEqualTo(pool.first());
  }

  @Test
  void reserve_whenTheProbedPortIsTakenMeanwhile_triesAnother() throws Exception {
    Future<LeaseTable.Reservation> reserving = reserveInBackground("orders");

    // another instance claims the very port being probed (a re-attach holding it already)
    LeaseTable.Reservation other = CompletableFuture.supplyAsync(
        () -> table.reserve(registration("billing", pool.first()), new ArrayList<>()), threads)
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    release.countDown();

    LeaseTable.Reservation orders = reserving.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(other.endpoints().get(0).getPort()).isEqualTo(pool.first());
    assertThat(orders.endpoints().get(0).getPort()).isNotEqualTo(pool.first())
        .isBetween(pool.first(), pool.last());
    assertThat(table.holderOf(pool.first()).orElseThrow().holder().getService()).isEqualTo("billing");
  }
}
