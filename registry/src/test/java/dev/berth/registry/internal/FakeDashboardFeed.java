package dev.berth.registry.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DashboardFeed} whose events a test sets, which counts its reads and
 * records the actions asked of it. Thread-safe.
 */
final class FakeDashboardFeed implements DashboardFeed {

  volatile String state = "{\"instances\": []}";
  volatile String ownerStacks = "[{\"namespace\": \"shop\", \"log\": [\"a line\"]}]";
  volatile String readerStacks = "[{\"namespace\": \"shop\"}]";
  /** Thrown by the next {@link #act}, then cleared; null: it succeeds. */
  volatile RuntimeException failure;
  final AtomicInteger stateReads = new AtomicInteger();
  final AtomicInteger edgesReads = new AtomicInteger();
  final List<String> acts = new CopyOnWriteArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  @Override
  public String state() {
    stateReads.incrementAndGet();
    return state;
  }

  /** While set, {@link #edges} waits for it (5 s at most), as a scrape of a slow instance does. */
  volatile CountDownLatch edgesHeld;

  @Override
  public String edges() {
    int read = edgesReads.incrementAndGet();
    CountDownLatch held = edgesHeld;
    if (held != null) {
      try {
        held.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return "{\"read\": " + read + "}";
  }

  @Override
  public String stacks(boolean owner) {
    return owner ? ownerStacks : readerStacks;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Sets {@code state} and tells the listeners, as the lease table does after a change. */
  void change(String newState) {
    state = newState;
    listeners.forEach(Runnable::run);
  }

  int listeners() {
    return listeners.size();
  }

  @Override
  public void act(String verb, String namespace, String service) {
    acts.add(verb + " " + namespace + "/" + service);
    RuntimeException e = failure;
    if (e != null) {
      failure = null;
      throw e;
    }
  }
}
