package dev.berth.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, for reconnecting to the registry. Jitter keeps
 * the instances of a machine from reconnecting in lockstep after a registry restart.
 *
 * <p>Not thread-safe: owned by one reconnect loop.
 */
public final class Backoff {
  private static final double MULTIPLIER = 2.0;
  private static final double JITTER = 0.2;

  private final long initialNanos;
  private final long maxNanos;
  private long nextNanos;

  public Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = initialNanos;
  }

  /**
   * The default for registry reconnects: 50 ms doubling up to 250 ms. The registry is on
   * loopback, so a retry while it is away costs one refused connect; the low cap is what
   * bounds how long leases and watches take to notice a restarted registry (with a 2 s cap
   * they came back ~1.5 s after a registry that starts in 0.8 s).
   */
  public static Backoff forRegistry() {
    return new Backoff(Duration.ofMillis(50), Duration.ofMillis(250));
  }

  /** The delay before the next attempt; each call doubles the base delay up to the cap. */
  public long nextDelayNanos() {
    long base = nextNanos;
    nextNanos = (long) Math.min(maxNanos, base * MULTIPLIER);
    double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return (long) (base * jitter);
  }

  /** After a success: the next failure starts again from the initial delay. */
  public void reset() {
    nextNanos = initialNanos;
  }
}
