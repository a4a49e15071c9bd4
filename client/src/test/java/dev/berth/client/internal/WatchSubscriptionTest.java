package dev.berth.client.internal;

import static dev.berth.client.internal.FakeWatchRegistry.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Address;
import dev.berth.client.Waits;
import dev.berth.proto.v1.Snapshot;
import dev.berth.testing.FakeClock;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's watch against a registry stand-in whose streams the test drives, with its
 * retry and grace timers on a {@link FakeClock}: no real time passes for the grace.
 */
class WatchSubscriptionTest {
  @TempDir Path home;

  private final FakeClock clock = new FakeClock();
  private final BlockingQueue<Object> heard = new LinkedBlockingQueue<>(); // lists and statuses
  private FakeWatchRegistry registry;
  private RegistryConnection connection;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeWatchRegistry();
    connection = new RegistryConnection(RegistryLocator.of(home, registry.address()), null);
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    registry.close();
  }

  @Test
  void emptySnapshotAfterReconnect_isHeldBackForTheGrace_thenDelivered() throws Exception {
    try (WatchSubscription watch = start(recording())) {
      StreamObserver<Snapshot> again = reconnect(running());
      again.onNext(snapshot(0)); // a restarted registry: nobody has re-attached yet
      await(() -> clock.pendingTasks() == 1, "the grace timer armed");

      clock.forwardTime(2900, TimeUnit.MILLISECONDS);
      assertThat(heard).as("still within the grace").isEmpty();
      clock.forwardTime(200, TimeUnit.MILLISECONDS);
      assertThat(heard.poll()).as("at the end of the grace").isEqualTo(List.of());
    }
  }

  @Test
  void nonEmptySnapshotDuringTheGrace_isDeliveredAtOnceAndEndsTheHold() throws Exception {
    try (WatchSubscription watch = start(recording())) {
      StreamObserver<Snapshot> again = reconnect(running());
      again.onNext(snapshot(0));
      await(() -> clock.pendingTasks() == 1, "the grace timer armed");
      again.onNext(snapshot(1, 61002)); // the instance re-attached on another port

      assertThat(next()).isEqualTo(List.of(Address.loopback(61002)));
      assertThat(clock.pendingTasks()).as("grace timer cancelled").isZero();
      clock.forwardTime(5, TimeUnit.SECONDS);
      assertThat(heard).as("the held empty list is dropped").isEmpty();
    }
  }

  @Test
  void emptySnapshotAfterTheGrace_isDeliveredAtOnce() throws Exception {
    try (WatchSubscription watch = start(recording())) {
      StreamObserver<Snapshot> again = reconnect(running());
      clock.forwardTime(3, TimeUnit.SECONDS); // the grace passes before the first snapshot
      again.onNext(snapshot(0));

      assertThat(next()).isEqualTo(List.of());
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void streamEndingBeforeAnySnapshot_isAnErrorNamingTheRegistry_andTheWatchRetries() throws Exception {
    try (WatchSubscription watch = start(recording())) {
      firstStream().onError(Status.UNAVAILABLE.withDescription("going away").asRuntimeException());

      Object error = next();
      assertThat(error).isInstanceOfSatisfying(Status.class, s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(s.getDescription()).isEqualTo("no Berth registry at " + registry.address()
            + " (state dir " + home + ")");
      });
      await(() -> clock.pendingTasks() == 1, "a retry scheduled");
      clock.forwardTime(1, TimeUnit.SECONDS);
      registry.nextWatch().onNext(snapshot(1, 61001));
      assertThat(next()).isEqualTo(List.of(Address.loopback(61001)));
    }
  }

  @Test
  void retries_backOffFrom50msDoublingTo250ms_andASnapshotResetsTheBackoff() throws Exception {
    try (WatchSubscription watch = start(recording())) {
      StreamObserver<Snapshot> stream = firstStream();
      long[][] expected = {{40, 60}, {80, 120}, {160, 240}, {200, 300}, {200, 300}}; // +-20% jitter
      for (long[] range : expected) {
        stream.onError(Status.UNAVAILABLE.asRuntimeException());
        await(() -> clock.pendingTasks() == 1, "a retry scheduled");
        assertThat(clock.pendingDelaysMillis().get(0)).isBetween(range[0], range[1]);
        clock.forwardTime(clock.pendingDelaysMillis().get(0) + 1, TimeUnit.MILLISECONDS);
        stream = registry.nextWatch();
      }
      stream.onNext(snapshot(1, 61001));
      assertThat(heard.poll(10, TimeUnit.SECONDS)).isInstanceOf(Status.class); // one per failure
      await(() -> heard.stream().anyMatch(List.class::isInstance), "the snapshot delivered");

      stream.onError(Status.UNAVAILABLE.asRuntimeException());
      await(() -> clock.pendingTasks() == 1, "a retry scheduled");
      assertThat(clock.pendingDelaysMillis().get(0)).as("backoff reset").isBetween(40L, 60L);
    }
  }

  @Test
  void close_whileTheListenerBlocks_returnsAtOnce() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WatchSubscription watch = start(new Discovery.Listener() {
      @Override
      public void onAddresses(List<Address> addresses) {
        entered.countDown();
        try {
          release.await(20, TimeUnit.SECONDS); // a listener that blocks (it should not)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void onError(Status status) {}
    });
    try {
      firstStream().onNext(snapshot(1, 61001));
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("listener called").isTrue();

      // the listener was called holding the watch's lock, so close() (synchronized) waited for it
      CompletableFuture<Void> closing = CompletableFuture.runAsync(watch::close);
      assertThat(closing).succeedsWithin(Duration.ofSeconds(5));
    } finally {
      release.countDown();
      watch.close();
    }
  }

  @Test
  void close_stopsDeliveries() throws Exception {
    WatchSubscription watch = start(recording());
    running();

    watch.close();
    assertThat(clock.pendingTasks()).isZero();
    clock.forwardTime(10, TimeUnit.SECONDS);
    assertThat(heard).isEmpty();
  }

  private WatchSubscription start(Discovery.Listener listener) {
    return WatchSubscription.start(connection, new Clock(clock.scheduler(), clock.ticker()), "orders", "main", listener);
  }

  private Discovery.Listener recording() {
    return new Discovery.Listener() {
      @Override
      public void onAddresses(List<Address> addresses) {
        heard.add(addresses);
      }

      @Override
      public void onError(Status status) {
        heard.add(status);
      }
    };
  }

  /** Runs the first attempt (due at once on the fake scheduler) and returns its stream. */
  private StreamObserver<Snapshot> firstStream() throws InterruptedException {
    clock.runDueTasks();
    return registry.nextWatch();
  }

  /** The first stream, once its first snapshot (an instance on 61001) was delivered. */
  private StreamObserver<Snapshot> running() throws InterruptedException {
    StreamObserver<Snapshot> stream = firstStream();
    stream.onNext(snapshot(1, 61001));
    assertThat(next()).isEqualTo(List.of(Address.loopback(61001)));
    return stream;
  }

  /** Breaks {@code stream}, lets the backoff pass on the fake clock, returns the new stream. */
  private StreamObserver<Snapshot> reconnect(StreamObserver<Snapshot> stream) throws InterruptedException {
    stream.onError(Status.UNAVAILABLE.withDescription("registry restarting").asRuntimeException());
    await(() -> clock.pendingTasks() == 1, "a retry scheduled");
    long due = clock.pendingDelaysMillis().get(0);
    clock.forwardTime(due + 1, TimeUnit.MILLISECONDS);
    return registry.nextWatch();
  }

  private Object next() throws InterruptedException {
    Object next = heard.poll(10, TimeUnit.SECONDS);
    assertThat(next).as("a listener call within 10 s").isNotNull();
    return next;
  }

  /** Bounded wait for what another thread does (a gRPC thread, a channel's context). */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Waits.until(Duration.ofSeconds(10), condition, what);
  }
}
