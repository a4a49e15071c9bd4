package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchHubTest {

  private final AtomicLong version = new AtomicLong();
  private final WatchHub hub = new WatchHub((namespace, service, endpoint) -> Snapshot.newBuilder()
      .setService(service)
      .setEndpoint(endpoint)
      .setVersion(version.get())
      .addTargets(Target.newBuilder().setPort((int) version.get() + 1))
      .build());

  @Test
  void publish_toAStuckWatcher_keepsOnlyTheNewestAndDoesNotHoldUpOthers() {
    FakeWatchObserver stuck = new FakeWatchObserver();
    FakeWatchObserver healthy = new FakeWatchObserver();
    hub.watch("", "orders", "main", stuck);
    hub.watch("", "orders", "main", healthy);
    stuck.setReady(false);

    for (int i = 0; i < 100; i++) {
      version.incrementAndGet();
      hub.publish("", "orders", List.of("main"));
    }

    assertThat(healthy.sent).hasSize(101);
    assertThat(stuck.sent).hasSize(1); // the initial snapshot only
    stuck.setReady(true);
    assertThat(stuck.sent).hasSize(2);
    assertThat(stuck.sent.get(1).getVersion()).isEqualTo(100);
  }

  @Test
  void publish_fromManyThreads_neverOverlapsCallsToOneWatcherAndEndsOnTheNewest() throws Exception {
    FakeWatchObserver watcher = new FakeWatchObserver();
    hub.watch("", "orders", "main", watcher);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 500; i++) {
            version.incrementAndGet();
            hub.publish("", "orders", List.of("main"));
          }
        });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(watcher.maxConcurrentCalls).isEqualTo(1);
    assertThat(watcher.sent).extracting(Snapshot::getVersion).isSorted();
    assertThat(watcher.sent.get(watcher.sent.size() - 1).getVersion()).isEqualTo(2000);
  }

  @Test
  void publish_toOtherEndpoints_reachesOnlyTheirWatchers() {
    FakeWatchObserver main = new FakeWatchObserver();
    FakeWatchObserver http = new FakeWatchObserver();
    hub.watch("", "web", "main", main);
    hub.watch("", "web", "http", http);

    version.incrementAndGet();
    hub.publish("", "web", List.of("http"));

    assertThat(main.sent).hasSize(1);
    assertThat(http.sent).hasSize(2);
  }

  @Test
  void publish_inTheDefaultNamespace_reachesOnlyNamespacesWithoutInstancesOfTheirOwn() {
    Map<String, Integer> own = new ConcurrentHashMap<>(); // namespace -> its one instance's port
    WatchHub namespaced = new WatchHub((namespace, service, endpoint) -> {
      Snapshot.Builder s = Snapshot.newBuilder().setService(service).setEndpoint(endpoint)
          .setVersion(version.get()).setNamespace(namespace);
      String from = own.containsKey(namespace) ? namespace : own.containsKey("") ? "" : null;
      if (from != null) {
        s.setNamespace(from).addTargets(Target.newBuilder().setPort(own.get(from)));
      }
      return s.build();
    });
    own.put("a", 2001);
    FakeWatchObserver plain = new FakeWatchObserver();
    FakeWatchObserver withOwn = new FakeWatchObserver();
    FakeWatchObserver without = new FakeWatchObserver();
    namespaced.watch("", "orders", "main", plain);
    namespaced.watch("a", "orders", "main", withOwn);
    namespaced.watch("b", "orders", "main", without);

    version.incrementAndGet();
    own.put("", 1000);
    namespaced.publish("", "orders", List.of("main"));
    version.incrementAndGet();
    own.put("a", 2002);
    namespaced.publish("a", "orders", List.of("main"));

    assertThat(plain.sent).extracting(Snapshot::getTargetsCount).containsExactly(0, 1);
    assertThat(without.sent).as("none anywhere, then the default namespace's").hasSize(2);
    assertThat(without.sent.get(1).getNamespace()).isEmpty();
    assertThat(without.sent.get(1).getTargets(0).getPort()).isEqualTo(1000);
    assertThat(withOwn.sent).extracting(x -> x.getTargets(0).getPort())
        .as("its own instances, never the default's").containsExactly(2001, 2002);
  }

  @Test
  void publish_racingChangesInTwoNamespaces_leavesEveryWatcherOnTheNewestView() throws Exception {
    Object lock = new Object();
    Map<String, Integer> live = new HashMap<>(); // namespace -> how many instances; guarded by lock
    long[] tableVersion = {0};
    WatchHub.Snapshots view = (namespace, service, endpoint) -> {
      synchronized (lock) {
        int own = live.getOrDefault(namespace, 0);
        boolean fallBack = own == 0 && !namespace.isEmpty() && live.getOrDefault("", 0) > 0;
        Snapshot.Builder s = Snapshot.newBuilder().setService(service).setEndpoint(endpoint)
            .setVersion(tableVersion[0]).setNamespace(fallBack ? "" : namespace);
        for (int i = 0; i < (fallBack ? live.get("") : own); i++) {
          s.addTargets(Target.newBuilder().setPort(i + 1));
        }
        return s.build();
      }
    };
    WatchHub racing = new WatchHub(view);
    FakeWatchObserver plain = new FakeWatchObserver();
    FakeWatchObserver shop = new FakeWatchObserver();
    racing.watch("", "orders", "main", plain);
    racing.watch("shop", "orders", "main", shop);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        String namespace = t % 2 == 0 ? "" : "shop";
        int seed = t;
        pool.execute(() -> {
          java.util.Random random = new java.util.Random(seed);
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 500; i++) {
            synchronized (lock) { // an instance of the namespace comes or goes
              live.merge(namespace, random.nextBoolean() || live.getOrDefault(namespace, 0) == 0
                  ? 1 : -1, Integer::sum);
              tableVersion[0]++;
            }
            racing.publish(namespace, "orders", List.of("main"));
          }
        });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    for (FakeWatchObserver w : List.of(plain, shop)) {
      Snapshot last = w.sent.get(w.sent.size() - 1);
      Snapshot now = view.of(w == plain ? "" : "shop", "orders", "main");
      assertThat(last.getNamespace()).isEqualTo(now.getNamespace());
      assertThat(last.getTargetsCount()).isEqualTo(now.getTargetsCount());
    }
  }

  @Test
  void close_endsEveryWatchAndLaterOnes() {
    FakeWatchObserver early = new FakeWatchObserver();
    hub.watch("", "orders", "main", early);

    hub.close(Status.UNAVAILABLE);
    FakeWatchObserver late = new FakeWatchObserver();
    hub.watch("", "orders", "main", late);

    assertThat(early.errors).singleElement()
        .satisfies(t -> assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(late.errors).hasSize(1);
    assertThat(late.sent).isEmpty();
    assertThat(hub.watcherCount()).isZero();
  }

  @Test
  void cancel_removesTheWatcher() {
    FakeWatchObserver watcher = new FakeWatchObserver();
    hub.watch("", "orders", "main", watcher);

    watcher.onCancel.run();

    assertThat(hub.watcherCount()).isZero();
  }

  @Test
  void watch_racingTheLastWatchersCancel_isNeverLost() throws Exception {
    int rounds = 50_000;
    FakeWatchObserver[] leaving = new FakeWatchObserver[1];
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.CyclicBarrier done = new java.util.concurrent.CyclicBarrier(2);
    Thread canceller = new Thread(() -> {
      try {
        for (int round = 0; round < rounds; round++) {
          start.await(5, java.util.concurrent.TimeUnit.SECONDS);
          leaving[0].onCancel.run(); // the last watcher goes while another arrives
          done.await(5, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        // the test thread reports
      }
    }, "canceller");
    canceller.start();
    try {
      for (int round = 0; round < rounds; round++) {
        leaving[0] = new FakeWatchObserver();
        hub.watch("", "orders", "main", leaving[0]);
        FakeWatchObserver joining = new FakeWatchObserver();
        start.await(5, java.util.concurrent.TimeUnit.SECONDS);
        hub.watch("", "orders", "main", joining);
        done.await(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(hub.watcherCount()).as("round %d", round).isEqualTo(1);
        joining.onCancel.run();
      }
    } finally {
      canceller.interrupt();
      canceller.join(5_000);
    }
  }
}
