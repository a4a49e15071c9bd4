package dev.berth.registry.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one deadline of a {@link LeaseStream}: for {@code register} after the stream opens, then
 * for {@code ready} after each {@code assigned}. Confined to its stream's monitor (every method
 * is called holding it); the timer only hands {@code onDue} to the stream's events.
 *
 * <p>A timer task that fired just before the deadline was cancelled or moved may still reach
 * the stream's events afterwards, so the stream asks {@link #isDue} against the ticker before
 * it acts: a stale firing is ignored.
 */
final class LeaseDeadline {

  private final ScheduledExecutorService timer;
  private final LongSupplier ticker;
  private final Executor events;
  private final Runnable onDue;
  private ScheduledFuture<?> future;
  private long dueNanos;
  private boolean armed;

  /**
   * @param timer runs the deadlines (the registry's one timer thread, or a fake clock)
   * @param ticker the time in nanoseconds that {@code timer} keeps
   * @param events where {@code onDue} runs: the stream's events, so a stream busy with its
   *     port checks never holds up the timer thread and every other stream's deadline
   */
  LeaseDeadline(ScheduledExecutorService timer, LongSupplier ticker, Executor events,
      Runnable onDue) {
    this.timer = timer;
    this.ticker = ticker;
    this.events = events;
    this.onDue = onDue;
  }

  /** (Re)starts the deadline {@code millis} from now. */
  void arm(long millis) {
    cancel();
    dueNanos = ticker.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
    armed = true;
    future = timer.schedule(() -> events.execute(onDue), millis, TimeUnit.MILLISECONDS);
  }

  void cancel() {
    armed = false;
    if (future != null) {
      future.cancel(false);
      future = null;
    }
  }

  /** True when the deadline is armed and its time has come. */
  boolean isDue() {
    return armed && ticker.getAsLong() - dueNanos >= 0;
  }
}
