package dev.berth.client.internal;

import dev.berth.client.BerthException;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Connects a new {@code Berth}: finds a registry that answers, or starts one if allowed. Stateless. */
public final class Connector {
  /**
   * How long a registry may take to answer the first health check. Generous on purpose: on a
   * loaded machine a cold JVM's first call takes seconds, and a registry that is there but slow
   * must not be taken for none; where nothing listens the call fails at once anyway.
   */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  private Connector() {}

  /**
   * A connection to the registry {@code locator} finds, checked to answer. With
   * {@code autoStart} (and no fixed address), starts one when none answers. Throws
   * {@link BerthException} {@code UNAVAILABLE} naming where it looked otherwise.
   */
  public static RegistryConnection connect(RegistryLocator locator, Executor executor, boolean autoStart) {
    RegistryConnection connection = new RegistryConnection(locator, executor);
    try {
      if (connection.probe(PROBE_TIMEOUT)) {
        return connection;
      }
      if (!autoStart || locator.isFixed()) {
        throw connection.unreachable(null);
      }
      if (!RegistryAutoStarter.isAvailable()) {
        throw new BerthException(connection.unreachable(null).status()
            .augmentDescription("(auto-start needs berth-registry on the class path)"));
      }
      RegistryAutoStarter.ensureRunning(connection);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
