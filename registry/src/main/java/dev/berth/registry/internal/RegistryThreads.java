package dev.berth.registry.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's own threads: a pool for what may block (Attach handshakes, WhoHas) and one
 * timer thread for the lease deadlines. Daemon threads, named for what they do. Thread-safe.
 */
final class RegistryThreads implements AutoCloseable {

  private final ExecutorService calls = Executors.newCachedThreadPool(named("berth-registry-call-"));
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(1, named("berth-registry-timer-"));
  private final Duration grace;

  RegistryThreads(Duration grace) {
    this.grace = grace;
    timer.setRemoveOnCancelPolicy(true); // reservations are cancelled far more often than they expire
  }

  ExecutorService calls() {
    return calls;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Drops pending deadlines, lets running calls finish for {@code grace}, then interrupts. */
  @Override
  public void close() {
    timer.shutdownNow();
    calls.shutdown();
    try {
      if (!calls.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        calls.shutdownNow();
      }
    } catch (InterruptedException e) {
      calls.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true); // a registry left open must not keep its host JVM alive
      return t;
    };
  }
}
