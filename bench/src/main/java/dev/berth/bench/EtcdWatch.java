package dev.berth.bench;

import dev.berth.bench.etcd.etcdserverpb.WatchCreateRequest;
import dev.berth.bench.etcd.etcdserverpb.WatchGrpc;
import dev.berth.bench.etcd.etcdserverpb.WatchRequest;
import dev.berth.bench.etcd.etcdserverpb.WatchResponse;
import dev.berth.bench.etcd.mvccpb.Event;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch on every key under a prefix, over its own {@link EtcdClient}: each event is stamped
 * with {@code System.nanoTime()} on arrival (on a grpc-java callback thread) and queued for
 * {@link #await}, which is called from one thread.
 */
final class EtcdWatch implements AutoCloseable {
  /** One event as the watcher saw it. */
  record Seen(long nanos, Event event) {
    String key() {
      return event.getKv().getKey().toStringUtf8();
    }
  }

  private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> created = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<WatchRequest> call;

  private EtcdWatch() {}

  /** Opens the watch and returns once etcd says it is created. */
  static EtcdWatch onPrefix(EtcdClient client, String prefix, Duration timeout) throws Exception {
    EtcdWatch watch = new EtcdWatch();
    WatchGrpc.newStub(client.channel).watch(watch.new Observer()).onNext(WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder()
            .setKey(EtcdClient.bytes(prefix)).setRangeEnd(EtcdClient.prefixEnd(prefix)))
        .build());
    watch.created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** The first event of {@code type} on {@code key}, skipping others; fails after {@code timeout}. */
  Seen await(Event.EventType type, String key, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Seen s = seen.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (s == null) {
        throw new IllegalStateException("the etcd watcher saw no " + type + " of " + key + " within " + timeout);
      }
      if (s.event().getType() == type && s.key().equals(key)) {
        return s;
      }
    }
  }

  void clear() {
    seen.clear();
  }

  @Override
  public void close() {
    ClientCallStreamObserver<WatchRequest> c = call;
    if (c != null) {
      c.cancel("bench done", null);
    }
  }

  private final class Observer implements ClientResponseObserver<WatchRequest, WatchResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(WatchResponse response) {
      long now = System.nanoTime();
      if (response.getCreated()) {
        created.complete(null);
      }
      for (Event event : response.getEventsList()) {
        seen.add(new Seen(now, event));
      }
    }

    @Override
    public void onError(Throwable t) {
      created.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      created.completeExceptionally(new IllegalStateException("etcd ended the watch"));
    }
  }
}
