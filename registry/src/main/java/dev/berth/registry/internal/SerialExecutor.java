package dev.berth.registry.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs its tasks one at a time, in submission order, on a shared pool: the events of one
 * Attach stream leave the transport thread for a thread that may block (port probes, fsync,
 * {@code /proc} scans) without two of them ever running at once or out of order.
 * Thread-safe.
 */
final class SerialExecutor implements Executor {

  private final Executor pool;
  // guarded by this
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain(); // the pool is shut down, the registry closing: the last events run here
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run(); // the tasks catch what they throw (LeaseStream's handlers do)
    }
  }
}
