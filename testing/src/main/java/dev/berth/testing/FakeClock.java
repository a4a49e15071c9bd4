package dev.berth.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Time that moves only when a test moves it, after grpc-java's {@code FakeClock}: a
 * {@link #scheduler()} whose tasks run on the calling thread inside {@link #forwardTime} and
 * {@link #runDueTasks}, and a {@link #ticker()} of nanoseconds that reads the same time.
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * Clock time = new Clock(clock.scheduler(), clock.ticker());   // dev.berth.client.internal.Clock
 * LeaseHandshake lease = LeaseHandshake.open(registry, register, time, backoff, listening);
 * clock.forwardTime(250, TimeUnit.MILLISECONDS);   // runs every task due by then, in time order
 * assertThat(clock.pendingTasks()).isEqualTo(1);
 * }</pre>
 *
 * <p>{@code execute}/{@code submit} tasks are due at once and run at the next
 * {@link #runDueTasks} or {@link #forwardTime}. Periodic tasks re-arm after each run. Tasks
 * due at the same moment run in the order they were scheduled. {@code shutdown} stops new
 * tasks and {@code shutdownNow} drops the queued ones. Thread-safe; tasks never run
 * concurrently (they run on the thread that moves time, one at a time).
 */
public final class FakeClock {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final Scheduler scheduler = new Scheduler();
  private long nanos;
  private long sequence;
  private boolean shutdown;

  /** Starts at an arbitrary nonzero time, as {@code System.nanoTime} does. */
  public FakeClock() {
    this.nanos = TimeUnit.HOURS.toNanos(1);
  }

  /** The scheduler whose tasks this clock runs. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** The current fake time in nanoseconds, for code that reads {@code System::nanoTime}. */
  public LongSupplier ticker() {
    return this::currentTimeNanos;
  }

  /** The current fake time in nanoseconds. */
  public synchronized long currentTimeNanos() {
    return nanos;
  }

  /** Moves time forward by {@code duration}, running every task that falls due, in time order. */
  public int forwardTime(long duration, TimeUnit unit) {
    if (duration < 0) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
    }
    long target;
    synchronized (this) {
      target = nanos + unit.toNanos(duration);
    }
    int ran = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          nanos = target;
          return ran;
        }
        queue.poll();
        nanos = Math.max(nanos, next.dueNanos);
      }
      next.runOnce();
      ran++;
    }
  }

  /** Moves time forward by {@code millis} milliseconds; see {@link #forwardTime}. */
  public int forwardMillis(long millis) {
    return forwardTime(millis, TimeUnit.MILLISECONDS);
  }

  /** Runs the tasks due now (those just submitted among them) without moving time. */
  public int runDueTasks() {
    return forwardTime(0, TimeUnit.NANOSECONDS);
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pendingTasks() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  /** Delays of the pending tasks from now, soonest first, in milliseconds (for assertions). */
  public synchronized List<Long> pendingDelaysMillis() {
    List<Long> delays = new ArrayList<>();
    queue.stream().filter(t -> !t.isCancelled()).sorted()
        .forEach(t -> delays.add(TimeUnit.NANOSECONDS.toMillis(t.dueNanos - nanos)));
    return delays;
  }

  private synchronized void enqueue(Task task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("FakeClock scheduler is shut down");
    }
    task.sequence = sequence++;
    queue.add(task);
  }

  private final class Task extends FutureTask<Object> implements ScheduledFuture<Object> {
    private final long periodNanos; // 0: once; > 0: fixed rate; < 0: fixed delay
    private long dueNanos;
    private long sequence;

    Task(Callable<Object> callable, long dueNanos, long periodNanos) {
      super(callable);
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
    }

    void runOnce() {
      if (periodNanos == 0) {
        run();
        return;
      }
      if (!runAndReset()) {
        return; // cancelled or threw: a periodic task stops, as in ScheduledThreadPoolExecutor
      }
      synchronized (FakeClock.this) {
        dueNanos = periodNanos > 0 ? dueNanos + periodNanos : nanos - periodNanos;
        if (!shutdown) {
          sequence = FakeClock.this.sequence++;
          queue.add(this);
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      synchronized (FakeClock.this) {
        queue.remove(this);
      }
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (FakeClock.this) {
        return unit.convert(dueNanos - nanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      Task o = (Task) other;
      int byTime = Long.compare(dueNanos, o.dueNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
      if (!isDone()) {
        throw new IllegalStateException("get() of a FakeClock task that has not run (forward the clock first)");
      }
      return super.get();
    }
  }

  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return add(callable(command), delay, unit, 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      @SuppressWarnings("unchecked")
      ScheduledFuture<V> future = (ScheduledFuture<V>) add((Callable<Object>) callable, delay, unit, 0);
      return future;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      requirePositive(period);
      return add(callable(command), initialDelay, unit, unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      requirePositive(delay);
      return add(callable(command), initialDelay, unit, -unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
      add(callable(command), 0, TimeUnit.NANOSECONDS, 0);
    }

    @Override
    public void shutdown() {
      synchronized (FakeClock.this) {
        shutdown = true;
      }
    }

    @Override
    public List<Runnable> shutdownNow() {
      synchronized (FakeClock.this) {
        shutdown = true;
        List<Runnable> dropped = new ArrayList<>(queue);
        queue.clear();
        return dropped;
      }
    }

    @Override
    public boolean isShutdown() {
      synchronized (FakeClock.this) {
        return shutdown;
      }
    }

    @Override
    public boolean isTerminated() {
      synchronized (FakeClock.this) {
        return shutdown && queue.isEmpty();
      }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return isTerminated(); // nothing runs by itself: waiting would not change the answer
    }

    private Task add(Callable<Object> callable, long delay, TimeUnit unit, long periodNanos) {
      Task task;
      synchronized (FakeClock.this) {
        task = new Task(callable, nanos + Math.max(0, unit.toNanos(delay)), periodNanos);
      }
      enqueue(task);
      return task;
    }

    private Callable<Object> callable(Runnable command) {
      java.util.Objects.requireNonNull(command, "command");
      return () -> {
        command.run();
        return null;
      };
    }

    private void requirePositive(long period) {
      if (period <= 0) {
        throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
      }
    }
  }
}
