package dev.berth.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter, for reconnecting to the registry. Jitter keeps
 * the instances of a machine from reconnecting in lockstep after a registry restart.
 *
 * <p>Not thread-safe: owned by one reconnect loop. The randomness is a {@link DoubleSupplier}
 * of values in [0, 1), so that tests can fix it.
 */
public final class Backoff {
  private static final double MULTIPLIER = 2.0;
  private static final double JITTER = 0.2;
  private static final Duration REGISTRY_INITIAL = Duration.ofMillis(50);
  private static final Duration REGISTRY_MAX = Duration.ofMillis(250);

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private long nextNanos;

  public Backoff(Duration initial, Duration max) {
    this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With {@code random} giving values in [0, 1) for the jitter. */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  /**
   * The default for registry reconnects: 50 ms doubling up to 250 ms. The registry is on
   * loopback, so a retry while it is away costs one refused connect; the low cap is what
   * bounds how long leases and watches take to notice a restarted registry (with a 2 s cap
   * they came back ~1.5 s after a registry that starts in 0.8 s).
   */
  public static Backoff forRegistry() {
    return new Backoff(REGISTRY_INITIAL, REGISTRY_MAX);
  }

  /** {@link #forRegistry()} with {@code random} for the jitter. */
  public static Backoff forRegistry(DoubleSupplier random) {
    return new Backoff(REGISTRY_INITIAL, REGISTRY_MAX, random);
  }

  /** The delay before the next attempt; each call doubles the base delay up to the cap. */
  public long nextDelayNanos() {
    long base = nextNanos;
    nextNanos = (long) Math.min(maxNanos, base * MULTIPLIER);
    double jitter = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return (long) (base * jitter);
  }

  /** After a success: the next failure starts again from the initial delay. */
  public void reset() {
    nextNanos = initialNanos;
  }
}
