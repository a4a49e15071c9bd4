package dev.berth.registry.internal;

import dev.berth.proto.v1.Snapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A server stream whose readiness the test controls, recording what was sent. */
final class FakeWatchObserver extends FakeServerCall<Snapshot> {

  final List<Snapshot> sent = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrentCalls = new AtomicInteger();
  volatile int maxConcurrentCalls;
  private volatile boolean ready = true;
  private volatile Runnable onReady = () -> {};

  void setReady(boolean ready) {
    this.ready = ready;
    if (ready) {
      onReady.run(); // as gRPC does when the transport drains
    }
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
    this.onReady = onReadyHandler;
  }

  @Override
  public void onNext(Snapshot value) {
    enter();
    try {
      sent.add(value);
      Thread.onSpinWait();
    } finally {
      concurrentCalls.decrementAndGet();
    }
  }

  @Override
  public void onError(Throwable t) {
    enter();
    errors.add(t);
    concurrentCalls.decrementAndGet();
  }

  @Override
  public void onCompleted() {}

  private void enter() {
    int now = concurrentCalls.incrementAndGet();
    maxConcurrentCalls = Math.max(maxConcurrentCalls, now);
  }
}
