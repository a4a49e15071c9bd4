package dev.berth.client.internal;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Where the client's timers run and what time it is: a scheduler for backoff and grace timers,
 * and a ticker of nanoseconds ({@code System::nanoTime} in production). Injected together, so
 * that tests drive both with one fake clock ({@code dev.berth.testing.FakeClock}) instead of
 * real time.
 *
 * <p>Immutable; the scheduler's tasks must be short and never block.
 */
public record Clock(ScheduledExecutorService scheduler, LongSupplier ticker) {
  public Clock {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(ticker, "ticker");
  }

  /** Real time, with timers on {@code scheduler}. */
  public static Clock system(ScheduledExecutorService scheduler) {
    return new Clock(scheduler, System::nanoTime);
  }

  /** The ticker's time now, in nanoseconds (only differences mean anything). */
  public long nanoTime() {
    return ticker.getAsLong();
  }
}
