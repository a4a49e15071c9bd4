package dev.berth.client;

/**
 * A running {@link Berth#watch}: close it to stop the listener's calls. Closing a
 * {@code Berth} closes its watches too.
 *
 * <pre>{@code
 * try (BerthWatch watch = berth.watch("orders", addresses -> pool.set(addresses))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close} may be called from the listener itself.
 */
public final class BerthWatch implements AutoCloseable {
  private final String name;
  private final Runnable stop;

  BerthWatch(String name, Runnable stop) {
    this.name = name;
    this.stop = stop;
  }

  /** The name watched, as given: {@code "orders"} or {@code "gateway/http"}. */
  public String name() {
    return name;
  }

  /** Stops the watch: no listener call starts after this returns. Idempotent; does not block. */
  @Override
  public void close() {
    stop.run();
  }

  @Override
  public String toString() {
    return "BerthWatch{" + name + "}";
  }
}
